// The scanner's lognormal primitives against textbook values, identities and direct integration.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bsmDelta, bsmPrice, expectedCallPayoff, expectedPutPayoff, fastLog1p, fastNormCdf, normCdf, probAbove } from './math';

/** ∫ f(s) · lognormal density ds by Simpson's rule on log-price, for independent checks. */
function lognormalExpect(f: (s: number) => number, spot: number, sigma: number, mu: number, t: number): number {
  const m = Math.log(spot) + (mu - 0.5 * sigma * sigma) * t;
  const sd = sigma * Math.sqrt(t);
  const n = 20_000;
  const a = m - 12 * sd;
  const h = (24 * sd) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * f(Math.exp(x)) * Math.exp(-0.5 * ((x - m) / sd) ** 2);
  }
  return (sum * h) / 3 / (sd * Math.sqrt(2 * Math.PI));
}

describe('scanner math', () => {
  it('Φ matches published values', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normCdf(-5)).toBeCloseTo(2.866515718791939e-7, 16);
    expect(normCdf(3)).toBeCloseTo(0.9986501019683699, 14);
  });

  it('the table Φ is within 1e-10 of the rational Φ everywhere', () => {
    let worst = 0;
    for (let x = -10; x <= 10; x += 0.000731) worst = Math.max(worst, Math.abs(fastNormCdf(x) - normCdf(x)));
    expect(worst).toBeLessThan(1e-10);
    expect(fastNormCdf(NaN)).toBeNaN();
    // Clamped at ±8.5, where Φ is within 1e-17 of 0 or 1.
    expect(fastNormCdf(-Infinity)).toBeLessThan(1e-16);
    expect(fastNormCdf(Infinity)).toBeGreaterThan(1 - 1e-16);
  });

  it('the table ln(1+u) is within 6e-11 of Math.log1p, and exact outside its table', () => {
    let worst = 0;
    for (let u = -0.5; u < 1.5; u += 0.0000731) worst = Math.max(worst, Math.abs(fastLog1p(u) - Math.log1p(u)));
    expect(worst).toBeLessThan(6e-11);
    expect(fastLog1p(3)).toBeCloseTo(Math.log1p(3), 14);
    expect(fastLog1p(-0.9)).toBeCloseTo(Math.log1p(-0.9), 14);
    expect(fastLog1p(NaN)).toBeNaN();
  });

  it('BSM: Hull’s textbook example (S=K=100, r=5 %, σ=20 %, T=1): call 10.4506, put 5.5735, call delta 0.6368', () => {
    expect(bsmPrice('C', 100, 100, 0.2, 0.05, 0, 1)).toBeCloseTo(10.450583572185565, 10);
    expect(bsmPrice('P', 100, 100, 0.2, 0.05, 0, 1)).toBeCloseTo(5.573526022256971, 10);
    expect(bsmDelta('C', 100, 100, 0.2, 0.05, 0, 1)).toBeCloseTo(0.6368306511756191, 12);
    expect(bsmDelta('P', 100, 100, 0.2, 0.05, 0, 1)).toBeCloseTo(0.6368306511756191 - 1, 12);
  });

  it('expected payoffs satisfy parity and match direct integration; POP matches integration', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 20, max: 500, noNaN: true }),
        fc.double({ min: 0.6, max: 1.5, noNaN: true }),
        fc.double({ min: 0.05, max: 1.2, noNaN: true }),
        fc.double({ min: -0.2, max: 0.3, noNaN: true }),
        fc.double({ min: 1 / 365, max: 2, noNaN: true }),
        (spot, moneyness, sigma, mu, t) => {
          const k = spot * moneyness;
          const c = expectedCallPayoff(spot, k, sigma, mu, t);
          const p = expectedPutPayoff(spot, k, sigma, mu, t);
          expect(c - p).toBeCloseTo(spot * Math.exp(mu * t) - k, 8);
          // Simpson over a kinked payoff: about 1e-7 relative, so compare relatively.
          expect(Math.abs(c - lognormalExpect((s) => Math.max(s - k, 0), spot, sigma, mu, t))).toBeLessThan(1e-6 * Math.max(1, c));
          const prob = probAbove(Math.log(spot), mu * t, Math.sqrt(t), k, sigma);
          expect(prob).toBeCloseTo(lognormalExpect((s) => (s > k ? 1 : 0), spot, sigma, mu, t), 3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('unknown volatility gives NaN, a non-positive level gives certainty', () => {
    expect(probAbove(0, 0, 1, 100, NaN)).toBeNaN();
    expect(probAbove(0, 0, 1, 100, 0)).toBeNaN();
    expect(probAbove(0, 0, 1, 0, 0.2)).toBe(1);
    expect(expectedCallPayoff(100, 100, NaN, 0, 1)).toBeNaN();
  });
});
