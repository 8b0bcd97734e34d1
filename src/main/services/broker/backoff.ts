// Reconnect backoff: exponential delays with jitter, capped low so a returning TWS is found within seconds.
//
// The cap matters more than the growth: after TWS's daily restart the socket refuses for a minute or two, and
// the trader expects the app back within a few seconds of TWS — so the delay never exceeds `maxMs` (4 s by
// default). Jitter spreads several clients (or several app windows) so they do not reconnect in lockstep.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of each delay that is randomised downward (0 = none, 0.3 = up to 30 % shorter). */
  jitter?: number;
  /** Uniform random in [0, 1); injected for reproducible tests. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 4000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.3));
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.factor >= 1)) throw new RangeError('Backoff needs 0 < initialMs <= maxMs and factor >= 1');
  }

  /** The delay before the next attempt; each call counts one failed attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 64);
    const r = Math.min(0.999999, Math.max(0, this.random()));
    return Math.round(base * (1 - this.jitter * r));
  }

  /** A successful connection starts the sequence again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
