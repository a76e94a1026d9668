import { constants, createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import { storableBytes, storableText } from '../util/storable-text.js';

/**
 * The excerpt of an answer kept in the attempt log, from the bytes Herald read of it (at most MAX_RESPONSE_READ).
 *
 * Herald never asks for a compressed answer, but a receiver may send one anyway; its excerpt is then the start
 * of the decoded text, not compressed bytes. Decoding stops as soon as the excerpt is full, so a small answer
 * that inflates to gigabytes costs no more than a plain one.
 */
export function responseExcerpt(chunks: Buffer[], contentEncoding: string | undefined, maxBytes: number): string | Promise<string> {
  if (chunks.length === 0) return '';
  const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const encoding = contentEncoding?.trim().toLowerCase();
  const decoder = decoderFor(encoding);
  if (!decoder) return storableBytes(all, maxBytes);
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (failure?: Error) => {
      if (done) return;
      done = true;
      decoder.destroy();
      if (size === 0 && failure) resolve(storableText(`[${encoding} body could not be decoded: ${failure.message}]`, maxBytes));
      else resolve(storableBytes(Buffer.concat(out), maxBytes));
    };
    decoder.on('data', (c: Buffer) => {
      out.push(c);
      size += c.length;
      // A few bytes past the bound, so the cut falls on a whole character.
      if (size >= maxBytes + 4) finish();
    });
    decoder.on('end', () => finish());
    decoder.on('error', (e: Error) => finish(e));
    decoder.end(all);
  });
}

function decoderFor(encoding: string | undefined): Gunzip | null {
  // Herald may have read only the start of the answer: a sync flush decodes what is there without calling the
  // missing rest an error.
  const lenient = { finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 16 * 1024 };
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip(lenient);
  if (encoding === 'deflate') return createInflate(lenient);
  if (encoding === 'br') return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH, chunkSize: 16 * 1024 }) as unknown as Gunzip;
  return null;
}
