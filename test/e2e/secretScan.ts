import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { RecordedRequest } from '../gateway/gateway';

/** A value that must not be found anywhere, with a name that says what it is without repeating it. */
export interface Needle {
  label: string;
  value: string;
}

/** Where a needle was found. */
export interface Finding {
  where: string;
  label: string;
  encoding: 'utf8' | 'utf16le';
}

/** What one scan looked at and found. */
export interface ScanResult {
  files: number;
  bytes: number;
  findings: Finding[];
}

/** Lines shorter than this could be found by chance; the brief calls for every line of at least 16 characters. */
const MIN_NEEDLE_LENGTH = 16;

/**
 * Every piece of a private key worth looking for: each PEM body line of the key as given, of its
 * PKCS#8 and PKCS#1 encodings (a product could store either), and the private exponent as a JWK.
 */
export function privateKeyNeedles(name: string, privateKeyPem: string): Needle[] {
  const key = crypto.createPrivateKey(privateKeyPem);
  const encodings = [
    privateKeyPem,
    key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    key.export({ type: 'pkcs1', format: 'pem' }).toString(),
  ];
  const lines = new Set<string>();
  for (const pem of encodings) {
    for (const line of pem.split(/\r?\n/).map((l) => l.trim())) {
      if (line.length >= MIN_NEEDLE_LENGTH && !line.startsWith('-----')) lines.add(line);
    }
  }
  const needles = [...lines].map((value, i) => ({ label: `${name} private key line ${i + 1}`, value }));
  const jwk = key.export({ format: 'jwk' });
  if (jwk.d) needles.push({ label: `${name} private exponent (JWK d)`, value: jwk.d });
  return needles;
}

/**
 * Every cookie value the gateway saw coming back (each session cookie it handed out and the client
 * kept) and every login token it received.
 */
export function gatewayNeedles(requests: RecordedRequest[]): Needle[] {
  const values = new Map<string, string>();
  for (const request of requests) {
    const header = request.headers.cookie;
    for (const pair of (Array.isArray(header) ? header.join(';') : header ?? '').split(';')) {
      const eq = pair.indexOf('=');
      const value = eq > 0 ? pair.slice(eq + 1).trim() : '';
      if (value.length >= MIN_NEEDLE_LENGTH) values.set(value, `cookie ${pair.slice(0, eq).trim()}`);
    }
    const token = loginToken(request.body);
    if (token) {
      values.set(token, 'login token');
      const signature = token.split('.')[2];
      if (signature && signature.length >= MIN_NEEDLE_LENGTH) values.set(signature, 'login token signature');
    }
  }
  return [...values].map(([value, label], i) => ({ label: `${label} #${i + 1}`, value }));
}

/** The distinct values of cookie `name` in the recorded requests. */
export function cookieValuesSent(requests: RecordedRequest[], name: string): Set<string> {
  const found = new Set<string>();
  for (const request of requests) {
    const header = request.headers.cookie;
    for (const pair of (Array.isArray(header) ? header.join(';') : header ?? '').split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === name) found.add(pair.slice(eq + 1).trim());
    }
  }
  return found;
}

function loginToken(body: string): string | undefined {
  if (!body.includes('"token"')) return undefined;
  try {
    const token = (JSON.parse(body) as { token?: unknown }).token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks for every needle in `bytes`, as UTF-8 and as UTF-16LE: browsers keep strings with characters
 * beyond Latin-1 (localStorage, IndexedDB) as UTF-16 on disk.
 */
export function scanBytes(where: string, bytes: Buffer, needles: Needle[]): Finding[] {
  const findings: Finding[] = [];
  for (const needle of needles) {
    for (const encoding of ['utf8', 'utf16le'] as const) {
      if (bytes.includes(Buffer.from(needle.value, encoding))) findings.push({ where, label: needle.label, encoding });
    }
  }
  return findings;
}

/** Every regular file below `root`, except the folders in `exclude`. */
export function listFiles(root: string, exclude: string[] = []): string[] {
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.has(full)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** Scans every file in `files`; files that vanish meanwhile (a server rotating a log) are skipped. */
export function scanFiles(files: string[], needles: Needle[], relativeTo: string): ScanResult {
  const result: ScanResult = { files: 0, bytes: 0, findings: [] };
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      continue;
    }
    result.files += 1;
    result.bytes += bytes.length;
    result.findings.push(...scanBytes(path.relative(relativeTo, file), bytes, needles));
  }
  return result;
}

/** Everything the page's origin keeps in browser storage, as text: one entry per store. */
export interface BrowserStorageDump {
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  /** `<database>/<object store>` -> every key and value, byte arrays decoded as UTF-8. */
  indexedDb: Record<string, string>;
}

/**
 * Runs in the page. Kept as source text: the test runner's transpiler would add helpers to a
 * function that do not exist in the browser.
 */
const DUMP_SCRIPT = `(async () => {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const asText = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof ArrayBuffer) return decoder.decode(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) {
      return decoder.decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
    if (value instanceof Blob) return '[blob ' + value.size + ' bytes]';
    return JSON.stringify(value, (k, v) => (ArrayBuffer.isView(v) || v instanceof ArrayBuffer ? asText(v) : v));
  };
  const web = (storage) => {
    const out = {};
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null) out[key] = storage.getItem(key) ?? '';
    }
    return out;
  };
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const indexedDb = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await request(indexedDB.open(info.name));
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store, 'readonly');
        const keys = await request(tx.objectStore(store).getAllKeys());
        const values = await request(tx.objectStore(store).getAll());
        indexedDb[info.name + '/' + store] = keys.map((k, i) => asText(k) + '\\t' + asText(values[i])).join('\\n');
      }
    } finally {
      db.close();
    }
  }
  return { localStorage: web(localStorage), sessionStorage: web(sessionStorage), indexedDb };
})()`;

/** Reads all of localStorage, sessionStorage and every IndexedDB database of the page's origin. */
export async function dumpBrowserStorage(page: Page): Promise<BrowserStorageDump> {
  return (await page.evaluate(DUMP_SCRIPT)) as BrowserStorageDump;
}

/** Scans each store of a dump as its own place. */
export function scanDump(dump: BrowserStorageDump, needles: Needle[]): ScanResult {
  const result: ScanResult = { files: 0, bytes: 0, findings: [] };
  const places: Array<[string, string]> = [
    ...Object.entries(dump.localStorage).map(([k, v]): [string, string] => [`localStorage[${k}]`, `${k}\t${v}`]),
    ...Object.entries(dump.sessionStorage).map(([k, v]): [string, string] => [`sessionStorage[${k}]`, `${k}\t${v}`]),
    ...Object.entries(dump.indexedDb).map(([k, v]): [string, string] => [`indexedDB ${k}`, v]),
  ];
  for (const [where, text] of places) {
    const bytes = Buffer.from(text, 'utf8');
    result.files += 1;
    result.bytes += bytes.length;
    result.findings.push(...scanBytes(where, bytes, needles));
  }
  return result;
}
