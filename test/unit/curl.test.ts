import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CURL_MASK, shellQuote, toCurl } from '../../src/core/curl';
import type { ApiResponse } from '../../src/core/types';

type Req = ApiResponse['request'];

/** Lets a real POSIX shell split the command, so quoting is checked by the shell itself. */
function shellWords(command: string): string[] {
  const script = `set -- ${command.replace(/^curl /, '')}; for a in "$@"; do printf '%s\\0' "$a"; done`;
  return execFileSync('/bin/sh', ['-c', script]).toString().split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    assert.equal(shellQuote('https://a.example/x?y=1'), `'https://a.example/x?y=1'`);
    assert.equal(shellQuote('https://a.example/x'), 'https://a.example/x');
    assert.equal(shellQuote('abc'), 'abc');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('toCurl', () => {
  const post: Req = {
    method: 'POST',
    url: 'https://gw.example/orders?x=1&y=$(id)',
    headers: [
      ['content-type', 'application/json'],
      ['content-length', '42'],
      ['cookie', 'session=<masked>'],
      ['x-note', `it's "quoted" $HOME \`id\``],
    ],
    body: '{"name": "O\'Brien", "n": 1234567890123456789}\nline2',
  };

  it('quotes every argument so the shell passes them through unchanged', () => {
    const words = shellWords(toCurl(post));
    assert.deepEqual(words, [
      '-X',
      'POST',
      'https://gw.example/orders?x=1&y=$(id)',
      '-H',
      'content-type: application/json',
      '-H',
      `x-note: it's "quoted" $HOME \`id\``,
      '-H',
      `Cookie: ${CURL_MASK}`,
      '--data-raw',
      post.body,
    ]);
  });

  it('uses the real cookie only when it is handed over', () => {
    const cmd = toCurl(post, { cookieHeader: 'session=abc123' });
    assert.ok(shellWords(cmd).includes('Cookie: session=abc123'));
    assert.ok(!cmd.includes(CURL_MASK));
    assert.ok(!toCurl(post).includes('abc123'));
  });

  it('writes a plain GET without -X and HEAD with --head', () => {
    const get: Req = { method: 'GET', url: 'https://gw.example/identity/v1/whoami', headers: [] };
    assert.equal(toCurl(get), 'curl https://gw.example/identity/v1/whoami');
    assert.deepEqual(shellWords(toCurl({ ...get, method: 'HEAD' })), ['--head', get.url]);
  });

  it('adds no cookie header when none was sent', () => {
    assert.ok(!toCurl({ method: 'DELETE', url: 'https://gw.example/a', headers: [] }).includes('Cookie'));
  });

  it('lets curl negotiate and decode compression instead of copying accept-encoding', () => {
    const get: Req = {
      method: 'GET',
      url: 'https://gw.example/test/gzip',
      headers: [['accept-encoding', 'gzip, deflate, br'], ['accept', 'application/json']],
    };
    assert.deepEqual(shellWords(toCurl(get)), [get.url, '-H', 'accept: application/json', '--compressed']);
  });
});
