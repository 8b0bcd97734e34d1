// Practice scenarios over the seeded market: price gaps, vol shocks, wider quotes, IV noise and trading halts.
//
// The seeded paths stay untouched (they are a pure function of seed and time); a scenario is a small set of
// overrides the model applies on top, each from the simulated instant it was set. Gaps are kept as a list of
// (instant, factor) so a price before the gap is still what it was (executions and day statistics stay true).
import { uniform } from './rng';

export interface ScenarioState {
  /** Vol points added to every implied volatility (0.05 = +5 points); the surface keeps its shape. */
  volShift: number;
  /** Multiplier on every option's quoted width (1 = normal). */
  widen: number;
  /** Per-strike IV jitter, in vol points (0.01 = ±1 point), fixed per contract and simulated day. */
  ivNoise: number;
  /** Underlyings whose quotes are frozen and whose orders do not fill. */
  halted: string[];
  /** Price gaps applied so far, per underlying, oldest first. */
  gaps: { symbol: string; at: number; pct: number }[];
}

/** The overrides in force; the model asks it for factors by symbol and instant. */
export class Scenario {
  volShift = 0;
  widen = 1;
  ivNoise = 0;
  private readonly halts = new Set<string>();
  private readonly gapList: { symbol: string; at: number; factor: number; pct: number }[] = [];
  /** Bumped on every change, so callers caching quotes can tell they are stale. */
  version = 0;

  /** Moves an underlying by pct percent from instant `at` on (a gap: the move is instantaneous). */
  gap(symbol: string, pct: number, at: number): void {
    if (!Number.isFinite(pct) || pct <= -100) throw new RangeError(`A move of ${pct}% is not possible.`);
    this.gapList.push({ symbol: symbol.toUpperCase(), at, factor: 1 + pct / 100, pct });
    this.version++;
  }

  /** The product of the gaps of a symbol in force at t (1 when none). */
  spotFactor(symbol: string, t: number): number {
    let f = 1;
    for (const g of this.gapList) if (g.symbol === symbol && g.at <= t) f *= g.factor;
    return f;
  }

  /** Whether any gap applies to the symbol (a fast path for the common case). */
  hasGaps(symbol: string): boolean {
    return this.gapList.some((g) => g.symbol === symbol);
  }

  setHalted(symbol: string, halted: boolean): void {
    if (halted) this.halts.add(symbol.toUpperCase());
    else this.halts.delete(symbol.toUpperCase());
    this.version++;
  }

  isHalted(symbol: string): boolean {
    return this.halts.size > 0 && this.halts.has(symbol);
  }

  setVolShift(points: number): void {
    this.volShift = points;
    this.version++;
  }

  setWiden(factor: number): void {
    if (!(factor > 0)) throw new RangeError('The widening factor must be above 0.');
    this.widen = factor;
    this.version++;
  }

  setIvNoise(points: number): void {
    this.ivNoise = Math.max(0, points);
    this.version++;
  }

  /** The IV jitter of one contract on one day: uniform in ±ivNoise, a pure function of (seed, conId, day). */
  ivJitter(seed: number, conId: number, day: number): number {
    if (this.ivNoise === 0) return 0;
    return (2 * uniform(seed, conId, day, 0x51) - 1) * this.ivNoise;
  }

  /** Clears volatility, width, noise and halts; gaps already taken stay in the price history. */
  reset(): void {
    this.volShift = 0;
    this.widen = 1;
    this.ivNoise = 0;
    this.halts.clear();
    this.version++;
  }

  state(): ScenarioState {
    return {
      volShift: this.volShift,
      widen: this.widen,
      ivNoise: this.ivNoise,
      halted: [...this.halts].sort(),
      gaps: this.gapList.map((g) => ({ symbol: g.symbol, at: g.at, pct: g.pct })),
    };
  }
}
