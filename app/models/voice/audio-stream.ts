/** Stream helpers for a generation: nothing is promised to the caller before the first audio bytes. */

/** Reads until the first non-empty chunk; null when the stream ends without a byte. */
export async function firstChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | null> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    if (value && value.length > 0) return value;
  }
}

/** The provider's audio broke off after its first bytes (connection lost or reset): what we have is incomplete. */
export class AudioCutOffError extends Error {
  constructor(cause: unknown) {
    super(`the voice provider's audio stream broke off: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "AudioCutOffError";
  }
}

/**
 * `first` followed by the rest of `reader`, for the R2 write and (when streaming) the caller, fed
 * by one read loop that whichever branch wants more pulls (a slower branch queues what the faster
 * one pulled, as `tee()` would). A read that fails ends both with one AudioCutOffError of ours, so
 * the R2 write throws it (the recording fails and is refunded) and the caller's response is reset
 * instead of ending as if the audio were whole.
 *
 * The caller's branch is piped into a native IdentityTransformStream: the Response reads a native
 * stream, which the failed pipe aborts. (A JS stream as the Response body leaves workerd's own
 * reads of it rejected with nobody to handle them: an "Uncaught (in promise)" line per cut.)
 */
export function fanOut(
  first: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  opts: { toCaller: boolean },
): { toStore: ReadableStream<Uint8Array>; toCaller: ReadableStream<Uint8Array> | null } {
  const branches = opts.toCaller ? 2 : 1;
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let reading: Promise<void> | null = null;
  let cancelled = 0;
  reader.closed.catch(() => {}); // a failed read is handled below; `closed` rejects with the same error

  async function readOnce(): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (err) {
      const cut = new AudioCutOffError(err);
      for (const c of open) c.error(cut);
      open.clear();
      return;
    }
    for (const c of open) {
      if (chunk.done) c.close();
      else c.enqueue(chunk.value);
    }
    if (chunk.done) open.clear();
  }

  const [toStore, callerJs] = Array.from({ length: branches }, () => {
    let mine: ReadableStreamDefaultController<Uint8Array>;
    return new ReadableStream<Uint8Array>({
      start(controller) {
        mine = controller;
        open.add(controller);
        controller.enqueue(first);
      },
      pull() {
        reading ??= readOnce().finally(() => {
          reading = null;
        });
        return reading;
      },
      cancel(reason) {
        // The caller hung up: the R2 write still gets the whole audio; only when nobody reads is the provider cancelled.
        open.delete(mine);
        if (++cancelled === branches) return reader.cancel(reason);
      },
    });
  });
  if (!callerJs) return { toStore, toCaller: null };
  const toCaller = new IdentityTransformStream();
  callerJs.pipeTo(toCaller.writable).catch(() => {}); // a cut aborts toCaller (that is the point); a hang-up cancels callerJs
  return { toStore, toCaller: toCaller.readable };
}
