import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GREEKS_STRIDE, bsmGreeks, bsmGreeksInto, bsmPrice, bsmPriceDiscounted, bsmPriceFast } from './bsm';

// Tolerance for published prices: 1e-4 of the printed figure (the figures are printed to 4 decimals).
const PUBLISHED = 1e-4;

describe('BSM reference values', () => {
  it('Hull, Options, Futures, and Other Derivatives: S=42, K=40, r=10%, σ=20%, T=0.5 → c=4.7594, p=0.8086', () => {
    // Hull prints c = 4.76 and p = 0.81; the 4-decimal figures are the same example carried further.
    expect(Math.abs(bsmPrice('C', 42, 40, 0.5, 0.1, 0, 0.2) - 4.7594)).toBeLessThan(PUBLISHED);
    expect(Math.abs(bsmPrice('P', 42, 40, 0.5, 0.1, 0, 0.2) - 0.8086)).toBeLessThan(PUBLISHED);
  });

  it('Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), ch. 1 examples', () => {
    // §1.1.1 Black–Scholes 1973: S=60, X=65, T=0.25, r=8%, σ=30% → call 2.1334.
    expect(Math.abs(bsmPrice('C', 60, 65, 0.25, 0.08, 0, 0.3) - 2.1334)).toBeLessThan(PUBLISHED);
    // §1.1.3 Merton 1973 (continuous dividend yield): S=100, X=95, T=0.5, r=10%, q=5%, σ=20% → put 2.4648.
    expect(Math.abs(bsmPrice('P', 100, 95, 0.5, 0.1, 0.05, 0.2) - 2.4648)).toBeLessThan(PUBLISHED);
    // §1.1.4 Black 1976 (futures, q = r): F=19, X=19, T=0.75, r=10%, σ=28% → call = put = 1.7011.
    expect(Math.abs(bsmPrice('C', 19, 19, 0.75, 0.1, 0.1, 0.28) - 1.7011)).toBeLessThan(PUBLISHED);
    expect(Math.abs(bsmPrice('P', 19, 19, 0.75, 0.1, 0.1, 0.28) - 1.7011)).toBeLessThan(PUBLISHED);
    // §1.1.6 Garman–Kohlhagen (q = foreign rate): S=1.56, X=1.60, T=0.5, r=6%, rf=8%, σ=12% → call 0.0291.
    expect(Math.abs(bsmPrice('C', 1.56, 1.6, 0.5, 0.06, 0.08, 0.12) - 0.0291)).toBeLessThan(PUBLISHED);
  });

  it('Haug (2nd ed.) ch. 2 greeks examples, generalized BSM with carry b = r − q', () => {
    // Delta, futures option (b = 0): S=105, X=100, T=0.5, r=10%, σ=36% → call 0.5946, put −0.3566.
    expect(Math.abs(bsmGreeks('C', 105, 100, 0.5, 0.1, 0.1, 0.36).delta - 0.5946)).toBeLessThan(PUBLISHED);
    expect(Math.abs(bsmGreeks('P', 105, 100, 0.5, 0.1, 0.1, 0.36).delta - -0.3566)).toBeLessThan(PUBLISHED);
    // Gamma: S=55, X=60, T=0.75, r=b=10%, σ=30% → 0.0278.
    expect(Math.abs(bsmGreeks('C', 55, 60, 0.75, 0.1, 0, 0.3).gamma - 0.0278)).toBeLessThan(PUBLISHED);
    // Theta (per year in Haug): S=430, X=405, T=0.0833, r=7%, b=2% (q=5%), σ=20% → put −31.1924.
    expect(Math.abs(bsmGreeks('P', 430, 405, 0.0833, 0.07, 0.05, 0.2).theta * 365 - -31.1924)).toBeLessThan(PUBLISHED);
    // Rho (per unit of rate in Haug): S=72, X=75, T=1, r=b=9%, σ=19% → call 38.7325.
    expect(Math.abs(bsmGreeks('C', 72, 75, 1, 0.09, 0, 0.19).rho * 100 - 38.7325)).toBeLessThan(PUBLISHED);
  });

  it('Hull (OFOD, "The Greek Letters"): S=49, K=50, r=5%, σ=20%, T=20 weeks, to the printed digits', () => {
    const g = bsmGreeks('C', 49, 50, 20 / 52, 0.05, 0, 0.2);
    expect(g.price).toBeCloseTo(2.40, 2); // "$240,000" for 100,000 options
    expect(g.delta).toBeCloseTo(0.522, 3);
    expect(g.gamma).toBeCloseTo(0.066, 3);
    expect(g.theta).toBeCloseTo(-0.0118, 4); // Hull: −4.31 per year = −0.0118 per calendar day
    expect(g.vega).toBeCloseTo(0.121, 3); // Hull: 12.1 per unit of σ = 0.121 per vol point
    expect(g.rho).toBeCloseTo(0.0891, 4); // Hull: 8.91 per unit of r = 0.0891 per 1%
  });
});

const market = fc.record({
  S: fc.double({ min: 5, max: 2000, noNaN: true }),
  m: fc.double({ min: 0.5, max: 1.8, noNaN: true }),
  T: fc.double({ min: 1 / 365, max: 3, noNaN: true }),
  r: fc.double({ min: -0.01, max: 0.1, noNaN: true }),
  q: fc.double({ min: 0, max: 0.06, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});

describe('BSM properties', () => {
  it('put–call parity: C − P = S·e^{−qT} − K·e^{−rT}', () => {
    fc.assert(fc.property(market, ({ S, m, T, r, q, sigma }) => {
      const K = S * m;
      const lhs = bsmPrice('C', S, K, T, r, q, sigma) - bsmPrice('P', S, K, T, r, q, sigma);
      const rhs = S * Math.exp(-q * T) - K * Math.exp(-r * T);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * S);
    }));
  });

  it('greeks agree with central finite differences of the price', () => {
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      const right = call ? 'C' : 'P';
      const p = (s: number, t: number, rr: number, v: number): number => bsmPrice(right, s, K, t, rr, q, v);
      const g = bsmGreeks(right, S, K, T, r, q, sigma);
      const h = 1e-4 * S * Math.min(1, sigma * Math.sqrt(T)); // small against the curvature scale S·σ√T
      const scale = S; // absolute tolerances scale with the price level
      expect(Math.abs(g.delta - (p(S + h, T, r, sigma) - p(S - h, T, r, sigma)) / (2 * h))).toBeLessThan(1e-6);
      // Gamma: the bump must be small against the scale of curvature, S·σ√T (tiny hours before expiry); the
      // tolerance is truncation (relative) plus the rounding noise of a second difference, ~8ε·price/h².
      const hg = 1e-3 * S * Math.min(1, sigma * Math.sqrt(T));
      const fdGamma = (p(S + hg, T, r, sigma) - 2 * p(S, T, r, sigma) + p(S - hg, T, r, sigma)) / (hg * hg);
      expect(Math.abs(g.gamma - fdGamma)).toBeLessThan(1e-5 * g.gamma + (8 * Number.EPSILON * scale) / (hg * hg));
      const dv = 1e-5;
      expect(Math.abs(g.vega - ((p(S, T, r, sigma + dv) - p(S, T, r, sigma - dv)) / (2 * dv)) / 100)).toBeLessThan(1e-7 * scale);
      const dr = 1e-6;
      expect(Math.abs(g.rho - ((p(S, T, r + dr, sigma) - p(S, T, r - dr, sigma)) / (2 * dr)) / 100)).toBeLessThan(1e-6 * scale);
      // Theta per calendar day = −∂V/∂T / 365.
      const dt = Math.min(1e-6, T / 10);
      expect(Math.abs(g.theta - -((p(S, T + dt, r, sigma) - p(S, T - dt, r, sigma)) / (2 * dt)) / 365)).toBeLessThan(1e-6 * scale);
    }));
  });

  it('is monotone in strike: calls fall and puts rise as K rises', () => {
    fc.assert(fc.property(market, fc.double({ min: 1e-3, max: 0.5, noNaN: true }), ({ S, m, T, r, q, sigma }, dk) => {
      const K = S * m;
      expect(bsmPrice('C', S, K * (1 + dk), T, r, q, sigma)).toBeLessThanOrEqual(bsmPrice('C', S, K, T, r, q, sigma) + 1e-12 * S);
      expect(bsmPrice('P', S, K * (1 + dk), T, r, q, sigma)).toBeGreaterThanOrEqual(bsmPrice('P', S, K, T, r, q, sigma) - 1e-12 * S);
    }));
  });

  it('is monotone in time where theory says so (calls with q = 0, r ≥ 0; puts with r = 0)', () => {
    fc.assert(fc.property(market, fc.double({ min: 1e-3, max: 1, noNaN: true }), ({ S, m, T, r, q, sigma }, dT) => {
      const K = S * m;
      const rr = Math.max(r, 0);
      expect(bsmPrice('C', S, K, T + dT, rr, 0, sigma)).toBeGreaterThanOrEqual(bsmPrice('C', S, K, T, rr, 0, sigma) - 1e-12 * S);
      expect(bsmPrice('P', S, K, T + dT, 0, q, sigma)).toBeGreaterThanOrEqual(bsmPrice('P', S, K, T, 0, q, sigma) - 1e-12 * S);
    }));
  });

  it('stays within no-arbitrage bounds', () => {
    fc.assert(fc.property(market, ({ S, m, T, r, q, sigma }) => {
      const K = S * m;
      const sdq = S * Math.exp(-q * T), kdr = K * Math.exp(-r * T);
      const c = bsmPrice('C', S, K, T, r, q, sigma);
      const p = bsmPrice('P', S, K, T, r, q, sigma);
      expect(c).toBeGreaterThanOrEqual(Math.max(sdq - kdr, 0) - 1e-12 * S);
      expect(c).toBeLessThanOrEqual(sdq);
      expect(p).toBeGreaterThanOrEqual(Math.max(kdr - sdq, 0) - 1e-12 * S);
      expect(p).toBeLessThanOrEqual(kdr);
    }));
  });

  it('hot-path variants agree with the object API', () => {
    const out = new Float64Array(2 * GREEKS_STRIDE);
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      bsmGreeksInto(out, GREEKS_STRIDE, call, S, K, T, r, q, sigma);
      const g = bsmGreeks(call ? 'C' : 'P', S, K, T, r, q, sigma);
      expect([...out.subarray(GREEKS_STRIDE)]).toEqual([g.price, g.delta, g.gamma, g.theta, g.vega, g.rho]);
      expect(bsmPriceFast(call, S, K, T, r, q, sigma)).toBe(g.price);
      expect(bsmPriceDiscounted(call, S * Math.exp(-q * T), K * Math.exp(-r * T), sigma * Math.sqrt(T))).toBe(g.price);
    }));
  });

  it('handles expiry and zero volatility as discounted intrinsic value', () => {
    expect(bsmPrice('C', 110, 100, 0, 0.05, 0, 0.2)).toBe(10);
    expect(bsmPrice('P', 110, 100, 0, 0.05, 0, 0.2)).toBe(0);
    expect(bsmPrice('C', 110, 100, 1, 0.05, 0, 0)).toBeCloseTo(110 - 100 * Math.exp(-0.05), 12);
    const g = bsmGreeks('P', 90, 100, 0, 0.05, 0, 0.2);
    expect(g).toEqual({ price: 10, delta: -1, gamma: 0, theta: 0, vega: 0, rho: 0 });
  });
});
