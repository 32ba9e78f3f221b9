import * as assert from 'node:assert/strict';
import { classifyBody, decodeText, extensionFor, formatBytes, formatMs, prettyJson } from '../../src/core/body';
import type { HeaderList } from '../../src/core/types';

const utf8 = (s: string) => new TextEncoder().encode(s);
const ct = (value: string): HeaderList => [['content-type', value]];

describe('classifyBody', () => {
  it('treats JSON media types as json, with their charset', () => {
    assert.deepEqual(classifyBody(ct('application/json; charset=UTF-8'), utf8('{}')), {
      kind: 'json',
      charset: 'utf-8',
      mime: 'application/json',
    });
    assert.equal(classifyBody(ct('application/problem+json'), utf8('{}')).kind, 'json');
    assert.equal(classifyBody(ct('TEXT/JSON'), utf8('[]')).kind, 'json');
  });

  it('reports empty bodies as empty whatever the type claims', () => {
    assert.equal(classifyBody(ct('application/json'), new Uint8Array()).kind, 'empty');
    assert.equal(classifyBody([], new Uint8Array()).kind, 'empty');
  });

  it('keeps a declared latin1 charset and normalises its label', () => {
    const c = classifyBody(ct('text/plain; charset="ISO-8859-1"'), new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
    assert.equal(c.kind, 'text');
    assert.equal(c.charset, 'windows-1252');
  });

  it('falls back to utf-8 for a charset label TextDecoder does not know', () => {
    assert.equal(classifyBody(ct('text/plain; charset=klingon'), utf8('x')).charset, 'utf-8');
  });

  it('treats html, xml and +xml as text and images or octet streams as binary', () => {
    assert.equal(classifyBody(ct('text/html'), utf8('<p>')).kind, 'text');
    assert.equal(classifyBody(ct('application/atom+xml'), utf8('<a/>')).kind, 'text');
    assert.equal(classifyBody(ct('image/png'), new Uint8Array([0x89, 0x50])).kind, 'binary');
    assert.equal(classifyBody(ct('application/octet-stream'), utf8('plain')).kind, 'binary');
  });

  it('sniffs bodies without a content type', () => {
    assert.equal(classifyBody([], utf8('  {"a": 1}')).kind, 'json');
    assert.equal(classifyBody([], utf8('hello')).kind, 'text');
    assert.equal(classifyBody([], new Uint8Array([0x00, 0x01, 0xff])).kind, 'binary');
    assert.equal(classifyBody([], new Uint8Array([0xc3, 0x28])).kind, 'binary');
  });
});

describe('decodeText', () => {
  it('decodes latin1 bytes with the declared charset', () => {
    assert.equal(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1'), 'café');
  });
  it('decodes utf-8 and survives an unknown label', () => {
    assert.equal(decodeText(utf8('café ✓'), 'utf-8'), 'café ✓');
    assert.equal(decodeText(utf8('ok'), 'no-such-charset'), 'ok');
  });
});

describe('extensionFor', () => {
  it('maps common content types to file extensions', () => {
    assert.equal(extensionFor('application/json; charset=utf-8'), 'json');
    assert.equal(extensionFor('application/vnd.api+json'), 'json');
    assert.equal(extensionFor('text/html'), 'html');
    assert.equal(extensionFor('application/soap+xml'), 'xml');
    assert.equal(extensionFor('text/x-unknown'), 'txt');
    assert.equal(extensionFor('image/png'), 'png');
    assert.equal(extensionFor('application/octet-stream'), 'bin');
    assert.equal(extensionFor(undefined), 'bin');
  });
});

describe('prettyJson', () => {
  it('keeps the exact digits of every number', () => {
    const text =
      '{"order_nr": 1234567890123456789, "items": [{"id": 9007199254740993, "price": 10.10}], ' +
      '"min": -9223372036854775808, "e": 1.0E+2}';
    const out = prettyJson(text);
    for (const digits of ['1234567890123456789', '9007199254740993', '10.10', '-9223372036854775808', '1.0E+2']) {
      assert.ok(out.includes(digits), `${digits} missing from ${out}`);
    }
    assert.ok(out.includes('\n  "items": [\n    {\n      "id": 9007199254740993,'));
  });

  it('throws on text that is not JSON', () => {
    assert.throws(() => prettyJson(")]}',\n{\"ok\": true}"), SyntaxError);
  });

  it('accepts a byte order mark and repeated keys', () => {
    assert.equal(prettyJson('\uFEFF{"a":1,"a":2}'), '{\n  "a": 2\n}');
  });
});

describe('formatBytes / formatMs', () => {
  it('formats sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50.0 MB');
    assert.equal(formatBytes(300 * 1024 * 1024), '300 MB');
    assert.equal(formatBytes(-1), '?');
  });
  it('formats durations', () => {
    assert.equal(formatMs(0.4), '0 ms');
    assert.equal(formatMs(245.6), '246 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(125_000), '2 min 5 s');
  });
});
