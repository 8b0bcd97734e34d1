// Per-client message pacing like TWS: at most N accepted messages in any rolling second, stamped at arrival.
import type { Clock } from '../../core/sim/clock';

export interface PacingOptions {
  /** Messages allowed in any rolling 1,000 ms window (TWS: 50). */
  maxPerSecond: number;
  /** Disconnect when more than this many messages were refused within `abuseWindowMs` (0 = never). */
  disconnectAfterRefused: number;
  abuseWindowMs: number;
}

/**
 * The rule: a client keeps its connection while it overshoots a little (each refused message is answered with
 * error 100, so a client with a mis-tuned pacer sees exactly what it lost and can resend); it is cut off only
 * when more than 250 messages — five seconds' worth of the whole allowance — are refused within 10 s, i.e. a
 * runaway loop, not a pacer that drifts. TWS documents "error 100, then eventually the connection is closed"
 * without numbers; a rule that disconnects after a few episodes punished ib_async at its default 45/s for
 * stalls of the exchange itself (issue 15, point 7).
 */
export const DEFAULT_PACING: PacingOptions = { maxPerSecond: 50, disconnectAfterRefused: 250, abuseWindowMs: 10_000 };

export type PaceVerdict = { ok: true; stamp: number } | { ok: false; report: string; disconnect: boolean };

/** When a message can have arrived: no earlier than `earliest`, no later than `latest` (both limiter-clock ms). */
export interface Arrival {
  earliest: number;
  latest: number;
}

/**
 * Sliding-window limiter over an injected clock, so a test can run a minute of simulated traffic in
 * milliseconds.
 *
 * Only accepted messages are counted (a refused message does not keep the window full), and a message is
 * stamped with the earliest instant in its arrival interval at which the window has room — never later than
 * it was read. The session gives each chunk read from the socket the interval [previous read (or the
 * exchange's last heartbeat before a stall), now]; when the exchange's event loop stalls, a backlog that
 * arrived spread over the stall is read at once and would look like a burst if stamped "now". Stamping each
 * message as early as its interval allows keeps every stamp ≤ its true arrival, so any sequence that a
 * limiter with exact arrival times would accept is accepted here too (an earlier stamp only leaves the
 * window sooner), while the rolling-second limit still holds over the stamps.
 */
export class RateLimiter {
  private readonly stamps: number[] = [];
  private head = 0;
  private readonly refusals: number[] = [];
  private refusedHead = 0;
  private episodeUntil = -Infinity;
  private violationCount = 0;
  /** Per-second inbound counts keyed by whole second of the limiter clock (kept for 120 s). */
  readonly perSecond = new Map<number, number>();
  total = 0;
  refused = 0;

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

  /** Accepted messages in the last rolling second. */
  rate(): number {
    this.prune(this.clock.now());
    return this.stamps.length - this.head;
  }

  /** Refusal episodes (refusals more than a second apart start a new one). */
  get violations(): number {
    return this.violationCount;
  }

  private get lastStamp(): number {
    return this.stamps.length > 0 ? (this.stamps[this.stamps.length - 1] ?? -Infinity) : -Infinity;
  }

  /** Records one inbound message that arrived within `arrival` (default: now) and says whether it may be processed. */
  admit(arrival?: Arrival): PaceVerdict {
    const now = arrival?.latest ?? this.clock.now();
    const lo = Math.min(now, Math.max(arrival?.earliest ?? now, this.lastStamp));
    this.total++;
    const sec = Math.floor(now / 1000);
    this.perSecond.set(sec, (this.perSecond.get(sec) ?? 0) + 1);
    if (this.perSecond.size > 120) {
      for (const k of this.perSecond.keys()) if (k < sec - 120) this.perSecond.delete(k);
    }
    this.prune(lo);
    const max = this.opts.maxPerSecond;
    const inWindow = this.stamps.length - this.head;
    // Earliest s ≥ lo with fewer than max stamps in (s − 1000, s]: the (inWindow − max + 1)-th oldest must have left.
    const stamp = inWindow < max ? lo : Math.max(lo, (this.stamps[this.stamps.length - max] ?? 0) + 1000);
    if (stamp <= now) {
      this.stamps.push(stamp);
      return { ok: true, stamp };
    }
    this.refused++;
    this.refusals.push(now);
    while (this.refusedHead < this.refusals.length && (this.refusals[this.refusedHead] ?? 0) <= now - this.opts.abuseWindowMs) this.refusedHead++;
    if (this.refusedHead > 1024) {
      this.refusals.splice(0, this.refusedHead);
      this.refusedHead = 0;
    }
    const recent = this.refusals.length - this.refusedHead;
    if (now >= this.episodeUntil) this.violationCount++;
    this.episodeUntil = now + 1000;
    this.prune(now);
    const rec = this.stamps.length - this.head + 1;
    const report = `Max rate of messages per second has been exceeded:max=${max} rec=${rec} (${recent})`;
    const disconnect = this.opts.disconnectAfterRefused > 0 && recent > this.opts.disconnectAfterRefused;
    return { ok: false, report, disconnect };
  }
}
