// POP from the smile: flat smile = lognormal N(d₂); a skewed smile's digital = −e^{rT}·dC/dK of the smile's own prices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChain } from './chain';
import { bsmPrice, probAbove } from './math';
import { smileAt, smileOf, smileProbAbove, type Smile } from './smile';

const SPOT = 100;
const R = 0.043;
const Q = 0.012;

/** One expiry whose calls and puts carry IV = f(K) on a 1-point strike grid. */
function sliceWith(iv: (k: number) => number, t: number) {
  const strikes = Array.from({ length: 81 }, (_, i) => 60 + i);
  const chain = createChain({ symbol: 'X', spot: SPOT, rate: R, divYield: Q, multiplier: 100, asOf: 0, expiries: [{ expiry: '20260320', dte: Math.round(t * 365), tYears: t, strikes }] });
  const slice = chain.expiries[0]!;
  strikes.forEach((k, i) => {
    slice.call.iv[i] = iv(k);
    slice.put.iv[i] = iv(k);
  });
  return slice;
}

describe('smile probability', () => {
  it('a flat smile gives the lognormal risk-neutral N(d₂)', () => {
    const t = 30 / 365;
    const smile = smileOf(sliceWith(() => 0.2, t), SPOT)!;
    for (const x of [80, 95, 100, 104.37, 120]) {
      const lognormal = probAbove(Math.log(SPOT), (R - Q) * t, Math.sqrt(t), x, 0.2);
      expect(smileProbAbove(smile, SPOT, x, R, Q, t)).toBeCloseTo(lognormal, 9);
    }
  });

  it('with a skew, equals −e^{rT}·dC/dK of the prices the smile implies (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.12, max: 0.5, noNaN: true }),
        fc.double({ min: -0.6, max: 0, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.integer({ min: 7, max: 120 }),
        fc.double({ min: 75, max: 125, noNaN: true }),
        (atm, skew, curve, days, x) => {
          const t = days / 365;
          const f = (k: number) => Math.max(0.05, atm + skew * Math.log(k / SPOT) + curve * Math.log(k / SPOT) ** 2);
          const smile = smileOf(sliceWith(f, t), SPOT)!;
          // The call price at the smile's own interpolated IV, differentiated numerically in strike.
          const call = (k: number) => bsmPrice('C', SPOT, k, smileAt(smile, k).iv, R, Q, t);
          const h = 1e-3;
          const numeric = (-Math.exp(R * t) * (call(x + h) - call(x - h))) / (2 * h);
          const p = smileProbAbove(smile, SPOT, x, R, Q, t);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(Math.abs(p - Math.min(1, Math.max(0, numeric)))).toBeLessThan(1e-5);
        },
      ),
    );
  });

  it('a put skew moves probability into the left tail: P(S_T < K) below spot exceeds the lognormal at ATM IV', () => {
    const t = 30 / 365;
    const smile = smileOf(sliceWith((k) => 0.2 - 0.3 * Math.log(k / SPOT), t), SPOT)!;
    const below = 1 - smileProbAbove(smile, SPOT, 90, R, Q, t);
    const flat = 1 - probAbove(Math.log(SPOT), (R - Q) * t, Math.sqrt(t), 90, 0.2);
    expect(below).toBeGreaterThan(flat);
  });

  it('has no smile with fewer than two IVs, and is NaN where it cannot answer', () => {
    const slice = sliceWith(() => NaN, 0.1);
    expect(smileOf(slice, SPOT)).toBeNull();
    const s: Smile = { ks: [90, 110], ivs: [0.2, 0.2], slopes: [0, 0] };
    expect(smileProbAbove(s, SPOT, 0, R, Q, 0.1)).toBeNaN();
    expect(smileProbAbove(s, SPOT, 100, R, Q, 0)).toBeNaN();
  });
});
