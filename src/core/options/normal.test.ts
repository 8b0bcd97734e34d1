import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bivariateNormCdf, logNormCdf, normCdf, normCdfWithExp, normInv, normInvFast, normPdf } from './normal';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('normCdf (Cody)', () => {
  // Reference values: mpmath 1.3.0 ncdf at 40 significant digits (printed to 17).
  const reference: [number, number][] = [
    [-37, 5.725571222524577e-300], [-30, 4.906713927148187e-198], [-20, 2.7536241186062337e-89],
    [-10, 7.619853024160525e-24], [-5, 2.866515718791939e-7], [-3, 0.0013498980316300946],
    [-1.5, 0.06680720126885807], [-0.5, 0.3085375387259869], [0.3, 0.6179114221889527],
    [1, 0.8413447460685429], [2.5, 0.9937903346742238], [5, 0.9999997133484281], [8, 0.9999999999999993],
  ];
  it.each(reference)('Φ(%d) to 2e-15 relative', (x, p) => {
    expect(rel(normCdf(x), p)).toBeLessThan(2e-15);
  });

  it('matches Abramowitz & Stegun Table 26.1 (10 decimals)', () => {
    expect(normCdf(1)).toBeCloseTo(0.8413447461, 10);
    expect(normCdf(2)).toBeCloseTo(0.9772498681, 10);
    expect(normCdf(3)).toBeCloseTo(0.998650102, 9);
    expect(normCdf(0)).toBe(0.5);
  });

  it('is symmetric, monotone and within [0, 1]', () => {
    fc.assert(fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, d) => {
      const p = normCdf(x);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Math.abs(p + normCdf(-x) - 1)).toBeLessThan(3e-16);
      expect(normCdf(x + d)).toBeGreaterThanOrEqual(p);
    }));
  });

  it('normCdfWithExp equals normCdf when given exp(−x²/2)', () => {
    fc.assert(fc.property(fc.double({ min: -5.6, max: 5.6, noNaN: true }), (x) => {
      expect(rel(normCdfWithExp(x, Math.exp(-0.5 * x * x)), normCdf(x))).toBeLessThan(1e-15);
    }));
  });

  it('logNormCdf stays accurate where Φ underflows', () => {
    // ln Φ(−40) from the asymptotic series; mpmath (40 digits): −804.60844201375378…
    expect(Math.abs(logNormCdf(-40) - -804.6084420137538)).toBeLessThan(1e-10);
    expect(rel(logNormCdf(-3), Math.log(0.0013498980316300946))).toBeLessThan(1e-14);
    expect(logNormCdf(3)).toBeCloseTo(Math.log1p(-0.0013498980316300946), 15);
  });

  it('normPdf integrates the CDF (derivative check)', () => {
    for (const x of [-3, -1, 0, 0.5, 2]) {
      const h = 1e-5;
      expect((normCdf(x + h) - normCdf(x - h)) / (2 * h)).toBeCloseTo(normPdf(x), 9);
    }
  });
});

describe('normInv', () => {
  it('inverts normCdf to 3e-14 relative across (1e-300, 1 − 1e-15)', () => {
    fc.assert(fc.property(fc.double({ min: -300, max: -0.0001, noNaN: true }), (e) => {
      const p = Math.pow(10, e);
      const x = normInv(p);
      expect(rel(normCdf(x), p)).toBeLessThan(3e-13);
      const q = 1 - p;
      if (q < 1) expect(Math.abs(normCdf(normInv(q)) - q)).toBeLessThan(1e-15);
    }));
  });

  it('hits textbook quantiles', () => {
    expect(normInv(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normInv(0.5)).toBe(0);
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(Number.isNaN(normInv(1.5))).toBe(true);
    expect(Math.abs(normInvFast(0.975) - 1.959963984540054)).toBeLessThan(3e-9);
  });
});

describe('bivariateNormCdf (Genz)', () => {
  // Reference values: mpmath quadrature of φ(x)Φ((b − ρx)/√(1−ρ²)), 40 digits.
  const reference: [number, number, number, number][] = [
    [0.5, -0.3, 0.2, 0.2907642881365537], [-1, 1.2, -0.6, 0.10071153805506067], [1.5, 2, 0.9, 0.9307272535126402],
    [-2, -1.5, 0.95, 0.022100008764184883], [0.25, 0.75, -0.97, 0.3720794443933235], [-0.7, 0.1, 0.5, 0.19262185484976974],
  ];
  it.each(reference)('M(%d, %d; %d) to 1e-15', (a, b, r, m) => {
    expect(Math.abs(bivariateNormCdf(a, b, r) - m)).toBeLessThan(1e-15);
  });

  it('satisfies closed forms and symmetries', () => {
    fc.assert(fc.property(
      fc.double({ min: -6, max: 6, noNaN: true }), fc.double({ min: -6, max: 6, noNaN: true }), fc.double({ min: -0.999, max: 0.999, noNaN: true }),
      (a, b, r) => {
        // Sheppard: M(0, 0; ρ) = 1/4 + asin(ρ)/(2π).
        expect(bivariateNormCdf(0, 0, r)).toBeCloseTo(0.25 + Math.asin(r) / (2 * Math.PI), 14);
        expect(bivariateNormCdf(a, b, 0)).toBeCloseTo(normCdf(a) * normCdf(b), 15);
        expect(bivariateNormCdf(a, b, r)).toBeCloseTo(bivariateNormCdf(b, a, r), 14);
        // M(a, b; ρ) + M(a, −b; −ρ) = Φ(a).
        expect(bivariateNormCdf(a, b, r) + bivariateNormCdf(a, -b, -r)).toBeCloseTo(normCdf(a), 14);
      },
    ));
  });
});
