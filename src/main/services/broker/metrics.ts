// Measurement primitives for diagnostics: a sample reservoir for percentiles and a per-second rate meter.
import type { Timers } from './timers';

/** Keeps the last `capacity` samples; percentiles are computed on demand (diagnostics is rare, samples are frequent). */
export class Reservoir {
  private readonly buf: Float64Array;
  private n = 0;
  private next = 0;
  private total = 0;

  constructor(capacity = 2048) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }

  add(v: number): void {
    if (!Number.isFinite(v)) return;
    this.buf[this.next] = v;
    this.next = (this.next + 1) % this.buf.length;
    if (this.n < this.buf.length) this.n++;
    this.total++;
  }

  /** Total samples ever added (not just those retained). */
  get count(): number {
    return this.total;
  }

  /** Nearest-rank percentile (q in 0..1) over the retained samples; null when empty. */
  percentile(q: number): number | null {
    if (this.n === 0) return null;
    const sorted = Array.from(this.buf.subarray(0, this.n)).sort((a, b) => a - b);
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1));
    return sorted[rank] ?? null;
  }

  reset(): void {
    this.n = 0;
    this.next = 0;
  }
}

/** Counts events in one-second buckets over a sliding window, to report a recent rate and the busiest second. */
export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;
  private total = 0;

  constructor(
    private readonly timers: Pick<Timers, 'now'>,
    private readonly windowSeconds = 10,
  ) {
    this.buckets = new Float64Array(windowSeconds);
    this.stamps = new Float64Array(windowSeconds).fill(-1);
  }

  mark(n = 1): void {
    const sec = Math.floor(this.timers.now() / 1000);
    const i = sec % this.windowSeconds;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] = (this.buckets[i] ?? 0) + n;
    this.total += n;
  }

  get count(): number {
    return this.total;
  }

  /** Average events per second over the last complete seconds of the window (the current second is partial). */
  rate(): number {
    const now = Math.floor(this.timers.now() / 1000);
    let sum = 0;
    for (let s = now - this.windowSeconds + 1; s < now; s++) sum += this.at(s);
    return sum / Math.max(1, this.windowSeconds - 1);
  }

  /** The busiest single second still in the window. */
  peak(): number {
    const now = Math.floor(this.timers.now() / 1000);
    let max = 0;
    for (let s = now - this.windowSeconds + 1; s <= now; s++) max = Math.max(max, this.at(s));
    return max;
  }

  private at(sec: number): number {
    const i = ((sec % this.windowSeconds) + this.windowSeconds) % this.windowSeconds;
    return this.stamps[i] === sec ? (this.buckets[i] ?? 0) : 0;
  }
}
