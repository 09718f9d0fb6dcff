/**
 * Pacing for AWS control-plane calls (ADR 027): at most `perSecond` calls start in any 1 s window
 * account-wide (this invocation; the queue's max_concurrency = 1 makes it the only one), and at
 * most `perResourcePerSecond` for one stream. Pure: the clock and the sleep are injected.
 */
export interface PacerOptions {
  perSecond: number;
  perResourcePerSecond: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class Pacer {
  private recent: number[] = [];
  private byResource = new Map<string, number[]>();
  /** Serialises waiters so concurrent callers never both take the last slot. */
  private chain: Promise<void> = Promise.resolve();
  waitedMs = 0;

  private readonly opts: PacerOptions;
  constructor(opts: PacerOptions) {
    this.opts = opts;
  }

  /** Resolves when a call on `resource` may start; the call is counted from then. */
  take(resource: string): Promise<void> {
    const turn = this.chain.then(() => this.waitForSlot(resource));
    this.chain = turn.catch(() => {});
    return turn;
  }

  private async waitForSlot(resource: string) {
    for (;;) {
      const now = this.opts.now();
      this.recent = this.recent.filter((t) => t > now - 1000);
      const mine = (this.byResource.get(resource) ?? []).filter((t) => t > now - 1000);
      const waitAll = this.recent.length >= this.opts.perSecond ? this.recent[0] + 1000 - now : 0;
      const waitMine = mine.length >= this.opts.perResourcePerSecond ? mine[0] + 1000 - now : 0;
      const wait = Math.max(waitAll, waitMine);
      if (wait <= 0) {
        this.recent.push(now);
        mine.push(now);
        this.byResource.set(resource, mine);
        // Only the last second matters: drop streams with nothing in it.
        if (this.byResource.size > 1000) for (const [k, v] of this.byResource) if (v[v.length - 1] <= now - 1000) this.byResource.delete(k);
        return;
      }
      this.waitedMs += wait;
      await this.opts.sleep(wait + 1);
    }
  }
}
