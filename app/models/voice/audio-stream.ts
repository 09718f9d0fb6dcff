/** Stream helpers for a generation: nothing is promised to the caller before the first audio bytes. */

/** Reads until the first non-empty chunk; null when the stream ends without a byte. */
export async function firstChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | null> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    if (value && value.length > 0) return value;
  }
}

/** `first` followed by the rest of `reader`, pulled on demand (no buffering beyond one chunk). */
export function prepend(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  reader.closed.catch(() => {}); // a cut provider stream is reported through read(), not as unhandled
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
