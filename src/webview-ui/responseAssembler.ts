import type { HostToViewMessage, ResponseMeta } from '../core/protocol';

export interface AssembledResponse {
  seq: number;
  meta: ResponseMeta;
  body: Uint8Array;
}

/** Collects `responseStart` / `responseChunk` / `responseEnd` messages into one body. */
export class ResponseAssembler {
  private pending?: { seq: number; meta: ResponseMeta; chunks: Uint8Array[]; size: number };

  /** Returns the complete response once its last message has arrived. */
  accept(message: HostToViewMessage): AssembledResponse | undefined {
    if (message.type === 'responseStart') {
      this.pending = { seq: message.seq, meta: message.meta, chunks: new Array(message.chunkCount), size: 0 };
      return undefined;
    }
    const pending = this.pending;
    if (!pending || pending.seq !== message.seq) return undefined;
    if (message.type === 'responseChunk') {
      if (message.index < pending.chunks.length && !pending.chunks[message.index]) {
        pending.chunks[message.index] = message.data;
        pending.size += message.data.byteLength;
      }
      return undefined;
    }
    this.pending = undefined;
    const body = new Uint8Array(pending.size);
    let offset = 0;
    for (const chunk of pending.chunks) {
      if (!chunk) continue;
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { seq: pending.seq, meta: pending.meta, body };
  }
}
