import * as assert from 'node:assert/strict';
import { CHUNK_BYTES, responseMessages, toResponseMeta, type HostToViewMessage } from '../../src/core/protocol';
import type { ApiResponse } from '../../src/core/types';

function response(body: Uint8Array): ApiResponse {
  return {
    request: { method: 'GET', url: 'https://gateway.test/x', headers: [] },
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'application/octet-stream']],
    body,
    receivedBytes: body.byteLength,
    timings: { totalMs: 1 },
  };
}

const chunks = (messages: HostToViewMessage[]) =>
  messages.flatMap((m) => (m.type === 'responseChunk' ? [m.data] : []));

describe('messages from the extension to the viewer', () => {
  it('carry a Node Buffer body as plain Uint8Array chunks with their own memory', () => {
    // The HTTP client hands over Buffers; VS Code's webview transport only passes typed arrays it
    // recognises by constructor name, and sends the whole backing store of a view.
    const bytes = Buffer.alloc(2 * CHUNK_BYTES + 10);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const messages = [...responseMessages(1, response(bytes))];
    assert.deepEqual(
      messages.map((m) => m.type),
      ['responseStart', 'responseChunk', 'responseChunk', 'responseChunk', 'responseEnd'],
    );
    const parts = chunks(messages);
    for (const part of parts) {
      assert.equal(part.constructor, Uint8Array);
      assert.equal(part.byteOffset, 0);
      assert.equal(part.buffer.byteLength, part.byteLength);
    }
    assert.deepEqual(Buffer.concat(parts), bytes);
  });

  it('send no chunk for an empty body', () => {
    const messages = [...responseMessages(2, response(new Uint8Array()))];
    assert.deepEqual(
      messages.map((m) => m.type),
      ['responseStart', 'responseEnd'],
    );
  });

  it('mask the secrets a request body or a folded Set-Cookie carries before they are shown or persisted', () => {
    const r = response(new Uint8Array());
    r.request = {
      method: 'POST',
      url: 'https://gateway.test/identity/oauth/v1/token/create',
      headers: [],
      body: '{"grant_type":"authorization_code","client_id":"cid","client_secret":"s3cr3t-value-1"}',
    };
    r.headers = [['set-cookie', 'lang=en; Path=/, _npsid=SESSIONVALUE123; Path=/; HttpOnly']];
    const persisted = JSON.stringify(toResponseMeta(r));
    assert.ok(!persisted.includes('s3cr3t-value-1'), persisted);
    assert.ok(!persisted.includes('SESSIONVALUE123'), persisted);
    assert.ok(persisted.includes('client_id') && persisted.includes('_npsid='), persisted);
  });
});
