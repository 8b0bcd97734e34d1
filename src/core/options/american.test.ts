import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  americanGreeks, americanPrice, americanPriceTree, bs2002Call, impliedVolAmerican, isEuropeanEquivalent, optionPrice,
} from './american';
import { bsmPrice } from './bsm';

// Cox–Ross–Rubinstein binomial tree: an independent American reference for property tests.
function crr(call: boolean, S: number, K: number, T: number, r: number, q: number, sigma: number, n: number): number {
  const dt = T / n, u = Math.exp(sigma * Math.sqrt(dt)), d = 1 / u;
  const p = (Math.exp((r - q) * dt) - d) / (u - d), disc = Math.exp(-r * dt);
  const v = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) v[i] = Math.max(call ? S * u ** (n - 2 * i) - K : K - S * u ** (n - 2 * i), 0);
  for (let j = n - 1; j >= 0; j--) {
    for (let i = 0; i <= j; i++) {
      const st = S * u ** (j - 2 * i);
      v[i] = Math.max(disc * (p * (v[i] as number) + (1 - p) * (v[i + 1] as number)), call ? st - K : K - st);
    }
  }
  return v[0] as number;
}

describe('Bjerksund–Stensland 2002 reference values', () => {
  // Haug, The Complete Guide to Option Pricing Formulas, 2nd ed. (2007), §3.1.4: the BS-2002 American call values
  // for X = 100, r = 10%, b = 0 (q = r), S ∈ {90, 100, 110}, T ∈ {0.1, 0.5}, σ ∈ {15%, 25%, 35%}.
  // The cell S=110, T=0.5, σ=15% is left out: the value we hold for it (10.7100) could not be confirmed from a
  // second source, and it sits far from the binomial value (10.8108) unlike every other cell; this code gives 10.7898.
  const table: [number, number, number, number][] = [
    [90, 0.1, 0.15, 0.0205], [100, 0.1, 0.15, 1.8757], [110, 0.1, 0.15, 10.0],
    [90, 0.1, 0.25, 0.3151], [100, 0.1, 0.25, 3.1256], [110, 0.1, 0.25, 10.3725],
    [90, 0.1, 0.35, 0.9479], [100, 0.1, 0.35, 4.3746], [110, 0.1, 0.35, 11.1578],
    [90, 0.5, 0.15, 0.8099], [100, 0.5, 0.15, 4.0628],
    [90, 0.5, 0.25, 2.718], [100, 0.5, 0.25, 6.7661], [110, 0.5, 0.25, 12.9814],
    [90, 0.5, 0.35, 4.9665], [100, 0.5, 0.35, 9.4608], [110, 0.5, 0.35, 15.5137],
  ];
  it.each(table)('call S=%d T=%d σ=%d → %d (±1e-4)', (S, T, sigma, expected) => {
    expect(Math.abs(americanPrice('C', S, 100, T, 0.1, 0.1, sigma) - expected)).toBeLessThan(1e-4);
  });

  it('puts through the put–call transformation (Haug symmetry, b = 0): P(S=90, X=100) = C(S=100, X=90)', () => {
    const put = americanPrice('P', 90, 100, 0.5, 0.1, 0.1, 0.15);
    expect(put).toBeCloseTo(bs2002Call(100, 90, 0.5, 0.1, 0, 0.15), 12);
    expect(Math.abs(put - crr(false, 90, 100, 0.5, 0.1, 0.1, 0.15, 2000))).toBeLessThan(0.03);
  });
});

const market = fc.record({
  S: fc.double({ min: 20, max: 500, noNaN: true }),
  m: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
  T: fc.double({ min: 0.02, max: 1, noNaN: true }),
  r: fc.double({ min: 0.005, max: 0.06, noNaN: true }),
  q: fc.double({ min: 0.0, max: 0.04, noNaN: true }),
  sigma: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
});

// The tightest lower no-arbitrage bound of an American option: intrinsic or the European forward intrinsic.
function lowerBound(call: boolean, S: number, K: number, T: number, r: number, q: number): number {
  const fwdIntrinsic = call ? S * Math.exp(-q * T) - K * Math.exp(-r * T) : K * Math.exp(-r * T) - S * Math.exp(-q * T);
  return Math.max(call ? S - K : K - S, fwdIntrinsic, 0);
}

describe('American value properties', () => {
  it('is at least the European value and the intrinsic value', () => {
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      const right = call ? 'C' : 'P';
      const a = americanPrice(right, S, K, T, r, q, sigma);
      expect(a).toBeGreaterThanOrEqual(bsmPrice(right, S, K, T, r, q, sigma) - 1e-12 * S);
      expect(a).toBeGreaterThanOrEqual(Math.max(call ? S - K : K - S, 0) - 1e-12 * S);
    }));
  });

  it('equals the European value where early exercise is never optimal (calls with q ≤ 0, puts with r ≤ 0)', () => {
    fc.assert(fc.property(market, ({ S, m, T, r, q, sigma }) => {
      const K = S * m;
      expect(americanPrice('C', S, K, T, r, 0, sigma)).toBe(bsmPrice('C', S, K, T, r, 0, sigma));
      expect(americanPrice('P', S, K, T, -0.001, q, sigma)).toBe(bsmPrice('P', S, K, T, -0.001, q, sigma));
      expect(optionPrice('european', 'P', S, K, T, r, q, sigma)).toBe(bsmPrice('P', S, K, T, r, q, sigma));
    }));
  });

  it('the Leisen–Reimer tree (201 steps) matches a 2000-step CRR tree to 0.15% of the value (+0.1 cent per $100)', () => {
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      const lr = americanPriceTree(call ? 'C' : 'P', S, K, T, r, q, sigma);
      const ref = 0.5 * (crr(call, S, K, T, r, q, sigma, 2000) + crr(call, S, K, T, r, q, sigma, 2001));
      expect(Math.abs(lr - ref)).toBeLessThan(1.5e-3 * ref + 1e-3 * (S / 100));
    }), { numRuns: 12 });
  });

  it('BS2002 is within 2% of the value or 6 cents per $100 of the tree on typical equity inputs', () => {
    // Domain of `market`: T ≤ 1 y, σ ≤ 60%, K/S 0.8–1.2, r ≤ 6%, q ≤ 4% (accuracy notes in american.ts).
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      const a = americanPrice(call ? 'C' : 'P', S, K, T, r, q, sigma);
      const tree = americanPriceTree(call ? 'C' : 'P', S, K, T, r, q, sigma);
      expect(Math.abs(a - tree)).toBeLessThan(Math.max(0.02 * tree, 0.06 * (S / 100)));
      // precise = the tree floored at the European value, or exactly BSM where early exercise never pays.
      const euro = bsmPrice(call ? 'C' : 'P', S, K, T, r, q, sigma);
      const precise = optionPrice('american', call ? 'C' : 'P', S, K, T, r, q, sigma, true);
      expect(precise).toBe(isEuropeanEquivalent(call ? 'C' : 'P', r, q) ? euro : Math.max(tree, euro));
    }), { numRuns: 200 });
  });

  it('the worst documented BS2002 case: 1-year ATM put at r = 6%, σ = 20%', () => {
    const bs = americanPrice('P', 100, 100, 1, 0.06, 0, 0.2);
    const tree = americanPriceTree('P', 100, 100, 1, 0.06, 0, 0.2);
    expect(bs).toBeCloseTo(5.7268, 4);
    expect(tree).toBeCloseTo(5.80, 2);
    expect(tree - bs).toBeLessThan(0.075);
  });

  it('handles expiry and near-zero volatility', () => {
    expect(americanPrice('P', 90, 100, 0, 0.05, 0, 0.3)).toBe(10);
    expect(americanPrice('C', 110, 100, 1, 0.05, 0.05, 1e-9)).toBeCloseTo(10, 12);
    expect(americanPrice('P', 100, 110, 1, 0.05, 0.05, 1e-9)).toBeCloseTo(10, 12);
  });

  it('greeks have the right signs and match the European ones where the values coincide', () => {
    const g = americanGreeks('P', 100, 105, 0.5, 0.05, 0.01, 0.3);
    expect(g.delta).toBeLessThan(0);
    expect(g.delta).toBeGreaterThan(-1);
    expect(g.gamma).toBeGreaterThan(0);
    expect(g.vega).toBeGreaterThan(0);
    expect(g.theta).toBeLessThan(0);
    expect(g.rho).toBeLessThan(0);
    const c = americanGreeks('C', 100, 105, 0.5, 0.05, 0, 0.3);
    expect(c.delta).toBeCloseTo(0.5, 0);
  });
});

describe('impliedVolAmerican', () => {
  it('round-trips American prices to 1e-8', () => {
    fc.assert(fc.property(market, fc.boolean(), ({ S, m, T, r, q, sigma }, call) => {
      const K = S * m;
      const right = call ? 'C' : 'P';
      const price = americanPrice(right, S, K, T, r, q, sigma);
      fc.pre(price - lowerBound(call, S, K, T, r, q) > 1e-6 * S);
      const res = impliedVolAmerican(right, price, S, K, T, r, q);
      expect(res.ok).toBe(true);
      if (res.ok) expect(Math.abs(americanPrice(right, S, K, T, r, q, res.value) - price)).toBeLessThan(1e-8);
    }), { numRuns: 60 });
  });

  it('reports prices at or below intrinsic as no solution', () => {
    expect(impliedVolAmerican('P', 10, 90, 100, 0.5, 0.05, 0)).toMatchObject({ ok: false, error: { code: 'BELOW_INTRINSIC' } });
    expect(impliedVolAmerican('C', 120, 110, 100, 0.5, 0.05, 0.02)).toMatchObject({ ok: false, error: { code: 'ABOVE_MAX' } });
  });
});
