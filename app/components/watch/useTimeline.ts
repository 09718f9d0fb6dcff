import { useEffect, useState } from "react";
import { mergeSpans, type Span } from "~/domain/timeline";
import { useT } from "~/i18n/react";

export interface TimelineData {
  spans: Span[];
  thumbnails: { at: number; url: string }[];
  /** Everything from here to the view's end is known (the API answers newest first). */
  coveredFrom: number;
  complete: boolean;
  error: string | null;
  clipPartSeconds: number | null;
}

interface TimelineAnswer {
  covered: { start: string; end: string };
  next: { start: string; end: string } | null;
  complete: boolean;
  spans: { start: string; end: string }[];
  thumbnails: { at: string; url: string }[];
  clipPartSeconds: number;
  message?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * The recorded spans and thumbnails of [start, end] from GET /api/devices/:id/timeline, page after
 * page (newest first, `next` until complete), merged as they arrive so the bar fills in from the
 * right. A 429 waits for its Retry-After; another error stops with the server's sentence.
 */
export function useTimeline(deviceId: string, view: { start: number; end: number }, enabled: boolean): TimelineData {
  const t = useT("watch");
  const [data, setData] = useState<TimelineData>({ spans: [], thumbnails: [], coveredFrom: view.end, complete: false, error: null, clipPartSeconds: null });
  useEffect(() => {
    if (!enabled || !(view.end > view.start)) return;
    const ctrl = new AbortController();
    setData({ spans: [], thumbnails: [], coveredFrom: view.end, complete: false, error: null, clipPartSeconds: null });
    (async () => {
      let next: { start: number; end: number } | null = view;
      let retries = 0;
      while (next && !ctrl.signal.aborted) {
        const res: Response = await fetch(`/api/devices/${encodeURIComponent(deviceId)}/timeline?start=${iso(next.start)}&end=${iso(next.end)}`, {
          signal: ctrl.signal,
          headers: { Accept: "application/json" },
        });
        if (res.status === 429 && retries++ < 10) {
          await sleep(Number(res.headers.get("Retry-After") ?? 1) * 1000, ctrl.signal);
          continue;
        }
        const body = (await res.json().catch(() => ({}))) as TimelineAnswer;
        if (!res.ok) {
          setData((d) => ({ ...d, error: body.message ?? t("timeline.loadFailed") }));
          return;
        }
        const spans = body.spans.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }));
        const thumbs = body.thumbnails.map((th) => ({ at: Date.parse(th.at), url: th.url }));
        setData((d) => ({
          spans: mergeSpans([...d.spans, ...spans]),
          thumbnails: [...d.thumbnails, ...thumbs].sort((a, b) => a.at - b.at),
          coveredFrom: Math.min(d.coveredFrom, Date.parse(body.covered.start)),
          complete: body.complete,
          error: null,
          clipPartSeconds: d.clipPartSeconds === null ? body.clipPartSeconds : Math.min(d.clipPartSeconds, body.clipPartSeconds),
        }));
        next = body.next ? { start: Date.parse(body.next.start), end: Date.parse(body.next.end) } : null;
      }
    })().catch(() => {
      // A network failure: the browser's own message (English, technical) says less than ours.
      if (!ctrl.signal.aborted) setData((d) => ({ ...d, error: t("timeline.loadFailed") }));
    });
    return () => ctrl.abort();
  }, [deviceId, view.start, view.end, enabled]);
  return data;
}
