import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bsmPrice } from './bsm';
import { simulateExitPlan } from './montecarlo';
import {
  VO_STRIDE, lognormalDensity, lognormalView, probAbove, probBelow, probTouch, strikeTailsInto, verticalOutcome,
  verticalOutcomeFromTailsInto, verticalOutcomeInto,
} from './probability';
import { createRng } from './rng';

const inputs = fc.record({
  S: fc.double({ min: 10, max: 1000, noNaN: true }),
  T: fc.double({ min: 1 / 365, max: 2, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
  mu: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
});

describe('single-barrier probabilities', () => {
  it('finish-above and finish-below are complementary and in [0, 1]', () => {
    fc.assert(fc.property(inputs, fc.double({ min: 0.5, max: 2, noNaN: true }), ({ S, T, sigma, mu }, m) => {
      const a = probAbove(S, S * m, T, sigma, mu);
      const b = probBelow(S, S * m, T, sigma, mu);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
      expect(a + b).toBeCloseTo(1, 14);
    }));
  });

  it('P(S_T > K) under the risk-neutral drift is N(d2) of Black–Scholes', () => {
    // N(d2) = ∂C/∂K · (−e^{rT}); check against a finite difference of the BSM call.
    const S = 100, K = 105, T = 0.5, r = 0.04, q = 0.01, sigma = 0.25, h = 1e-4;
    const dCdK = (bsmPrice('C', S, K + h, T, r, q, sigma) - bsmPrice('C', S, K - h, T, r, q, sigma)) / (2 * h);
    expect(probAbove(S, K, T, sigma, r - q)).toBeCloseTo(-dCdK * Math.exp(r * T), 8);
  });

  it('touching is at least as likely as finishing beyond, and exactly twice as likely without log drift', () => {
    fc.assert(fc.property(inputs, fc.double({ min: 0.6, max: 1.6, noNaN: true }), ({ S, T, sigma, mu }, m) => {
      const H = S * m;
      fc.pre(Math.abs(m - 1) > 1e-6);
      const touch = probTouch(S, H, T, sigma, mu);
      const beyond = H > S ? probAbove(S, H, T, sigma, mu) : probBelow(S, H, T, sigma, mu);
      expect(touch).toBeLessThanOrEqual(1);
      expect(touch).toBeGreaterThanOrEqual(beyond - 1e-12);
      // Reflection principle: with μ = σ²/2 the log price is a driftless Brownian motion.
      const mu0 = 0.5 * sigma * sigma;
      const beyond0 = H > S ? probAbove(S, H, T, sigma, mu0) : probBelow(S, H, T, sigma, mu0);
      expect(probTouch(S, H, T, sigma, mu0)).toBeCloseTo(2 * beyond0, 12);
    }));
    expect(probTouch(100, 100, 1, 0.2, 0)).toBe(1);
  });

  it('agrees with a fine-grid Monte-Carlo of touching (seeded)', () => {
    const S = 100, H = 110, T = 0.25, sigma = 0.3, mu = 0.02;
    const rng = createRng(7);
    const steps = 2000, paths = 4000, dt = T / steps;
    let hits = 0;
    for (let p = 0; p < paths; p++) {
      let x = Math.log(S);
      for (let j = 0; j < steps; j++) {
        x += (mu - 0.5 * sigma * sigma) * dt + sigma * Math.sqrt(dt) * rng.nextNormal();
        if (x >= Math.log(H)) {
          hits++;
          break;
        }
      }
    }
    // Discrete monitoring misses a few touches; allow 4 standard errors plus the known downward bias.
    const p = probTouch(S, H, T, sigma, mu);
    const se = Math.sqrt((p * (1 - p)) / paths);
    expect(hits / paths).toBeGreaterThan(p - 4 * se - 0.02);
    expect(hits / paths).toBeLessThan(p + 4 * se);
  });
});

const spread = fc.record({
  S: fc.double({ min: 50, max: 500, noNaN: true }),
  lowM: fc.double({ min: 0.8, max: 1.15, noNaN: true }),
  widthM: fc.double({ min: 0.005, max: 0.2, noNaN: true }),
  priceFrac: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
  T: fc.double({ min: 1 / 365, max: 1, noNaN: true }),
  sigma: fc.double({ min: 0.08, max: 0.9, noNaN: true }),
  mu: fc.double({ min: -0.1, max: 0.15, noNaN: true }),
  bullish: fc.boolean(),
  isCredit: fc.boolean(),
});

// Numerical E[P&L] by Simpson's rule over the lognormal density (independent of the closed form).
function numericEv(bullish: boolean, isCredit: boolean, kLow: number, kHigh: number, cash: number, S: number, T: number, sigma: number, mu: number): number {
  const w = kHigh - kLow;
  const c0 = isCredit ? cash - w : cash;
  const pnl = (x: number): number => c0 + (bullish ? Math.min(Math.max(x - kLow, 0), w) : Math.min(Math.max(kHigh - x, 0), w));
  const sd = sigma * Math.sqrt(T);
  const m = Math.log(S) + (mu - 0.5 * sigma * sigma) * T;
  const n = 20000, a = m - 10 * sd, b = m + 10 * sd, h = (b - a) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const y = a + i * h;
    const f = pnl(Math.exp(y)) * Math.exp(-0.5 * ((y - m) / sd) ** 2);
    s += f * (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return (s * h) / 3 / (sd * Math.sqrt(2 * Math.PI));
}

describe('vertical outcome at expiry', () => {
  it('probabilities are in [0, 1] and ordered: P(max profit) ≤ POP ≤ 1 − P(max loss)', () => {
    fc.assert(fc.property(spread, (x) => {
      const kLow = x.S * x.lowM, kHigh = kLow * (1 + x.widthM);
      const cash = (x.isCredit ? 1 : -1) * x.priceFrac * (kHigh - kLow);
      const o = verticalOutcome(x.bullish, x.isCredit, kLow, kHigh, cash, x.S, x.T, x.sigma, x.mu);
      for (const p of [o.pop, o.pMaxProfit, o.pMaxLoss]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(o.pMaxProfit + o.pMaxLoss).toBeLessThanOrEqual(1 + 1e-15);
      expect(o.pMaxProfit).toBeLessThanOrEqual(o.pop + 1e-15);
      expect(o.pop).toBeLessThanOrEqual(1 - o.pMaxLoss + 1e-15);
      expect(o.maxLoss).toBeGreaterThanOrEqual(0);
      expect(o.maxProfit + o.maxLoss).toBeCloseTo(kHigh - kLow, 10);
    }));
  });

  it('closed-form EV equals numerical integration over the lognormal', () => {
    fc.assert(fc.property(spread, (x) => {
      const kLow = x.S * x.lowM, kHigh = kLow * (1 + x.widthM);
      const cash = (x.isCredit ? 1 : -1) * x.priceFrac * (kHigh - kLow);
      const o = verticalOutcome(x.bullish, x.isCredit, kLow, kHigh, cash, x.S, x.T, x.sigma, x.mu);
      const ev = numericEv(x.bullish, x.isCredit, kLow, kHigh, cash, x.S, x.T, x.sigma, x.mu);
      expect(Math.abs(o.ev - ev)).toBeLessThan(1e-7 * x.S);
    }), { numRuns: 100 });
  });

  it('EV is zero when the spread is bought at its risk-neutral forward value (no free lunch)', () => {
    fc.assert(fc.property(spread, fc.double({ min: 0, max: 0.08, noNaN: true }), fc.double({ min: 0, max: 0.04, noNaN: true }), (x, r, q) => {
      const kLow = x.S * x.lowM, kHigh = kLow * (1 + x.widthM);
      const call = x.bullish !== x.isCredit; // bull call debit / bear call credit are call spreads
      const right = call ? 'C' : 'P';
      // Value of the held spread: bull spreads own the low strike.
      const held = x.bullish
        ? bsmPrice(right, x.S, kLow, x.T, r, q, x.sigma) - bsmPrice(right, x.S, kHigh, x.T, r, q, x.sigma)
        : bsmPrice(right, x.S, kHigh, x.T, r, q, x.sigma) - bsmPrice(right, x.S, kLow, x.T, r, q, x.sigma);
      const cash = -held * Math.exp(r * x.T); // pay (or receive) the forward value
      const o = verticalOutcome(x.bullish, x.isCredit, kLow, kHigh, cash, x.S, x.T, x.sigma, r - q);
      expect(Math.abs(o.ev)).toBeLessThan(1e-9 * x.S);
    }));
  });

  it('pins a worked example: bull put 95/100 for 1.50 credit, S=100, 30 days, σ=20%', () => {
    const o = verticalOutcome(true, true, 95, 100, 1.5, 100, 30 / 365, 0.2, 0);
    expect(o.breakeven).toBe(98.5);
    expect(o.maxProfit).toBe(1.5);
    expect(o.maxLoss).toBe(3.5);
    expect(o.pop).toBeCloseTo(probAbove(100, 98.5, 30 / 365, 0.2, 0), 13);
    expect(o.pMaxProfit).toBeCloseTo(probAbove(100, 100, 30 / 365, 0.2, 0), 13);
    expect(o.pMaxLoss).toBeCloseTo(probBelow(100, 95, 30 / 365, 0.2, 0), 13);
  });

  it('the chain-prepared path (strike tails + breakeven) gives the same numbers', () => {
    const a = new Float64Array(VO_STRIDE), b = new Float64Array(VO_STRIDE), p = new Float64Array(2), q = new Float64Array(2);
    fc.assert(fc.property(spread, fc.boolean(), (x, degenerate) => {
      const kLow = x.S * x.lowM, kHigh = kLow * (1 + x.widthM);
      const cash = (x.isCredit ? 1 : -1) * x.priceFrac * (kHigh - kLow);
      const T = degenerate ? 0 : x.T;
      verticalOutcomeInto(a, 0, x.bullish, x.isCredit, kLow, kHigh, cash, x.S, T, x.sigma, x.mu);
      const view = lognormalView(x.S, T, x.sigma, x.mu);
      strikeTailsInto(view, [kLow, kHigh], p, q);
      verticalOutcomeFromTailsInto(b, 0, x.bullish, x.isCredit, kLow, kHigh, cash, p[0] as number, q[0] as number, p[1] as number, q[1] as number, view);
      expect([...b]).toEqual([...a]);
    }));
  });

  it('the density integrates to 1', () => {
    const S = 100, T = 0.5, sigma = 0.3, mu = 0.05;
    let s = 0;
    for (let x = 0.05; x < 600; x += 0.05) s += lognormalDensity(x, S, T, sigma, mu) * 0.05;
    expect(s).toBeCloseTo(1, 5);
  });
});

describe('exit-plan Monte-Carlo', () => {
  const base = {
    right: 'P' as const, bullish: true, kLow: 95, kHigh: 100, cash: 1.5, ivLow: 0.22, ivHigh: 0.2,
    S: 102, T: 45 / 365, r: 0.04, q: 0.01, paths: 4000,
  };

  it('is reproducible with the same seed and its outcome probabilities sum to 1', () => {
    const plan = { ...base, profitTarget: 0.5, stopLoss: 0.5, timeStopYears: 21 / 365 };
    const a = simulateExitPlan(plan, createRng(42));
    const b = simulateExitPlan(plan, createRng(42));
    expect(a).toEqual(b);
    expect(a.pTarget + a.pStop + a.pTimeStop + a.pExpiry).toBeCloseTo(1, 12);
    expect(a.pTarget).toBeGreaterThan(0);
    expect(a.pStop).toBeGreaterThan(0);
    expect(a.meanDaysHeld).toBeLessThanOrEqual(45 + 1e-9);
  });

  it('without exit rules, the mean P&L matches the closed-form EV within 4 standard errors', () => {
    const res = simulateExitPlan({ ...base, ivLow: 0.2, paths: 20000 }, createRng(1));
    const o = verticalOutcome(true, true, 95, 100, 1.5, 102, 45 / 365, 0.2, 0.03);
    expect(res.pExpiry).toBe(1);
    expect(Math.abs(res.meanPnl - o.ev)).toBeLessThan(4 * res.stdErrPnl);
  });

  it('a profit target of 0 exits at the first step with a profit, a stop of 0 at the first loss', () => {
    const res = simulateExitPlan({ ...base, profitTarget: 0, stopLoss: 0 }, createRng(3));
    expect(res.pTarget + res.pStop).toBe(1);
    expect(res.meanDaysHeld).toBeCloseTo(45 / res.steps, 6);
  });
});
