// POP and EV from the smile: equal to the lognormal ones on a flat smile, bounded and monotone, and what ranks with model 'smile'.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScanFilters, SpreadKind } from '../contract/scanner';
import { createChain, type ChainSnapshot } from './chain';
import { ScanEngine } from './engine';
import { bsmPrice } from './math';
import { normCdf, normPdf } from '../options/normal';
import { KIND_SPECS, candidateMetrics } from './metrics';
import { smileAt, smileIntegral } from './smile';
import { sliceSmileCached, sliceSmileOf } from './smile-slice';
import { syntheticChain } from './synthetic';

const SPOT = 100;
const R = 0.043;
const Q = 0.012;
const KINDS: SpreadKind[] = ['bull-call', 'bear-call', 'bull-put', 'bear-put'];

/** One expiry on a 1-point grid whose calls and puts carry IV = f(K) and quotes at the BSM price ± `half`. */
function chainWith(iv: (k: number) => number, t: number, half = 0.05): ChainSnapshot {
  const strikes = Array.from({ length: 81 }, (_, i) => 60 + i);
  const chain = createChain({ symbol: 'X', spot: SPOT, rate: R, divYield: Q, multiplier: 100, asOf: 0, expiries: [{ expiry: '20260320', dte: Math.max(1, Math.round(t * 365)), tYears: t, strikes }] });
  const slice = chain.expiries[0]!;
  strikes.forEach((k, i) => {
    for (const right of ['C', 'P'] as const) {
      const c = right === 'C' ? slice.call : slice.put;
      const theo = bsmPrice(right, SPOT, k, iv(k), R, Q, t);
      c.iv[i] = iv(k);
      c.bid[i] = Math.max(0, theo - half);
      c.ask[i] = theo + half;
      c.delta[i] = 0.3;
      c.quoteTime[i] = 0;
    }
  });
  return chain;
}

const ctx = { drift: NaN, now: 0 };

describe('smile POP and EV', () => {
  it('with a flat smile equal the lognormal POP and EV at the same σ, r, q (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.08, max: 0.8, noNaN: true }),
        fc.integer({ min: 2, max: 200 }),
        fc.constantFrom(...KINDS),
        fc.integer({ min: 70, max: 130 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('mid', 'natural') as fc.Arbitrary<'mid' | 'natural'>,
        (sigma, days, kind, short, width, basis) => {
          const t = days / 365;
          const chain = chainWith(() => sigma, t);
          const slice = chain.expiries[0]!;
          const spec = KIND_SPECS[kind];
          const s = short - 60;
          const l = spec.longAbove ? s + width : s - width;
          fc.pre(l >= 0 && l < slice.strike.length);
          const m = candidateMetrics(chain, slice, spec, s, l, basis, ctx);
          fc.pre(m.price > 0 && m.price < m.width);
          // The lognormal POP reads Φ from a table (error < 1e-9); the smile's is the exact Φ.
          expect(Math.abs(m.popSmile - m.pop)).toBeLessThan(1e-7);
          expect(Math.abs(m.evSmile - m.ev)).toBeLessThan(1e-9 * Math.max(1, m.width));
          expect(Math.abs(m.evPerRiskSmile - m.evPerRisk)).toBeLessThan(1e-8 * Math.max(1, 1 / m.maxLoss));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a vertical's expected payoff is within [0, width], grows with the width, and equals the forward value of the smile's prices (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.12, max: 0.5, noNaN: true }),
        fc.double({ min: -0.6, max: 0, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 79 }),
        fc.integer({ min: 1, max: 20 }),
        (atm, skew, curve, days, a, w) => {
          const t = days / 365;
          const chain = chainWith((k) => Math.max(0.05, atm + skew * Math.log(k / SPOT) + curve * Math.log(k / SPOT) ** 2), t);
          const slice = chain.expiries[0]!;
          const sm = sliceSmileOf(chain, slice)!;
          const b = Math.min(80, a + w);
          const k1 = slice.strike[a]!;
          const k2 = slice.strike[b]!;
          // Long k1 / short k2 call: E[(S−k1)⁺ − (S−k2)⁺] = ∫ P(S_T > x) dx; the put pair k2/k1 is the rest of the width.
          const call = sm.callPay[a]! - sm.callPay[b]!;
          const put = sm.putPay[b]! - sm.putPay[a]!;
          const tol = 1e-9 * (k2 - k1);
          expect(call).toBeGreaterThanOrEqual(-tol);
          expect(call).toBeLessThanOrEqual(k2 - k1 + tol);
          expect(Math.abs(call + put - (k2 - k1))).toBeLessThan(tol + 1e-9);
          // Monotone: a wider spread (either end moved out) never expects less.
          if (b < 80) expect(sm.callPay[a]! - sm.callPay[b + 1]!).toBeGreaterThanOrEqual(call - tol);
          if (a > 0) expect(sm.callPay[a - 1]! - sm.callPay[b]!).toBeGreaterThanOrEqual(call - tol);
          // Breeden–Litzenberger backwards: with no clamp, ∫ P = e^{rT}·(C(k1) − C(k2)) at the smile's own IVs.
          const price = (k: number) => {
            const sd = smileAt(sm.dist.smile, k).iv * Math.sqrt(t);
            const d1 = (Math.log(SPOT / k) + (R - Q) * t) / sd + 0.5 * sd;
            return SPOT * Math.exp(-Q * t) * normCdf(d1) - k * Math.exp(-R * t) * normCdf(d1 - sd);
          };
          const direct = smileIntegral(sm.dist, k1, k2);
          expect(Math.abs(direct - call)).toBeLessThan(1e-9 * Math.max(1, k2 - k1));
          let clamped = false;
          for (let x = k1; x <= k2; x += 0.125) {
            const { iv, slope } = smileAt(sm.dist.smile, x);
            const sd = iv * Math.sqrt(t);
            const d1 = (Math.log(SPOT / x) + (R - Q) * t) / sd + 0.5 * sd;
            const raw = normCdf(d1 - sd) - Math.exp(R * t) * SPOT * Math.exp(-Q * t) * Math.sqrt(t) * normPdf(d1) * slope;
            if (raw < 0 || raw > 1) clamped = true;
          }
          if (!clamped) expect(Math.abs(call - Math.exp(R * t) * (price(k1) - price(k2)))).toBeLessThan(1e-7 * Math.max(1, k2 - k1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a bull call's expected payoff falls as its strikes move up the chain (where the smile's density is positive)", () => {
    const chain = chainWith((k) => 0.2 - 0.2 * Math.log(k / SPOT), 30 / 365);
    const slice = chain.expiries[0]!;
    const sm = sliceSmileOf(chain, slice)!;
    // Bull call (long lower, short higher): pay[long] − pay[short] falls as the pair moves up (the density is positive here).
    let last = Infinity;
    for (let a = 0; a + 5 <= 80; a++) {
      const payoff = sm.callPay[a]! - sm.callPay[a + 5]!;
      expect(payoff).toBeLessThanOrEqual(last + 1e-12);
      last = payoff;
    }
  });
});

const filters: ScanFilters = { kinds: ['bull-put', 'bear-call', 'bull-call', 'bear-put'], dte: { min: 0, max: 60 }, width: { min: 1, max: 10 }, maxLegSpreadOfMid: 0.8 };

describe('the per-expiry smile cache', () => {
  it('returns the kept model while spot, r, q, T and every IV are unchanged, and rebuilds when one moves', () => {
    const chain = chainWith((k) => 0.2 - 0.1 * Math.log(k / SPOT), 20 / 365);
    const slice = chain.expiries[0]!;
    const a = sliceSmileCached(chain, slice);
    expect(sliceSmileCached(chain, slice)).toBe(a);
    expect(a).toEqual(sliceSmileOf(chain, slice));
    slice.put.iv[10] = 0.35;
    const b = sliceSmileCached(chain, slice);
    expect(b).not.toBe(a);
    expect(b).toEqual(sliceSmileOf(chain, slice));
    chain.spot = 101;
    expect(sliceSmileCached(chain, slice)).not.toBe(b);
  });
});

describe('ranking with the probability model', () => {
  const chain = syntheticChain({ expiries: 4, strikes: 60, spot: 100, strikeStep: 1, seed: 11 });
  const engine = new ScanEngine();

  it("by POP with model 'smile' orders rows by POP σ, and says so per row", () => {
    const rows = engine.scanChain(chain, { filters, scoring: { by: 'pop', basis: 'mid', probabilityModel: 'smile' }, topPerSymbol: 60, now: chain.asOf }).rows;
    expect(rows.length).toBe(60);
    for (const r of rows) {
      expect(r.probabilityModel).toBe('smile');
      expect(r.score).toBe(r.popSmile);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.popSmile!).toBeGreaterThanOrEqual(rows[i]!.popSmile!);
    // The lognormal model ranks by the lognormal POP; the two orders differ on a skewed chain.
    const lognormal = engine.scanChain(chain, { filters, scoring: { by: 'pop', basis: 'mid' }, topPerSymbol: 60, now: chain.asOf }).rows;
    for (const r of lognormal) {
      expect(r.probabilityModel).toBe('lognormal');
      expect(r.score).toBe(r.pop);
    }
    expect(lognormal.map((r) => r.fingerprint)).not.toEqual(rows.map((r) => r.fingerprint));
  });

  it("by EV/risk with model 'smile' orders rows by EV/risk σ; ROR and edge name no model", () => {
    const rows = engine.scanChain(chain, { filters, scoring: { by: 'evPerRisk', basis: 'natural', probabilityModel: 'smile' }, topPerSymbol: 40, now: chain.asOf }).rows;
    expect(rows.length).toBe(40);
    for (const r of rows) {
      expect(r.probabilityModel).toBe('smile');
      expect(r.score).toBe(r.evPerRiskSmile);
      expect(r.evSmile! / r.maxLoss).toBeCloseTo(r.evPerRiskSmile!, 12);
    }
    for (const by of ['ror', 'edge'] as const) {
      for (const r of engine.scanChain(chain, { filters, scoring: { by, basis: 'mid', probabilityModel: 'smile' }, topPerSymbol: 5, now: chain.asOf }).rows) expect(r.probabilityModel).toBeNull();
    }
  });

  it('falls back to the lognormal figures, per expiry, where there are too few IVs for a smile', () => {
    const thin = syntheticChain({ expiries: 2, strikes: 40, spot: 100, strikeStep: 1, seed: 5 });
    // The first expiry keeps one IV (no smile); the second keeps all.
    const first = thin.expiries[0]!;
    first.call.iv.fill(NaN);
    first.put.iv.fill(NaN);
    first.call.iv[20] = 0.2;
    const rows = engine.scanChain(thin, { filters, scoring: { by: 'pop', basis: 'mid', probabilityModel: 'smile' }, topPerSymbol: 400, now: thin.asOf }).rows;
    const without = rows.filter((r) => r.expiry === first.expiry);
    const withSmile = rows.filter((r) => r.expiry !== first.expiry);
    expect(without.length).toBeGreaterThan(0);
    expect(withSmile.length).toBeGreaterThan(0);
    for (const r of without) {
      expect(r.popSmile).toBeNull();
      expect(r.evSmile).toBeNull();
      expect(r.probabilityModel).toBe('lognormal');
      expect(r.score).toBe(r.pop);
    }
    for (const r of withSmile) expect(r.probabilityModel).toBe('smile');
  });
});
