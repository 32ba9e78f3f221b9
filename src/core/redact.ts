import type { HeaderList } from './types';

/** What every masked secret is replaced with. Not a valid cookie, token or base64 character, so never re-matched. */
export const MASK = '••••••';

/**
 * Shorter "secrets" cannot be told apart from ordinary words and numbers; masking them would garble every log
 * line while protecting nothing a guess could not find.
 */
const MIN_KNOWN_SECRET_LENGTH = 4;

/**
 * Returns a copy with the values of cookie, set-cookie, authorization, proxy-authorization (and x-api-key,
 * x-auth-token) masked. For cookie/set-cookie keep the cookie names and attributes, mask only the values:
 * "_npsid=••••••; Path=/; HttpOnly".
 */
export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(([name, value]): [string, string] => [name, redactHeaderValue(name, value)]);
}

/** Masks one header value if the header carries credentials; other headers are returned unchanged. */
export function redactHeaderValue(name: string, value: string): string {
  switch (name.trim().toLowerCase()) {
    case 'cookie':
      return maskCookiePairs(value);
    case 'set-cookie':
      return splitSetCookie(value).map(maskSetCookie).join(',');
    case 'authorization':
    case 'proxy-authorization':
      return maskCredentials(value);
    case 'x-api-key':
    case 'x-auth-token':
      return value.trim() === '' ? value : MASK;
    default:
      return value;
  }
}

/** `a=1; b=2` -> `a=••••••; b=••••••`, keeping spacing, names, and empty values (they hide nothing). */
function maskCookiePairs(value: string): string {
  return value.split(';').map(maskPair).join(';');
}

function maskPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair.trim() === '' ? pair : pair.replace(/\S[\s\S]*\S|\S/, MASK);
  const rest = pair.slice(eq + 1);
  return rest.trim() === '' ? pair : `${pair.slice(0, eq + 1)}${MASK}`;
}

/**
 * Some clients fold several Set-Cookie headers into one with commas. A comma also appears inside `Expires`
 * dates, but there it is never followed by `name=`, which tells the two apart.
 */
function splitSetCookie(value: string): string[] {
  return value.split(/,(?=\s*[^;,=\s]+=)/);
}

function maskSetCookie(cookie: string): string {
  const semicolon = cookie.indexOf(';');
  if (semicolon < 0) return maskPair(cookie);
  return maskPair(cookie.slice(0, semicolon)) + cookie.slice(semicolon);
}

/** Keeps the scheme (`Bearer`, `Basic`, ...) so a log still shows which kind of credential was sent. */
function maskCredentials(value: string): string {
  const match = /^(\s*)(\S+)(\s+)\S/.exec(value);
  if (match) return `${match[1]}${match[2]}${match[3]}${MASK}`;
  return value.trim() === '' ? value : MASK;
}

/**
 * Masks secrets inside text meant for a log line: JWTs (three base64url segments), "token" JSON fields,
 * PEM blocks, and any of the given known secret strings (exact values).
 *
 * Also masks credential header lines (`Cookie: ...`), `Bearer` tokens and token-like URL parameters, since
 * request dumps carry them.
 */
export function redactText(text: string, knownSecrets: Iterable<string> = []): string {
  let out = maskKnownSecrets(text, knownSecrets);
  out = out.replace(PEM_BLOCK, (all, label: string) => {
    const end = all.endsWith(`-----END ${label}-----`) ? `-----END ${label}-----` : '';
    return `-----BEGIN ${label}-----${MASK}${end}`;
  });
  out = out.replace(JSON_STRING_FIELD, maskJsonField);
  out = out.replace(ESCAPED_JSON_STRING_FIELD, maskJsonField);
  out = out.replace(HEADER_LINE, (_all, lead: string, name: string, sep: string, value: string) => {
    return `${lead}${name}${sep}${redactHeaderValue(name, value)}`;
  });
  out = out.replace(BEARER, (_all, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(URL_USERINFO, `$1:${MASK}@`);
  out = out.replace(QUERY_PARAM, maskParamMatch);
  return out.replace(JWT, MASK);
}

function maskKnownSecrets(text: string, knownSecrets: Iterable<string>): string {
  const variants = new Set<string>();
  for (const secret of knownSecrets) {
    if (typeof secret !== 'string' || secret.length < MIN_KNOWN_SECRET_LENGTH) continue;
    // The same value often reaches a log JSON-escaped (a PEM's newlines) or URL-encoded (a cookie in a query).
    variants.add(secret);
    variants.add(JSON.stringify(secret).slice(1, -1));
    variants.add(encodeURIComponent(secret));
  }

  // Longest first, so a secret that contains another is masked whole rather than in pieces.
  let out = text;
  for (const variant of [...variants].sort((a, b) => b.length - a.length)) {
    if (out.includes(variant)) out = out.split(variant).join(MASK);
  }
  return out;
}

// A block cut off by a log length cap has no END line; everything base64-like after BEGIN is masked then.
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----(?:[\s\S]*?-----END \1-----|(?:[A-Za-z0-9+/=\s:,-]|\\[rnt])*)/g;

// `"name": "value"`, and the same inside a JSON string that was itself serialised (`\"name\": \"value\"`).
const JSON_STRING_FIELD = /("([^"\\\r\n]{1,64})"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;
const ESCAPED_JSON_STRING_FIELD = /(\\"([^"\\\r\n]{1,64})\\"\s*:\s*\\")((?:(?!\\")[^\r\n])*)(\\")/g;

const CREDENTIAL_HEADERS = 'cookie|set-cookie|authorization|proxy-authorization|x-api-key|x-auth-token';
const HEADER_LINE = new RegExp(`(^|[\\s{,;(\\[])(${CREDENTIAL_HEADERS})(\\s*:\\s*)([^\\r\\n]*)`, 'gim');

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi;

const QUERY_PARAM = /(^|[?&#])([^=&#?\s"'<>]+)=([^&#\s"'<>]*)/gm;

// JOSE headers are JSON objects, so the first segment always starts with "eyJ" ('{"' in base64url).
// Up to five segments covers JWE too; only the third may be empty (unsigned), so a full stop after one stays.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}/g;

function maskJsonField(all: string, head: string, name: string, value: string, tail: string): string {
  if (value === '') return all;
  const lower = name.toLowerCase();
  let masked: string;
  if (lower === 'cookie' || lower === 'set-cookie') masked = redactHeaderValue(lower, value);
  else if (lower === 'authorization' || lower === 'proxy-authorization') masked = maskCredentials(value);
  else if (isSecretName(name)) masked = MASK;
  else return all;
  return head + masked + tail;
}

const SECRET_NAME_ENDINGS = ['token', 'jwt', 'password', 'passwd', 'pwd', 'secret', 'key', 'signature', 'sig'];
/** Pagination cursors end in "token" but are not credentials; masking them would break paging and resending. */
const CURSOR_NAMES = new Set(['nexttoken', 'pagetoken', 'nextpagetoken', 'continuationtoken', 'cursortoken']);

/** `access_token`, `X-Amz-Signature`, `client_secret`, `apiKey`, ...: judged by how the name ends. */
function isSecretName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // Keep the raw name when it is not valid percent-encoding.
  }
  const compact = decoded.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (CURSOR_NAMES.has(compact)) return false;
  return SECRET_NAME_ENDINGS.some((ending) => compact.endsWith(ending));
}

function maskParamMatch(all: string, lead: string, name: string, value: string): string {
  return value !== '' && isSecretName(name) ? `${lead}${name}=${MASK}` : all;
}

/** Masks token-like query parameters (token, access_token, jwt, password, secret, key, signature). */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const queryAt = url.indexOf('?');
  const beforeFragment = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : url.slice(hashAt);

  let out = beforeFragment.replace(URL_USERINFO, `$1:${MASK}@`);
  if (queryAt >= 0 && (hashAt < 0 || queryAt < hashAt)) {
    const base = out.slice(0, out.indexOf('?') + 1);
    out = base + maskParams(out.slice(base.length));
  }
  // OAuth implicit flows put tokens in the fragment, in query syntax.
  if (fragment.includes('=')) return `${out}#${maskParams(fragment.slice(1))}`;
  return out + fragment;
}

function maskParams(query: string): string {
  return query
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq < 0 || eq === param.length - 1) return param;
      return isSecretName(param.slice(0, eq)) ? `${param.slice(0, eq)}=${MASK}` : param;
    })
    .join('&');
}
