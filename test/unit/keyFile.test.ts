import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { generate as generateCertificate } from 'selfsigned';
import { signLoginToken } from '../../src/core/jwt';
import { KeyFileError, keyLabel, keyWarnings, MAX_KEY_FILE_BYTES, parseKeyFile } from '../../src/core/keyFile';
import type { KeyFileProblem } from '../../src/core/keyFileError';
import type { NoonKey } from '../../src/core/types';

const CASES = '/work/shared/cases/keys';
const CASE_KEY_ID = '00000000-test-4000-8000-000000000001';
const CASE_VALUES = [CASE_KEY_ID, 'PRJ000001', 'svc-demo@p000001.idp.noon.partners', '2026-11-30T09:15:00Z'];

// ---- fixtures -------------------------------------------------------------------------------------------------

const keyPairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();

/** RSA keys are slow to make, so each size is generated once per run. */
function rsa(bits = 2048): { privateKey: KeyObject; publicKey: KeyObject } {
  let pair = keyPairs.get(`rsa${bits}`);
  if (!pair) {
    pair = generateKeyPairSync('rsa', { modulusLength: bits });
    keyPairs.set(`rsa${bits}`, pair);
  }
  return pair;
}

const pkcs8 = (key: KeyObject): string => String(key.export({ type: 'pkcs8', format: 'pem' }));
const pkcs1 = (key: KeyObject): string => String(key.export({ type: 'pkcs1', format: 'pem' }));

function keyFile(privateKey: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ key_id: 'kid-1', private_key: privateKey, project_code: 'PRJ424242', ...extra }, null, 2);
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function utf16(text: string, bigEndian: boolean, bom = true): Uint8Array {
  const bytes = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (bigEndian) bytes.swap16();
  return new Uint8Array(bytes);
}

// ---- assertions -----------------------------------------------------------------------------------------------

/** Imports, then proves the result logs in: a fresh login token verifies with the expected public key. */
async function expectImported(input: Uint8Array | string, publicKey: KeyObject): Promise<NoonKey> {
  const key = await parseKeyFile(input);
  assert.match(key.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/);
  assert.ok(!key.privateKeyPem.includes('\r'));

  const token = await signLoginToken(key, Date.now());
  const { payload } = await jwtVerify(token, publicKey, { algorithms: ['RS256'] });
  assert.equal(payload.sub, key.keyId);
  return key;
}

/** Every base64 run of the input's key material, with PEM armour, escapes and line breaks taken out. */
function keyMaterialIn(input: Uint8Array | string): string[] {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const unescaped = text.replace(/\\+[rn]/g, '\n');
  const bodies = [...unescaped.matchAll(/-----BEGIN [A-Z ]+-----([\s\S]*?)(?:-----END [A-Z ]+-----|$)/g)].map((m) =>
    m[1].replace(/^[A-Za-z-]+:.*$/gm, '').replace(/[\s"]/g, ''),
  );
  const bare = unescaped.match(/[A-Za-z0-9+/=]{40,}/g) ?? [];
  return [...bodies, ...bare].filter((body) => body.length >= 16);
}

/** No 16-character window of any key body, and no field value, appears anywhere in what the error exposes. */
function assertNoLeak(err: Error, input: Uint8Array | string, values: string[] = []): void {
  const exposed = [err.message, String(err), String(err.stack)];
  for (const body of keyMaterialIn(input)) {
    for (let i = 0; i + 16 <= body.length; i++) {
      const window = body.slice(i, i + 16);
      for (const text of exposed) assert.ok(!text.includes(window), `key material leaked: ${err.message}`);
    }
  }
  for (const value of values) {
    for (const text of exposed) assert.ok(!text.includes(value), `a field value leaked: ${err.message}`);
  }
}

async function expectRefused(
  input: Uint8Array | string,
  problem: KeyFileProblem,
  values: string[] = ['kid-1', 'PRJ424242'],
): Promise<KeyFileError> {
  const err = await parseKeyFile(input).then(
    () => assert.fail(`expected a refusal with ${problem}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof KeyFileError, `not a KeyFileError: ${String(err)}`);
  assert.equal(err.problem, problem, err.message);
  assertNoLeak(err, input, values);
  return err;
}

// ---- the files users reported ---------------------------------------------------------------------------------

describe('parseKeyFile: the reported key files', () => {
  const sharedPublicKey = createPublicKey(
    JSON.parse(readFileSync(join(CASES, 'valid-pkcs8.json'), 'utf8')).private_key as string,
  );
  const read = (file: string): Uint8Array => new Uint8Array(readFileSync(join(CASES, file)));

  const imported = [
    'valid-pkcs8.json',
    'valid-pkcs1.json',
    'minimal-fields.json',
    'crlf-pem.json',
    'double-escaped-newlines.json',
    'utf8-bom.json',
  ];
  const refused: Record<string, (err: KeyFileError) => void> = {
    'rsa-1024.json': (err) => {
      assert.equal(err.problem, 'key-too-short');
      assert.match(err.message, /1024 bits; 2048 bits needed/);
    },
    'ec-key.json': (err) => {
      assert.equal(err.problem, 'not-rsa');
      assert.match(err.message, /needs an RSA key/);
    },
    'encrypted-pkcs8.json': (err) => {
      assert.equal(err.problem, 'encrypted-key');
      assert.match(err.message, /encrypted/);
    },
    'missing-key-id.json': (err) => {
      assert.equal(err.problem, 'missing-field');
      assert.equal(err.field, 'key_id');
      assert.match(err.message, /"key_id"/);
    },
    'curly-quotes.json': (err) => {
      assert.equal(err.problem, 'invalid-json');
      assert.deepEqual([err.line, err.column], [2, 3]);
      assert.match(err.message, /line 2, column 3/);
      assert.match(err.message, /typographic quotes; re-download the file or use straight quotes/);
    },
    'public-key-only.json': (err) => {
      assert.equal(err.problem, 'public-key');
      assert.match(err.message, /this is a public key; the key file from the partner portal contains the private key/i);
    },
  };

  it('has an expectation for every file in the folder', () => {
    const files = readdirSync(CASES).filter((name) => name.endsWith('.json'));
    assert.deepEqual(files.sort(), [...imported, ...Object.keys(refused)].sort());
  });

  for (const file of imported) {
    it(`imports ${file} and its login token verifies`, async () => {
      const key = await expectImported(read(file), sharedPublicKey);
      assert.equal(key.keyId, CASE_KEY_ID);
      assert.equal(key.projectCode, 'PRJ000001');
    });
  }

  it('normalises every importable file to the same PKCS#8 PEM', async () => {
    const pems = new Set<string>();
    for (const file of imported) pems.add((await parseKeyFile(read(file))).privateKeyPem);
    assert.equal(pems.size, 1);
  });

  it('keeps the informational fields of the portal file', async () => {
    const key = await parseKeyFile(read('valid-pkcs8.json'));
    assert.equal(key.channelIdentifier, 'svc-demo@p000001.idp.noon.partners');
    assert.equal(key.type, 'apijwt');
    assert.equal(key.issuedAt, '2026-11-30T09:15:00Z');
    assert.deepEqual(Object.keys(key).sort(), [
      'channelIdentifier',
      'issuedAt',
      'keyId',
      'privateKeyPem',
      'projectCode',
      'type',
    ]);
    const minimal = await parseKeyFile(read('minimal-fields.json'));
    assert.deepEqual(Object.keys(minimal).sort(), ['keyId', 'privateKeyPem', 'projectCode']);
  });

  for (const [file, check] of Object.entries(refused)) {
    it(`refuses ${file} with the right problem and no key material in the message`, async () => {
      const bytes = read(file);
      const err = await parseKeyFile(bytes).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof KeyFileError);
      check(err);
      assertNoLeak(err, bytes, CASE_VALUES);
      for (const line of Buffer.from(bytes)
        .toString('utf8')
        .split(/\\n|\n/)) {
        if (line.trim().length >= 16) assert.ok(!err.message.includes(line.trim()));
      }
    });
  }
});

// ---- whole kinds of faults, generated ---------------------------------------------------------------------------

describe('parseKeyFile: PEM as it arrives after copying', () => {
  const { privateKey, publicKey } = rsa();
  const flavours = { 'PKCS#8': () => pkcs8(privateKey), 'PKCS#1': () => pkcs1(privateKey) };

  for (const [flavour, pem] of Object.entries(flavours)) {
    const variants: Record<string, (p: string) => string> = {
      'LF newlines': (p) => p,
      'CRLF newlines': (p) => p.replace(/\n/g, '\r\n'),
      'CR newlines': (p) => p.replace(/\n/g, '\r'),
      'newlines as the two characters \\n': (p) => p.replace(/\n/g, '\\n'),
      'newlines as the characters \\r\\n': (p) => p.replace(/\n/g, '\\r\\n'),
      'newlines escaped twice': (p) => p.replace(/\n/g, '\\\\n'),
      'all on one line with spaces': (p) => p.replace(/\n/g, ' '),
      'all on one line without separators': (p) => p.replace(/\n/g, ''),
      're-wrapped at 76 columns': (p) => rewrap(p, 76),
      're-wrapped at 40 columns with CRLF': (p) => rewrap(p, 40).replace(/\n/g, '\r\n'),
      'surrounded by whitespace': (p) => `\n\t  ${p}  \n\n`,
      'indented lines': (p) => p.replace(/\n/g, '\n    '),
      'no final newline': (p) => p.trimEnd(),
      'typographic dashes from a chat app': (p) => p.replace(/-----/g, '—–—'),
    };
    for (const [name, mangle] of Object.entries(variants)) {
      it(`imports ${flavour} with ${name}`, async () => {
        await expectImported(keyFile(mangle(pem())), publicKey);
      });
    }
  }

  it('imports a PEM pasted with real line breaks inside the JSON string', async () => {
    const text = `{"key_id": "kid-1", "project_code": "PRJ424242", "private_key": "${pkcs8(privateKey)}"}`;
    assert.throws(() => JSON.parse(text));
    await expectImported(text, publicKey);
  });

  it('imports a key given as bare base64 DER', async () => {
    const der8 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const der1 = privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    await expectImported(keyFile(der8), publicKey);
    await expectImported(keyFile(der1), publicKey);
  });

  it('imports a key file that holds a certificate chain besides the key', async () => {
    const { cert } = await generateCertificate([{ name: 'commonName', value: 'chain.test' }], { keySize: 2048 });
    await expectImported(keyFile(`${cert}\n${pkcs8(privateKey)}`), publicKey);
  });
});

function rewrap(pem: string, width: number): string {
  const lines = pem.trim().split('\n');
  const body = lines.slice(1, -1).join('');
  const chunks = body.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return [lines[0], ...chunks, lines[lines.length - 1]].join('\n');
}

describe('parseKeyFile: text encodings and JSON shape', () => {
  const { privateKey, publicKey } = rsa();
  const text = (): string => keyFile(pkcs8(privateKey));

  const encodings: Record<string, () => Uint8Array | string> = {
    'UTF-8 with a byte-order mark': () => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text())]),
    'UTF-16 LE with a byte-order mark': () => utf16(text(), false),
    'UTF-16 BE with a byte-order mark': () => utf16(text(), true),
    'UTF-16 LE without a byte-order mark': () => utf16(text(), false, false),
    'UTF-16 BE without a byte-order mark': () => utf16(text(), true, false),
    'a pasted string with a byte-order mark': () => `\uFEFF${text()}`,
    'whitespace around the JSON': () => `\n\n  \t${text()}\n\n  `,
    'Windows line endings in the JSON': () => text().replace(/\n/g, '\r\n'),
    'compact JSON': () => JSON.stringify(JSON.parse(text())),
  };
  for (const [name, input] of Object.entries(encodings)) {
    it(`imports ${name}`, async () => {
      await expectImported(input(), publicKey);
    });
  }

  it('accepts camelCase field names and unknown extra fields', async () => {
    const input = JSON.stringify({
      keyId: 'kid-camel',
      privateKey: pkcs8(privateKey),
      projectCode: 'PRJ777',
      channelIdentifier: 'svc@p1.idp.noon.partners',
      issuedAt: '2026-01-01T00:00:00Z',
      whitelisted_ips: ['127.0.0.1'],
      note: { anything: true },
    });
    const key = await expectImported(input, publicKey);
    assert.deepEqual(
      { ...key, privateKeyPem: undefined },
      {
        keyId: 'kid-camel',
        projectCode: 'PRJ777',
        channelIdentifier: 'svc@p1.idp.noon.partners',
        issuedAt: '2026-01-01T00:00:00Z',
        privateKeyPem: undefined,
      },
    );
  });

  it('prefers the snake_case field when both spellings are present', async () => {
    const key = await parseKeyFile(keyFile(pkcs8(privateKey), { keyId: 'other', projectCode: 'OTHER' }));
    assert.equal(key.keyId, 'kid-1');
    assert.equal(key.projectCode, 'PRJ424242');
  });

  it('trims whitespace around the identifiers', async () => {
    const key = await parseKeyFile(
      JSON.stringify({ key_id: '  kid-1\n', private_key: pkcs8(privateKey), project_code: '\tPRJ1 ' }),
    );
    assert.equal(key.keyId, 'kid-1');
    assert.equal(key.projectCode, 'PRJ1');
  });

  it('accepts a type other than "apijwt" and reports it only as a warning', async () => {
    const key = await expectImported(keyFile(pkcs8(privateKey), { type: 'something-else' }), publicKey);
    assert.equal(key.type, 'something-else');
    assert.equal(keyWarnings(key).length, 1);
    assert.deepEqual(keyWarnings({ ...key, type: 'apijwt' }), []);
    assert.deepEqual(keyWarnings({ ...key, type: undefined }), []);
  });

  it('ignores informational fields of the wrong type instead of refusing', async () => {
    const key = await parseKeyFile(keyFile(pkcs8(privateKey), { channel_identifier: 42, type: null, issued_at: {} }));
    assert.equal(key.channelIdentifier, undefined);
    assert.equal(key.type, undefined);
    assert.equal(key.issuedAt, undefined);
  });

  it('imports the credential as an API response wraps it', async () => {
    const credential = JSON.parse(keyFile(pkcs8(privateKey)));
    await expectImported(JSON.stringify({ credential }), publicKey);
    await expectImported(JSON.stringify({ status: {}, project_code: 'X', result: credential }), publicKey);
  });

  it('imports a key file that was JSON-encoded twice (as in an environment variable)', async () => {
    await expectImported(JSON.stringify(text()), publicKey);
  });

  it('accepts a file of exactly the size cap', async () => {
    const base = keyFile(pkcs8(privateKey), { padding: '' });
    const padded = base.replace('"padding": ""', `"padding": "${'x'.repeat(MAX_KEY_FILE_BYTES - utf8(base).length)}"`);
    assert.equal(utf8(padded).length, MAX_KEY_FILE_BYTES);
    await expectImported(utf8(padded), publicKey);
  });
});

describe('parseKeyFile: refusals', () => {
  const { privateKey } = rsa();

  describe('size and encoding', () => {
    it('refuses input over the cap, as bytes or as text, and names the cap', async () => {
      const big = keyFile(pkcs8(privateKey), { padding: 'x'.repeat(MAX_KEY_FILE_BYTES) });
      for (const input of [big, utf8(big)]) {
        const err = await expectRefused(input, 'too-large');
        assert.match(err.message, /64 KiB/);
      }
      // Multi-byte characters count by their encoded size, not by string length.
      const wide = '€'.repeat(Math.ceil(MAX_KEY_FILE_BYTES / 3) + 1);
      assert.ok(wide.length < MAX_KEY_FILE_BYTES);
      await expectRefused(wide, 'too-large');
    });

    it('refuses bytes that are not UTF-8 text', async () => {
      const cp1252 = new Uint8Array([...utf8('{"key_id": '), 0x93, ...utf8('kid'), 0x94, ...utf8('}')]);
      await expectRefused(cp1252, 'not-utf8');
      await expectRefused(new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x22]), 'not-utf8');
    });

    for (const [name, input] of Object.entries({
      'an empty string': '',
      'only whitespace': ' \r\n\t ',
      'no bytes': new Uint8Array(0),
      'only a byte-order mark': new Uint8Array([0xef, 0xbb, 0xbf]),
      'a UTF-16 byte-order mark and spaces': utf16('  ', false),
    })) {
      it(`refuses ${name} as empty`, async () => {
        await expectRefused(input, 'empty');
      });
    }
  });

  describe('invalid JSON', () => {
    const pem = (): string => pkcs8(privateKey);

    it('points at a trailing comma', async () => {
      const text = keyFile(pem()).replace(/\n}$/, ',\n}');
      const err = await expectRefused(text, 'invalid-json');
      const lines = text.split('\n');
      assert.deepEqual([err.line, err.column], [lines.length, 1]);
      assert.match(err.message, new RegExp(`line ${lines.length}, column 1`));
      assert.match(err.message, /comma/);
    });

    it('points at single quotes', async () => {
      const text = keyFile(pem()).replace('"project_code"', "'project_code'");
      const err = await expectRefused(text, 'invalid-json');
      const lineIndex = text.split('\n').findIndex((line) => line.includes("'project_code'"));
      assert.deepEqual([err.line, err.column], [lineIndex + 1, 3]);
      assert.match(err.message, /double quotes/);
    });

    it('counts lines in files with Windows and old Mac line endings', async () => {
      for (const eol of ['\r\n', '\r']) {
        const err = await expectRefused(`{${eol}  "key_id": "kid-1",${eol}  oops${eol}}`, 'invalid-json');
        assert.deepEqual([err.line, err.column], [3, 3]);
      }
    });

    it('says a truncated file ends too early, without quoting what it read', async () => {
      const full = keyFile(pem());
      for (const cut of [0.3, 0.5, 0.9]) {
        const text = full.slice(0, Math.floor(full.length * cut));
        const err = await expectRefused(text, 'invalid-json');
        assert.match(err.message, /ends too early/);
        assert.equal(err.line, text.split('\n').length);
      }
    });

    for (const [name, [open, close]] of Object.entries({
      'curly double quotes': ['\u201C', '\u201D'],
      'low-high quotes': ['\u201E', '\u201C'],
      'curly single quotes': ['\u2018', '\u2019'],
      'full-width quotes': ['\uFF02', '\uFF02'],
    })) {
      it(`gives the typographic-quote hint for ${name}`, async () => {
        const text = keyFile(pem()).replace('"project_code"', `${open}project_code${close}`);
        const err = await expectRefused(text, 'invalid-json');
        assert.match(err.message, /typographic quotes; re-download the file or use straight quotes/);
      });
    }

    it('gives the typographic-quote hint when only a value is curly-quoted', async () => {
      const err = await expectRefused(keyFile(pem()).replace('"PRJ424242"', '\u201CPRJ424242\u201D'), 'invalid-json');
      assert.match(err.message, /typographic quotes/);
    });

    it('never passes on the parser message, which quotes the input', async () => {
      for (const text of ['SECRETWORDxyz', '{"a": SECRETWORDxyz}', '{"a": tru}']) {
        let nativeMessage = '';
        try {
          JSON.parse(text);
        } catch (e) {
          nativeMessage = (e as Error).message;
        }
        const err = await expectRefused(text, 'invalid-json', ['SECRETWORD']);
        assert.notEqual(err.message, nativeMessage);
        assert.ok(!err.message.includes(text));
        assert.ok(err.line === 1 && err.column !== undefined && err.column >= 1);
      }
    });

    it('finds the column even when the native parser gives no position', async () => {
      const err = await expectRefused('{"key_id": tru}', 'invalid-json');
      assert.deepEqual([err.line, err.column], [1, 12]);
    });

    it('explains that a bare PEM is not the key file', async () => {
      const err = await expectRefused(pem(), 'invalid-json');
      assert.match(err.message, /bare PEM/);
    });
  });

  describe('not an object', () => {
    for (const text of ['[]', '[{"key_id": "kid-1"}]', 'null', '42', '"just text"', 'true']) {
      it(`refuses ${text}`, async () => {
        const err = await expectRefused(text, 'not-an-object');
        assert.match(err.message, /JSON object/);
      });
    }
  });

  describe('fields', () => {
    const pem = (): string => pkcs8(privateKey);
    const fields = (): Record<string, unknown> => ({ key_id: 'kid-1', private_key: pem(), project_code: 'PRJ424242' });

    for (const field of ['key_id', 'project_code']) {
      for (const bad of ['kid\n2026-12-03 [info] forged line', 'kid\u0007', 'kid\u2028x']) {
        it(`refuses ${field} with a line break or control character (${JSON.stringify(bad).slice(0, 12)}…)`, async () => {
          const err = await expectRefused(JSON.stringify({ ...fields(), [field]: bad }), 'wrong-type');
          assert.equal(err.field, field);
          assert.ok(!err.message.includes('forged'), err.message);
        });
      }
    }

    for (const field of ['key_id', 'private_key', 'project_code']) {
      for (const [name, value] of Object.entries({
        absent: undefined,
        'an empty string': '',
        'only whitespace': '  \n ',
        null: null,
      })) {
        it(`refuses ${field} that is ${name}, naming it`, async () => {
          const input = fields();
          if (value === undefined) delete input[field];
          else input[field] = value;
          const err = await expectRefused(JSON.stringify(input), 'missing-field');
          assert.equal(err.field, field);
          assert.ok(err.message.includes(`"${field}"`), err.message);
        });
      }

      for (const [name, value] of Object.entries({
        'a number': 1234,
        'an array': ['x'],
        'an object': { value: 'x' },
        'a boolean': true,
      })) {
        it(`refuses ${field} that is ${name}, naming the field and the expected type`, async () => {
          const err = await expectRefused(JSON.stringify({ ...fields(), [field]: value }), 'wrong-type');
          assert.equal(err.field, field);
          assert.ok(err.message.includes(`"${field}"`), err.message);
          assert.match(err.message, /must be a string/);
        });
      }
    }

    it('names the camelCase spelling when that is what the file used', async () => {
      const err = await expectRefused(
        JSON.stringify({ keyId: 7, private_key: pem(), project_code: 'P' }),
        'wrong-type',
      );
      assert.equal(err.field, 'key_id');
      assert.match(err.message, /"keyId"/);
    });

    it('does not echo the values of other fields', async () => {
      const input = JSON.stringify({ key_id: 'kid-visible-value', private_key: pem(), project_code: '' });
      await expectRefused(input, 'missing-field', ['kid-visible-value']);
    });
  });

  describe('public keys', () => {
    const { publicKey } = rsa();
    const cases: Record<string, () => Promise<string> | string> = {
      'an SPKI public key': () => String(publicKey.export({ type: 'spki', format: 'pem' })),
      'a PKCS#1 public key': () => String(publicKey.export({ type: 'pkcs1', format: 'pem' })),
      'an SPKI public key with \\n escapes': () =>
        String(publicKey.export({ type: 'spki', format: 'pem' })).replace(/\n/g, '\\n'),
      'a certificate': async () => (await generateCertificate([{ name: 'commonName', value: 'x.test' }])).cert,
      'an OpenSSH public key line': () =>
        `ssh-rsa ${publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64')} user@host`,
      'an SPKI public key as bare base64 DER': () =>
        publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`refuses ${name}`, async () => {
        const err = await expectRefused(keyFile(await make()), 'public-key');
        assert.match(err.message, /this is a public key; the key file from the partner portal contains the private/i);
        assert.equal(err.field, 'private_key');
      });
    }
  });

  describe('encrypted keys', () => {
    const cases: Record<string, () => string> = {
      'encrypted PKCS#8': () =>
        String(privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })),
      'legacy PKCS#1 with Proc-Type: 4,ENCRYPTED': () =>
        String(privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' })),
      'legacy PKCS#1 encryption on one line': () =>
        String(privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'des-ede3-cbc', passphrase: 'pw' })).replace(
          /\n/g,
          ' ',
        ),
      'encrypted PKCS#8 with \\r\\n escapes': () =>
        String(privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' })).replace(
          /\n/g,
          '\\r\\n',
        ),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`refuses ${name}`, async () => {
        const pem = make();
        const err = await expectRefused(keyFile(pem), 'encrypted-key');
        assert.match(err.message, /encrypted/);
      });
    }

    it('really produced legacy encryption headers in the fixture', () => {
      assert.match(cases['legacy PKCS#1 with Proc-Type: 4,ENCRYPTED'](), /Proc-Type: 4,ENCRYPTED/);
    });
  });

  describe('keys that are not RSA', () => {
    const cases: Record<string, [() => string, RegExp]> = {
      'EC P-256 (SEC1)': [
        () =>
          String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' })),
        /EC P-256/,
      ],
      'EC P-384': [() => pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey), /EC P-384/],
      Ed25519: [() => pkcs8(generateKeyPairSync('ed25519').privateKey), /Ed25519/],
      Ed448: [() => pkcs8(generateKeyPairSync('ed448').privateKey), /Ed448/],
      DSA: [() => pkcs8(generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey), /DSA/],
      'RSA-PSS': [() => pkcs8(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey), /RSA-PSS/],
      'Ed25519 as bare base64 DER': [
        () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
        /Ed25519/,
      ],
    };
    for (const [name, [make, kind]] of Object.entries(cases)) {
      it(`refuses ${name}, saying an RSA key is needed`, async () => {
        const err = await expectRefused(keyFile(make()), 'not-rsa');
        assert.match(err.message, /needs an RSA key/);
        assert.match(err.message, kind);
      });
    }
  });

  describe('short RSA keys', () => {
    for (const bits of [512, 1024, 1536, 2040]) {
      for (const [flavour, format] of Object.entries({ 'PKCS#8': pkcs8, 'PKCS#1': pkcs1 })) {
        it(`refuses a ${bits}-bit ${flavour} key, giving its size`, async () => {
          const err = await expectRefused(keyFile(format(rsa(bits).privateKey)), 'key-too-short');
          assert.match(err.message, new RegExp(`${bits} bits; 2048 bits needed`));
        });
      }
    }
  });

  describe('things that are not a key at all', () => {
    const pem = (): string => pkcs8(privateKey);
    const cases: Record<string, () => string> = {
      'plain text': () => 'paste your key here',
      'random base64': () => Buffer.from('this is not DER at all, only some text').toString('base64'),
      'a PEM whose body is not DER': () =>
        `-----BEGIN PRIVATE KEY-----\n${Buffer.alloc(600, 7).toString('base64')}\n-----END PRIVATE KEY-----\n`,
      'a PEM with characters that are not base64': () => pem().replace(/\n(.{10})/, '\n$1*!'),
      'a PEM cut in half': () => pem().slice(0, Math.floor(pem().length / 2)),
      'an OpenSSH private key': () => {
        const body = Buffer.alloc(300, 9).toString('base64');
        return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`;
      },
      'an unknown PEM label': () => pem().replace(/PRIVATE KEY/g, 'SOMETHING ELSE'),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`refuses ${name}`, async () => {
        const err = await expectRefused(keyFile(make()), 'not-a-key');
        assert.equal(err.field, 'private_key');
      });
    }
  });

  it('refuses a damaged key whose signatures do not verify', async () => {
    const jwk = privateKey.export({ format: 'jwk' }) as JsonWebKey;
    const other = rsa(1024).privateKey.export({ format: 'jwk' }) as JsonWebKey;
    // A wrong private exponent and CRT exponent survive loading but produce signatures the public key rejects.
    const damaged = createPrivateKey({ key: { ...jwk, d: other.d, dp: other.dp }, format: 'jwk' });
    const err = await expectRefused(keyFile(pkcs8(damaged)), 'signing-failed');
    assert.match(err.message, /damaged/);
  });
});

describe('keyLabel', () => {
  const base: NoonKey = { keyId: 'kid-1', privateKeyPem: '', projectCode: 'PRJ1' };

  it('uses the channel identifier when there is one', () => {
    assert.equal(keyLabel({ ...base, channelIdentifier: 'svc@p1.idp.noon.partners' }), 'svc@p1.idp.noon.partners');
  });

  it('falls back to the key id', () => {
    assert.equal(keyLabel(base), 'kid-1');
    assert.equal(keyLabel({ ...base, channelIdentifier: '' }), 'kid-1');
  });
});
