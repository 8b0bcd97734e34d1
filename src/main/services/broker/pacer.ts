// The pacer: every outbound broker message waits here for a slot so the socket never exceeds IBKR's message rate.
//
// TWS allows 50 messages/s and disconnects clients that keep exceeding it (error 100). We target 45/s by
// default and enforce it as a sliding log rather than a token bucket: a bucket with capacity C lets C + rate
// messages through in one second, a sliding log never lets more than `rate` through in any window. The window
// is widened by a small guard so delivery jitter cannot squeeze two windows' worth into one second at TWS, and
// micro-bursts are capped so a finer-grained meter at TWS sees a smooth stream too.
import { Reservoir, RateMeter } from './metrics';
import type { TimerHandle, Timers } from './timers';

/** Strict priority: orders and cancels first, then what the user is looking at, then background scanner work. */
export type PacerPriority = 'order' | 'quote' | 'scan';
export const PACER_PRIORITIES: readonly PacerPriority[] = ['order', 'quote', 'scan'];

export interface PacerOptions {
  /** Messages per second, never exceeded in any window. Default 45 (IBKR's hard limit is 50). */
  ratePerSecond?: number;
  /** Added to the one-second window: margin for jitter between our socket and TWS's meter. Default 50 ms. */
  guardMs?: number;
  /** Most messages in any 100 ms. Default ceil(rate / 5), i.e. at most twice the even spacing. */
  burstPer100ms?: number;
  timers: Timers;
}

export interface PacedJob {
  /** Resolves when the message has been handed to the socket; rejects when dropped (cleared or failed). */
  readonly promise: Promise<void>;
  /** Removes the job if it has not been sent yet; returns whether it was removed. */
  cancel(): boolean;
}

export interface PacerStats {
  ratePerSecond: number;
  depth: number;
  depthByPriority: Record<PacerPriority, number>;
  maxDepth: number;
  sent: number;
  sentPerSecond: number;
  peakPerSecond: number;
  waitP50Ms: number | null;
  waitP99Ms: number | null;
  oldestWaitMs: number | null;
  paused: boolean;
}

interface Job {
  priority: PacerPriority;
  send: () => void;
  enqueuedAt: number;
  label: string;
  resolve: () => void;
  reject: (e: unknown) => void;
  done: boolean;
}

/** A fixed-capacity log of send times; tells when the oldest of the last `capacity` sends leaves the window. */
class SendLog {
  private readonly stamps: Float64Array;
  private head = 0;
  private n = 0;

  constructor(readonly capacity: number, readonly windowMs: number) {
    this.stamps = new Float64Array(Math.max(1, capacity));
  }

  /** Earliest time a new send keeps at most `capacity` sends within any `windowMs`. */
  readyAt(): number {
    if (this.n < this.stamps.length) return -Infinity;
    return (this.stamps[this.head] ?? 0) + this.windowMs;
  }

  record(t: number): void {
    this.stamps[this.head] = t;
    this.head = (this.head + 1) % this.stamps.length;
    if (this.n < this.stamps.length) this.n++;
  }
}

export class Pacer {
  private readonly timers: Timers;
  private readonly queues: Record<PacerPriority, Job[]> = { order: [], quote: [], scan: [] };
  private logs: SendLog[] = [];
  private rate = 45;
  private readonly guardMs: number;
  private burstOverride: number | undefined;
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private pumping = false;
  private paused = false;
  private sentCount = 0;
  private maxDepth = 0;
  private readonly waits = new Reservoir(4096);
  private readonly meter: RateMeter;

  constructor(options: PacerOptions) {
    this.timers = options.timers;
    this.guardMs = options.guardMs ?? 50;
    this.burstOverride = options.burstPer100ms;
    this.meter = new RateMeter(options.timers, 10);
    this.setRate(options.ratePerSecond ?? 45);
  }

  /** Changes the rate; the send history restarts, so the next window is measured conservatively from now. */
  setRate(ratePerSecond: number): void {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond < 1) throw new RangeError(`Pacer rate must be at least 1 message/s, got ${ratePerSecond}`);
    this.rate = Math.floor(ratePerSecond);
    const burst = this.burstOverride ?? Math.max(1, Math.ceil(this.rate / 5));
    const fresh = this.logs.length === 0;
    const now = this.timers.now();
    this.logs = [new SendLog(this.rate, 1000 + this.guardMs), new SendLog(Math.min(burst, this.rate), 100)];
    // On a change, pretend both windows are full as of now so the switch can never let a burst through.
    if (!fresh) for (const log of this.logs) for (let i = 0; i < log.capacity; i++) log.record(now);
    this.pump();
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Queues `send` to run when a slot is free. `send` runs on a later or the current tick; it must not block. */
  enqueue(priority: PacerPriority, send: () => void, label = ''): PacedJob {
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A dropped job's rejection is the owner's business; never let it surface as an unhandled rejection.
    promise.catch(() => undefined);
    const job: Job = { priority, send, enqueuedAt: this.timers.now(), label, resolve, reject, done: false };
    this.queues[priority].push(job);
    this.maxDepth = Math.max(this.maxDepth, this.depth());
    this.pump();
    return {
      promise,
      cancel: () => {
        if (job.done) return false;
        const q = this.queues[priority];
        const i = q.indexOf(job);
        if (i < 0) return false;
        q.splice(i, 1);
        job.done = true;
        job.reject(new PacerDropped('cancelled'));
        return true;
      },
    };
  }

  /**
   * Counts messages that reached the socket without passing through the queue (the API handshake and
   * startApi, which @stoqey writes itself), so the window still holds at most `rate` messages in total.
   */
  recordExternal(n = 1): void {
    const now = this.timers.now();
    for (let i = 0; i < n; i++) for (const log of this.logs) log.record(now);
    this.meter.mark(n);
  }

  /** Holds every queued message (e.g. while the socket is down); `resume` continues in priority order. */
  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Drops every queued message, rejecting its job with `reason`; returns how many were dropped. */
  clear(reason: unknown = new PacerDropped('cleared')): number {
    let n = 0;
    for (const p of PACER_PRIORITIES) {
      const q = this.queues[p];
      this.queues[p] = [];
      for (const job of q) {
        job.done = true;
        job.reject(reason);
        n++;
      }
    }
    this.clearTimer();
    return n;
  }

  depth(): number {
    return this.queues.order.length + this.queues.quote.length + this.queues.scan.length;
  }

  stats(): PacerStats {
    const now = this.timers.now();
    let oldest: number | null = null;
    for (const p of PACER_PRIORITIES) {
      const first = this.queues[p][0];
      if (first) oldest = Math.max(oldest ?? 0, now - first.enqueuedAt);
    }
    return {
      ratePerSecond: this.rate,
      depth: this.depth(),
      depthByPriority: { order: this.queues.order.length, quote: this.queues.quote.length, scan: this.queues.scan.length },
      maxDepth: this.maxDepth,
      sent: this.sentCount,
      sentPerSecond: this.meter.rate(),
      peakPerSecond: this.meter.peak(),
      waitP50Ms: this.waits.percentile(0.5),
      waitP99Ms: this.waits.percentile(0.99),
      oldestWaitMs: oldest,
      paused: this.paused,
    };
  }

  /** Stops timers; queued jobs are rejected. */
  close(): void {
    this.clear(new PacerDropped('closed'));
  }

  private nextJob(): Job | undefined {
    return this.queues.order.shift() ?? this.queues.quote.shift() ?? this.queues.scan.shift();
  }

  private readyAt(): number {
    let t = -Infinity;
    for (const log of this.logs) t = Math.max(t, log.readyAt());
    return t;
  }

  private pump(): void {
    if (this.pumping || this.paused) return;
    this.pumping = true;
    try {
      while (this.depth() > 0 && !this.paused) {
        const now = this.timers.now();
        const at = this.readyAt();
        if (at > now) {
          this.armTimer(at);
          return;
        }
        const job = this.nextJob();
        if (!job) break;
        job.done = true;
        for (const log of this.logs) log.record(now);
        this.sentCount++;
        this.meter.mark();
        this.waits.add(now - job.enqueuedAt);
        try {
          job.send();
          job.resolve();
        } catch (e) {
          job.reject(e);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private armTimer(at: number): void {
    if (this.timer !== null && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, at - this.timers.now());
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }
}

/** Why a queued message was never sent. */
export class PacerDropped extends Error {
  constructor(readonly reason: 'cancelled' | 'cleared' | 'closed') {
    super(`Request dropped before sending (${reason}).`);
    this.name = 'PacerDropped';
  }
}
