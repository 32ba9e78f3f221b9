const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// The three date forms RFC 9110 §5.6.7 asks recipients to accept, matched exactly: Date.parse alone would
// also accept free text such as "soon" variants or read the asctime form in local time.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`,
);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTH}) ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** RFC 9111 §1.2.2: a delta-seconds value too large to represent is treated as this. */
const MAX_DELTA_SECONDS = 2147483648;

/**
 * Reads a `Retry-After` header: either delta-seconds or an HTTP date (IMF-fixdate, RFC 850 or asctime).
 *
 * @param value the header value, if any
 * @param nowMs the local clock in milliseconds, used to turn a date into a wait
 * @returns whole seconds to wait (0 when the date is already past), or undefined when missing or unreadable
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;

  if (/^\d+$/.test(text)) {
    return Math.min(Number(text), MAX_DELTA_SECONDS);
  }

  const dateMs = parseHttpDate(text, nowMs);
  if (dateMs === undefined) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

/**
 * Parses an HTTP date in one of the three RFC 9110 forms, always as UTC.
 *
 * @param text the date text
 * @param nowMs the local clock, needed to place the two-digit year of the RFC 850 form
 * @returns milliseconds since the epoch, or undefined when the text is not such a date
 */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    return utc(Number(match[3]), match[2], Number(match[1]), match.slice(4, 7));
  }

  match = RFC850_DATE.exec(text);
  if (match) {
    return utc(fullYear(Number(match[3]), nowMs), match[2], Number(match[1]), match.slice(4, 7));
  }

  match = ASCTIME_DATE.exec(text);
  if (match) {
    return utc(Number(match[6]), match[1], Number(match[2].trim()), match.slice(3, 6));
  }
  return undefined;
}

/** RFC 9110: a two-digit year that would land more than 50 years ahead belongs to the previous century. */
function fullYear(twoDigits: number, nowMs: number): number {
  const currentYear = new Date(nowMs).getUTCFullYear();
  let year = Math.floor(currentYear / 100) * 100 + twoDigits;
  if (year > currentYear + 50) year -= 100;
  return year;
}

function utc(year: number, monthName: string, day: number, time: string[]): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const [hours, minutes, seconds] = time.map(Number);
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;

  const ms = Date.UTC(year, month, day, hours, minutes, Math.min(seconds, 59));
  // Date.UTC rolls 31 Feb over into March; such a day does not exist, so the value is unreadable.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}
