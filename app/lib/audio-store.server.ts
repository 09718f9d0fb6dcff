/**
 * Writes a stream of unknown length to R2 without holding all of it (ADR 009).
 *
 * R2's `put` only takes a stream whose length is known up front (a request/response body with
 * Content-Length, or the readable half of a FixedLengthStream). ElevenLabs streams TTS audio
 * chunked, without Content-Length, so:
 * - length known → pipe through `FixedLengthStream(length)` straight into `put` (no buffering);
 * - length unknown → collect at most one R2 multipart part (5 MiB, R2's minimum and its required
 *   size for every part but the last) at a time. Objects under one part end up as a single `put`
 *   of the collected bytes; longer ones as a multipart upload of equal 5 MiB parts + a final one.
 *   Peak memory per upload is one part, whatever the audio length.
 */
export const R2_PART_SIZE = 5 * 1024 * 1024;

export interface StoredObject {
  size: number;
  parts: number;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function putStream(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  opts: { contentType: string; contentLength?: number | null; partSize?: number },
): Promise<StoredObject> {
  const httpMetadata = { contentType: opts.contentType };
  if (opts.contentLength !== null && opts.contentLength !== undefined && opts.contentLength > 0) {
    const fixed = new FixedLengthStream(opts.contentLength);
    const piping = body.pipeTo(fixed.writable);
    const [object] = await Promise.all([bucket.put(key, fixed.readable, { httpMetadata }), piping]);
    return { size: object?.size ?? opts.contentLength, parts: 1 };
  }

  const partSize = opts.partSize ?? R2_PART_SIZE;
  const reader = body.getReader();
  reader.closed.catch(() => {}); // errors surface through read() below
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let total = 0;
  let upload: R2MultipartUpload | null = null;
  const uploaded: R2UploadedPart[] = [];

  // Takes exactly `n` bytes off the front of the pending chunks.
  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = pending[0];
      const need = n - at;
      if (head.length <= need) {
        out.set(head, at);
        at += head.length;
        pending.shift();
      } else {
        out.set(head.subarray(0, need), at);
        pending[0] = head.subarray(need);
        at += need;
      }
    }
    pendingBytes -= n;
    return out;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value || value.length === 0) continue;
      pending.push(value);
      pendingBytes += value.length;
      total += value.length;
      while (pendingBytes >= partSize) {
        upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
        uploaded.push(await upload.uploadPart(uploaded.length + 1, take(partSize)));
      }
    }
    if (!upload) {
      await bucket.put(key, concat(pending, pendingBytes), { httpMetadata });
      return { size: total, parts: 1 };
    }
    if (pendingBytes > 0) uploaded.push(await upload.uploadPart(uploaded.length + 1, take(pendingBytes)));
    await upload.complete(uploaded);
    return { size: total, parts: uploaded.length };
  } catch (err) {
    pending = [];
    await reader.cancel(err).catch(() => {});
    if (upload) await upload.abort().catch(() => {});
    throw err;
  }
}
