import * as assert from 'node:assert/strict';
import { parseHttpDate, parseRetryAfter } from '../../src/core/retryAfter';

// 2026-12-03T12:00:00Z, a Thursday.
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('120', NOW), 120);
    assert.equal(parseRetryAfter(' 7 ', NOW), 7);
    assert.equal(parseRetryAfter('0', NOW), 0);
  });

  it('caps absurdly large delta-seconds', () => {
    assert.equal(parseRetryAfter('99999999999999999999', NOW), 2147483648);
  });

  it('reads an IMF-fixdate as UTC', () => {
    assert.equal(parseRetryAfter('Thu, 03 Dec 2026 12:02:00 GMT', NOW), 120);
  });

  it('reads the obsolete RFC 850 form, placing the two-digit year near now', () => {
    assert.equal(parseRetryAfter('Thursday, 03-Dec-26 12:00:30 GMT', NOW), 30);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW), Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('reads the asctime form as UTC, with a space-padded day', () => {
    assert.equal(parseRetryAfter('Thu Dec  3 12:01:00 2026', NOW), 60);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW), Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('rounds a partial second up, so waiting that long is always enough', () => {
    assert.equal(parseRetryAfter('Thu, 03 Dec 2026 12:00:01 GMT', NOW - 500), 2);
  });

  it('gives 0 for a date in the past, including the epoch', () => {
    assert.equal(parseRetryAfter('Thu, 03 Dec 2026 11:00:00 GMT', NOW), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW), 0);
  });

  it('gives undefined for anything unreadable, never 0', () => {
    for (const value of [
      undefined,
      '',
      '   ',
      'soon',
      '-5',
      '1.5',
      '12abc',
      '0x10',
      '2026-12-03T12:02:00Z',
      'Thu, 03 Dec 2026 12:02:00 UTC',
      'Thu, 3 Dec 2026 12:02:00 GMT',
      'Thu, 31 Feb 2026 12:02:00 GMT',
      'Thu, 03 Dec 2026 25:02:00 GMT',
      'Thursday, 03-Dec-2026 12:02:00 GMT',
      'Thu Dec 3 12:02:00 2026 GMT',
      'Dec 03 2026',
    ]) {
      assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
    }
  });
});
