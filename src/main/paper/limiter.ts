// Per-client message pacing like TWS: at most N messages in any rolling second, error 100, then disconnect.
import type { Clock } from '../../core/sim/clock';

export interface PacingOptions {
  /** Messages allowed in any rolling 1,000 ms window (TWS: 50). */
  maxPerSecond: number;
  /** Disconnect after this many violation episodes within `violationWindowMs` (0 = never). */
  disconnectAfter: number;
  violationWindowMs: number;
}

export const DEFAULT_PACING: PacingOptions = { maxPerSecond: 50, disconnectAfter: 3, violationWindowMs: 60_000 };

export type PaceVerdict = { ok: true } | { ok: false; report: string | null; disconnect: boolean };

/**
 * Sliding-window limiter over an injected clock, so a test can run a minute of simulated traffic in
 * milliseconds. Over the limit, the message is refused; the first refusal of an episode carries the
 * TWS text for error 100.
 */
export class RateLimiter {
  private readonly stamps: number[] = [];
  private head = 0;
  private episodeUntil = -Infinity;
  private episodes: number[] = [];
  private violationCount = 0;
  /** Per-second inbound counts keyed by whole second of the limiter clock (kept for 120 s). */
  readonly perSecond = new Map<number, number>();
  total = 0;

  constructor(
    private readonly clock: Clock,
    private readonly opts: PacingOptions = DEFAULT_PACING,
  ) {}

  private prune(now: number): void {
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? 0) <= now - 1000) this.head++;
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Messages in the last rolling second. */
  rate(): number {
    this.prune(this.clock.now());
    return this.stamps.length - this.head;
  }

  get violations(): number {
    return this.violationCount;
  }

  /** Records one inbound message and says whether it may be processed. */
  admit(): PaceVerdict {
    const now = this.clock.now();
    this.total++;
    const sec = Math.floor(now / 1000);
    this.perSecond.set(sec, (this.perSecond.get(sec) ?? 0) + 1);
    if (this.perSecond.size > 120) {
      for (const k of this.perSecond.keys()) if (k < sec - 120) this.perSecond.delete(k);
    }
    this.prune(now);
    this.stamps.push(now);
    const inWindow = this.stamps.length - this.head;
    if (inWindow <= this.opts.maxPerSecond) return { ok: true };
    let report: string | null = null;
    if (now >= this.episodeUntil) {
      this.violationCount++;
      this.episodes = this.episodes.filter((e) => e > now - this.opts.violationWindowMs);
      this.episodes.push(now);
      report = `Max rate of messages per second has been exceeded:max=${this.opts.maxPerSecond} rec=${inWindow} (${this.episodes.length})`;
      this.episodeUntil = now + 1000;
    }
    const disconnect = this.opts.disconnectAfter > 0 && (this.episodes.length >= this.opts.disconnectAfter || inWindow >= this.opts.maxPerSecond * 4);
    return { ok: false, report, disconnect };
  }
}
