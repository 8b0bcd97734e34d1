// Practice scenarios over the market model: gaps move the spot from their instant on, vol shocks move every IV,
// widening widens quotes, IV noise is bounded and reproducible, reset restores the seeded market.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromYmd, sessionOf } from './calendar';
import { DEFAULT_SIM_CONFIG } from './config';
import { MarketModel } from './model';

const day = dayFromYmd(2026, 3, 10);
const session = sessionOf(day) ?? { open: 0, close: 0 };
const T0 = session.open + 90 * 60_000;

function someOptions(m: MarketModel, t: number) {
  const spot = m.spot(m.underlying('SPY')!, t);
  return m.findOptions({ symbol: 'SPY' }, t).filter((c) => Math.abs(c.strike / spot - 1) < 0.08 && c.expiryInstant - t > 86_400_000).slice(0, 200);
}

describe('scenario overrides', () => {
  it('a gap moves the spot by exactly its percentage from its instant on, and leaves earlier prices alone', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: 1, max: 120 }), (pct, minutes) => {
        const m = new MarketModel(DEFAULT_SIM_CONFIG, 42);
        const spy = m.underlying('SPY')!;
        const before = m.spot(spy, T0 - 60_000);
        const rawLater = new MarketModel(DEFAULT_SIM_CONFIG, 42).spot(spy, T0 + minutes * 60_000);
        m.scenario.gap('SPY', pct, T0);
        expect(m.spot(spy, T0 - 60_000)).toBe(before);
        expect(Math.abs(m.spot(spy, T0 + minutes * 60_000) - rawLater * (1 + pct / 100))).toBeLessThanOrEqual(0.012); // both sides rounded to cents
        const q = m.underlyingQuote(spy, T0 + minutes * 60_000);
        expect(q.high).toBeGreaterThanOrEqual(q.last);
        expect(q.low).toBeLessThanOrEqual(q.last);
      }),
      { numRuns: 25 },
    );
  });

  it('a vol shock moves every model IV by its points, and calls and puts get dearer', () => {
    const base = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    const shocked = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    shocked.scenario.setVolShift(0.05);
    for (const c of someOptions(base, T0)) {
      const a = base.optionQuote(c, T0);
      const b = shocked.optionQuote(c, T0);
      expect(b.iv - a.iv).toBeCloseTo(0.05, 9);
      expect(b.theo).toBeGreaterThanOrEqual(a.theo - 1e-9);
      expect(b.ask).toBeGreaterThanOrEqual(a.ask);
    }
  });

  it('widening by a factor widens every quote, and quotes stay on ticks and uncrossed', () => {
    const base = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    const wide = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    wide.scenario.setWiden(3);
    let wider = 0;
    const opts = someOptions(base, T0);
    for (const c of opts) {
      const a = base.optionQuote(c, T0);
      const b = wide.optionQuote(c, T0);
      expect(b.ask - b.bid).toBeGreaterThanOrEqual(a.ask - a.bid - 1e-9);
      expect(b.ask).toBeGreaterThan(b.bid);
      if (b.ask - b.bid > a.ask - a.bid + 1e-9) wider++;
    }
    expect(wider).toBeGreaterThan(opts.length / 2);
  });

  it('IV noise stays within ± its points, is fixed per contract and day, and reset restores the seeded market', () => {
    const base = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    const noisy = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    noisy.scenario.setIvNoise(0.02);
    let moved = 0;
    for (const c of someOptions(base, T0)) {
      const d = noisy.optionQuote(c, T0).iv - base.optionQuote(c, T0).iv;
      expect(Math.abs(d)).toBeLessThanOrEqual(0.02 + 1e-12);
      expect(noisy.optionQuote(c, T0 + 60_000).iv - base.optionQuote(c, T0 + 60_000).iv).toBeCloseTo(d, 9);
      if (Math.abs(d) > 1e-6) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    noisy.scenario.setHalted('SPY', true);
    noisy.scenario.reset();
    expect(noisy.scenario.isHalted('SPY')).toBe(false);
    for (const c of someOptions(base, T0).slice(0, 20)) expect(noisy.optionQuote(c, T0)).toEqual(base.optionQuote(c, T0));
  });

  it('rejects impossible overrides with a sentence', () => {
    const m = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    expect(() => m.scenario.gap('SPY', -100, T0)).toThrow(/not possible/);
    expect(() => m.scenario.setWiden(0)).toThrow(/above 0/);
  });
});

describe('quote memos (day marks, last trade)', () => {
  it('a quote does not depend on what was asked before: streamed quotes equal those of a fresh model', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 3, maxLength: 12 }), fc.nat(), (steps, pick) => {
        const streamed = new MarketModel(DEFAULT_SIM_CONFIG, 42);
        const opts = someOptions(streamed, T0);
        const c = opts[pick % opts.length]!;
        let t = T0;
        for (const dt of steps) {
          t += dt;
          const fresh = new MarketModel(DEFAULT_SIM_CONFIG, 42);
          expect(streamed.optionQuote(c, t)).toEqual(fresh.optionQuote(c, t));
        }
        // Backwards (a delayed-data read) too.
        const back = t - 15 * 60_000;
        expect(streamed.optionQuote(c, back)).toEqual(new MarketModel(DEFAULT_SIM_CONFIG, 42).optionQuote(c, back));
      }),
      { numRuns: 30 },
    );
  });
});
