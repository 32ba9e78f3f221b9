import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import { sendBody, sendRpcStatus } from './rpcStatus';

const DEFAULT_BIG_BYTES = 1024 * 1024;
const MAX_BIG_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** One row of the big document; ids start at 2^53 + 1 and prices keep a trailing zero. */
function bigRow(i: number): string {
  const id = 9007199254740993n + BigInt(i) * 2n;
  return `{"id":${id},"seq":${i},"price":${10 + (i % 90)}.${i % 9}0,"name":"row-${i}","active":${i % 2 === 0}}`;
}

/** Yields a JSON array of about `bytes` bytes (never less than one row) in chunks, without holding it all. */
function* bigDocument(bytes: number): Generator<string> {
  let chunk = '[';
  let written = 0;
  for (let i = 0; ; i++) {
    const row = (i === 0 ? '' : ',') + bigRow(i);
    if (i > 0 && written + chunk.length + row.length + 1 > bytes) {
      break;
    }
    chunk += row;
    if (chunk.length >= CHUNK_BYTES) {
      written += chunk.length;
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A real 16x16 RGB gradient PNG, so viewers can both detect and render it. */
export function gradientPng(size = 16): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, default compression/filter/interlace
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter type "none" for each scanline
    for (let x = 0; x < size; x++) {
      rows.push(Math.round((x * 255) / (size - 1)), Math.round((y * 255) / (size - 1)), 160);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The JSON document served gzip-encoded by /test/gzip (exported so tests can compare). */
export const GZIP_JSON = '{"compressed":true,"order_nr":1234567890123456789,"price":10.10,"note":"gzip body"}';
/** The text served by /test/latin1, encoded as ISO-8859-1 on the wire. */
export const LATIN1_TEXT = 'Caf\u00e9 cr\u00e8me, \u00bd price \u00a310.10, Gr\u00fc\u00dfe, se\u00f1or\n';

/**
 * Serves the response-viewer fixtures under /test/. Returns false for an unknown /test path.
 */
export function serveTestPath(method: string, pathname: string, query: URLSearchParams, res: ServerResponse): boolean {
  if (method !== 'GET') {
    return false;
  }
  switch (pathname) {
    case '/test/big': {
      const bytes = query.has('bytes') ? Number(query.get('bytes')) : DEFAULT_BIG_BYTES;
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_BIG_BYTES) {
        sendRpcStatus(res, 400, 'INVALID_ARGUMENT', `bytes must be an integer from 1 to ${MAX_BIG_BYTES}`);
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      Readable.from(bigDocument(bytes)).pipe(res);
      return true;
    }
    case '/test/binary':
      sendBody(res, 200, gradientPng(), { 'content-type': 'image/png' });
      return true;
    case '/test/gzip':
      sendBody(res, 200, gzipSync(GZIP_JSON), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return true;
    case '/test/latin1':
      sendBody(res, 200, Buffer.from(LATIN1_TEXT, 'latin1'), { 'content-type': 'text/plain; charset=iso-8859-1' });
      return true;
    default:
      return false;
  }
}
