import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstExitProbabilities } from './barrier';
import { probTouch } from './probability';
import { createRng } from './rng';

/** Seeded Monte-Carlo of the same two-sided exit with a Brownian-bridge crossing check between steps. */
function simulate(S: number, lower: number, upper: number, T: number, sigma: number, mu: number, paths: number, steps: number) {
  const rng = createRng(7);
  const dt = T / steps;
  const nu = (mu - 0.5 * sigma * sigma) * dt;
  const sd = sigma * Math.sqrt(dt);
  const lu = Math.log(upper), ll = Math.log(lower);
  let up = 0, down = 0;
  for (let p = 0; p < paths; p++) {
    let x = Math.log(S);
    for (let j = 0; j < steps; j++) {
      const next = x + nu + sd * rng.nextNormal();
      // Probability the bridge from x to next crossed a level it did not end beyond.
      const crossUp = next >= lu || rng.nextFloat() < Math.exp((-2 * (lu - x) * (lu - next)) / (sd * sd));
      const crossDown = next <= ll || rng.nextFloat() < Math.exp((-2 * (x - ll) * (next - ll)) / (sd * sd));
      if (crossUp || crossDown) {
        if (crossUp && crossDown) {
          if (rng.nextFloat() < 0.5) up++;
          else down++;
        }
        else if (crossUp) up++;
        else down++;
        break;
      }
      x = next;
    }
  }
  return { pUp: up / paths, pDown: down / paths };
}

const market = fc.record({
  S: fc.double({ min: 20, max: 800, noNaN: true }),
  T: fc.double({ min: 2 / 365, max: 1.5, noNaN: true }),
  sigma: fc.double({ min: 0.06, max: 1, noNaN: true }),
  mu: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
  up: fc.double({ min: 1.005, max: 1.6, noNaN: true }),
  down: fc.double({ min: 0.5, max: 0.995, noNaN: true }),
});

describe('firstExitProbabilities (two-sided barrier under GBM)', () => {
  it('is a probability split: each part in [0, 1], the three sum to 1', () => {
    fc.assert(fc.property(market, ({ S, T, sigma, mu, up, down }) => {
      const r = firstExitProbabilities(S, S * down, S * up, T, sigma, mu);
      for (const p of [r.pUp, r.pDown, r.pNeither]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(r.pUp + r.pDown + r.pNeither).toBeCloseTo(1, 12);
    }));
  });

  it('a closer upper level, or a farther lower one, never lowers the odds of touching the upper first', () => {
    fc.assert(fc.property(market, fc.double({ min: 0.1, max: 0.9, noNaN: true }), ({ S, T, sigma, mu, up, down }, f) => {
      const base = firstExitProbabilities(S, S * down, S * up, T, sigma, mu).pUp;
      const nearerUp = firstExitProbabilities(S, S * down, S * (1 + (up - 1) * f), T, sigma, mu).pUp;
      const fartherDown = firstExitProbabilities(S, S * down * f, S * up, T, sigma, mu).pUp;
      expect(nearerUp).toBeGreaterThanOrEqual(base - 1e-9);
      expect(fartherDown).toBeGreaterThanOrEqual(base - 1e-9);
    }));
  });

  it('with one side removed it equals the single-barrier touch probability', () => {
    fc.assert(fc.property(market, ({ S, T, sigma, mu, up, down }) => {
      expect(firstExitProbabilities(S, 0, S * up, T, sigma, mu).pUp).toBeCloseTo(probTouch(S, S * up, T, sigma, mu), 7);
      expect(firstExitProbabilities(S, S * down, Infinity, T, sigma, mu).pDown).toBeCloseTo(probTouch(S, S * down, T, sigma, mu), 7);
    }));
  });

  it('symmetric levels in log space with no log drift split evenly; a long horizon always exits', () => {
    const sigma = 0.3;
    const r = firstExitProbabilities(100, 100 / 1.1, 110, 1, sigma, 0.5 * sigma * sigma);
    expect(r.pUp).toBeCloseTo(r.pDown, 12);
    const long = firstExitProbabilities(100, 90, 110, 200, 0.3, 0.05);
    expect(long.pNeither).toBeLessThan(1e-9);
    // Infinite horizon, no log drift: the gambler's-ruin ratio in log space.
    const g = firstExitProbabilities(100, 90, 110, Infinity, sigma, 0.5 * sigma * sigma);
    expect(g.pUp).toBeCloseTo(Math.log(100 / 90) / Math.log(110 / 90), 12);
  });

  it('levels at or beyond the price count as touched; no time or no volatility touches nothing', () => {
    expect(firstExitProbabilities(100, 90, 100, 1, 0.2, 0)).toEqual({ pUp: 1, pDown: 0, pNeither: 0 });
    expect(firstExitProbabilities(100, 100, 110, 1, 0.2, 0)).toEqual({ pUp: 0, pDown: 1, pNeither: 0 });
    expect(firstExitProbabilities(100, 90, 110, 0, 0.2, 0)).toEqual({ pUp: 0, pDown: 0, pNeither: 1 });
  });

  it('agrees with a seeded bridge-corrected Monte-Carlo within its sampling error', () => {
    for (const [S, lo, hi, T, sigma, mu] of [
      [100, 95, 104, 30 / 365, 0.25, 0.04],
      [450, 430, 470, 10 / 365, 0.18, -0.1],
      [50, 40, 52, 0.5, 0.6, 0.2],
    ] as const) {
      const exact = firstExitProbabilities(S, lo, hi, T, sigma, mu);
      const mc = simulate(S, lo, hi, T, sigma, mu, 20_000, 200);
      // 4 standard errors of a proportion at n = 20 000 (≤ 0.014), plus a little for the step grid.
      expect(Math.abs(mc.pUp - exact.pUp)).toBeLessThan(0.016);
      expect(Math.abs(mc.pDown - exact.pDown)).toBeLessThan(0.016);
    }
  });
});
