import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { NoonError } from './errors';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes Content-Encoding (gzip, deflate, br; several in order); unknown codings are left as they came.
 *
 * @param maxBytes the most a decoded body may grow to, so a small compressed answer cannot fill memory
 * @throws NoonError('bad-response') when a known coding does not decode
 */
export async function decodeBody(
  raw: Buffer,
  encoding: string | undefined,
  host: string,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!encoding || raw.length === 0) return raw;
  const limits = { maxOutputLength: maxBytes };
  let body = raw;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity');
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') body = await gunzip(body, limits);
      else if (coding === 'br') body = await brotli(body, limits);
      // Servers disagree on whether deflate carries the zlib wrapper; accept both.
      else if (coding === 'deflate') body = await inflate(body, limits).catch(() => inflateRaw(body, limits));
      else return body;
    }
  } catch (error) {
    throw new NoonError('bad-response', `${host} sent a ${encoding} body that could not be decoded.`, {
      host,
      cause: error,
    });
  }
  return body;
}
