import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bsmGreeks, bsmPrice, bsmPriceFast } from './bsm';
import { IV_ABOVE_MAX, IV_BELOW_INTRINSIC, IV_INVALID_INPUT, impliedVol, impliedVolFast, normalisedBlackOtm } from './iv';

describe('impliedVol reference values', () => {
  it('recovers the volatility of published examples', () => {
    // Hull S=42, K=40, r=10%, T=0.5 at the published 4-decimal prices → σ ≈ 20% (to the price rounding).
    const c = impliedVol('C', 4.7594, 42, 40, 0.5, 0.1, 0);
    expect(c.ok && Math.abs(c.value - 0.2)).toBeLessThan(1e-4);
    const p = impliedVol('P', 2.4648, 100, 95, 0.5, 0.1, 0.05); // Haug Merton example
    expect(p.ok && Math.abs(p.value - 0.2)).toBeLessThan(1e-4);
  });

  it('is exact at the money (closed form start) and for ITM via parity', () => {
    for (const right of ['C', 'P'] as const) {
      for (const K of [60, 100, 150]) {
        const price = bsmPrice(right, 100, K, 0.25, 0.03, 0.01, 0.35);
        const res = impliedVol(right, price, 100, K, 0.25, 0.03, 0.01);
        expect(res.ok && Math.abs(res.value - 0.35)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('impliedVol round trip', () => {
  const case_ = fc.record({
    S: fc.double({ min: 1, max: 1000, noNaN: true }),
    lnM: fc.double({ min: -1, max: 1, noNaN: true }),
    T: fc.double({ min: 1 / (365 * 24), max: 3, noNaN: true }),
    r: fc.double({ min: -0.01, max: 0.1, noNaN: true }),
    q: fc.double({ min: 0, max: 0.06, noNaN: true }),
    sigma: fc.double({ min: 0.01, max: 3, noNaN: true }),
    call: fc.boolean(),
  });

  it('reprices to 1e-8 (deep ITM/OTM and hours to expiry included)', () => {
    fc.assert(fc.property(case_, ({ S, lnM, T, r, q, sigma, call }) => {
      const K = S * Math.exp(lnM);
      const price = bsmPriceFast(call, S, K, T, r, q, sigma);
      const v = impliedVolFast(call, price, S, K, T, r, q);
      if (v > 0) {
        expect(Math.abs(bsmPriceFast(call, S, K, T, r, q, v) - price)).toBeLessThan(1e-8);
      } else {
        // No solution only when the time value is lost in rounding: the price sits on its lower bound.
        expect(v).toBe(IV_BELOW_INTRINSIC);
        const intrinsic = Math.max(call ? S * Math.exp(-q * T) - K * Math.exp(-r * T) : K * Math.exp(-r * T) - S * Math.exp(-q * T), 0);
        expect(Math.abs(price - intrinsic)).toBeLessThan(1e-8);
      }
    }), { numRuns: 3000 });
  });

  it('recovers σ to 1e-10 relative, plus what the rounding of the price itself allows', () => {
    fc.assert(fc.property(case_, ({ S, lnM, T, r, q, sigma, call }) => {
      const K = S * Math.exp(lnM * 0.3);
      const sd = sigma * Math.sqrt(T);
      fc.pre(sd > 0.02 && sd < 2);
      const price = bsmPriceFast(call, S, K, T, r, q, sigma);
      const v = impliedVolFast(call, price, S, K, T, r, q);
      if (v < 0) {
        // Only when the time value is below rounding of the price (deep ITM, hours to expiry).
        const intrinsic = Math.max(call ? S * Math.exp(-q * T) - K * Math.exp(-r * T) : K * Math.exp(-r * T) - S * Math.exp(-q * T), 0);
        expect(v).toBe(IV_BELOW_INTRINSIC);
        expect(price - intrinsic).toBeLessThan(1e-13 * Math.max(S, K));
        return;
      }
      // A price known to ~4 ulp pins σ only to 4ε·price/vega (deep ITM: tiny time value, huge price).
      const vega = bsmGreeks(call ? 'C' : 'P', S, K, T, r, q, sigma).vega * 100;
      const tol = 1e-10 * sigma + (4 * Number.EPSILON * Math.max(price, S, K)) / vega;
      expect(Math.abs(v - sigma)).toBeLessThan(tol);
    }), { numRuns: 2000 });
  });
});

describe('impliedVol no-solution values', () => {
  it('reports prices outside the no-arbitrage bounds instead of a number', () => {
    const S = 100, K = 90, T = 0.5, r = 0.05, q = 0.02;
    const lower = S * Math.exp(-q * T) - K * Math.exp(-r * T);
    expect(impliedVol('C', lower - 0.01, S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'BELOW_INTRINSIC' } });
    expect(impliedVol('C', lower, S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'BELOW_INTRINSIC' } });
    expect(impliedVol('C', S * Math.exp(-q * T), S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'ABOVE_MAX' } });
    expect(impliedVol('P', K * Math.exp(-r * T) + 1, S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'ABOVE_MAX' } });
    expect(impliedVol('P', 0, S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'BELOW_INTRINSIC' } });
    expect(impliedVol('C', 1, S, K, 0, r, q)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(impliedVol('C', Number.NaN, S, K, T, r, q)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(impliedVolFast(true, -1, S, K, T, r, q)).toBe(IV_INVALID_INPUT);
    expect(impliedVolFast(true, 200, S, K, T, r, q)).toBe(IV_ABOVE_MAX);
  });

  it('every failure carries a sentence', () => {
    const res = impliedVol('C', 0, 100, 100, 1, 0, 0);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message.length).toBeGreaterThan(10);
  });
});

describe('normalisedBlackOtm', () => {
  it('equals the undiscounted Black call divided by √(FK)', () => {
    const F = 100 * Math.exp(0.02), K = 120, T = 0.5, sigma = 0.3;
    const undiscounted = bsmPrice('C', F, K, T, 0, 0, sigma);
    expect(normalisedBlackOtm(Math.log(F / K), sigma * Math.sqrt(T))).toBeCloseTo(undiscounted / Math.sqrt(F * K), 14);
  });
});
