// Guided scanning: the monotone fit, and recall — revealing only the legs guidedNeeds asks for (from a sparse sample
// on) ranks the same top-K as quoting every planned leg, on random seeded chains; every row comes from real quotes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScanFilters, ScanScoring } from '../contract/scanner';
import { RIGHT_FIELDS, emptyRight, type ChainSnapshot } from './chain';
import { ScanEngine } from './engine';
import { chordSlopes, guidedNeeds, pchip, rightBounds, type LegRef } from './guided';
import { syntheticChain } from './synthetic';
import { bsmPrice } from './math';

describe('pchip', () => {
  it('interpolates the data points exactly and is NaN outside their range', () => {
    const f = pchip([1, 2, 4], [10, 7, 1]);
    expect(f(1)).toBe(10);
    expect(f(2)).toBe(7);
    expect(f(4)).toBe(1);
    expect(f(0.5)).toBeNaN();
    expect(f(4.5)).toBeNaN();
  });

  it('stays monotone between monotone data (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 2, maxLength: 12 }), fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }), (gaps, drops) => {
        const xs: number[] = [];
        const ys: number[] = [];
        let x = 100;
        let y = 50;
        gaps.forEach((g, i) => {
          xs.push(x);
          ys.push(y);
          x += g;
          y -= drops[i] ?? 0;
        });
        const f = pchip(xs, ys);
        let prev = Infinity;
        for (let t = xs[0]!; t <= xs[xs.length - 1]!; t += (xs[xs.length - 1]! - xs[0]!) / 200 || 1) {
          const v = f(t);
          expect(v).toBeLessThanOrEqual(prev + 1e-9);
          prev = v;
        }
      }),
    );
  });
});

/** The chain with every quote blanked: what a scan sees before it has asked for anything. */
function blank(chain: ChainSnapshot): ChainSnapshot {
  const copy = structuredClone(chain);
  for (const slice of copy.expiries)
    for (const cols of [slice.call, slice.put]) for (const f of RIGHT_FIELDS) if (f !== 'conId') cols[f].fill(NaN);
  return copy;
}

function reveal(full: ChainSnapshot, seen: ChainSnapshot, leg: LegRef): void {
  const src = full.expiries[leg.expiryIdx]!;
  const dst = seen.expiries[leg.expiryIdx]!;
  const a = leg.right === 'C' ? src.call : src.put;
  const b = leg.right === 'C' ? dst.call : dst.put;
  for (const f of RIGHT_FIELDS) b[f][leg.index] = a[f][leg.index]!;
}

/** The guided loop the service runs, against a fully known chain: sample, then reveal what guidedNeeds asks until nothing. */
function guidedScan(full: ChainSnapshot, filters: ScanFilters, scoring: ScanScoring, k: number): { seen: ChainSnapshot; revealed: number; rounds: number } {
  const seen = blank(full);
  const tried = new Set<string>();
  const key = (l: LegRef) => `${l.expiryIdx}:${l.right}:${l.index}`;
  let revealed = 0;
  const ask = (l: LegRef) => {
    if (tried.has(key(l))) return;
    tried.add(key(l));
    reveal(full, seen, l);
    revealed++;
  };
  // First pass: one strike per expiry and right, the one nearest the band's centre (the plan orders by model delta).
  full.expiries.forEach((slice, e) => {
    for (const right of ['C', 'P'] as const) {
      const d = (right === 'C' ? slice.call : slice.put).delta;
      let best = 0;
      for (let i = 1; i < d.length; i++) if (Math.abs(Math.abs(d[i]!) - 0.25) < Math.abs(Math.abs(d[best]!) - 0.25)) best = i;
      ask({ expiryIdx: e, right, index: best });
    }
  });
  const engine = new ScanEngine();
  let rounds = 0;
  for (; rounds < 2000; rounds++) {
    const rows = engine.scanChain(seen, { filters, scoring, topPerSymbol: k, now: full.asOf, staleAfterMs: Infinity }).rows;
    const floor = rows.length >= k ? rows[k - 1]!.score : -Infinity;
    const needs = guidedNeeds({ chain: seen, filters, scoring, k, floor, bisect: true, exactScores: rows.map((r) => r.score), planned: () => true, tried: (l) => tried.has(key(l)) });
    if (needs.live.length === 0) break;
    // Best-first, one leg per live candidate, as the service does.
    for (const c of needs.live.slice(0, 10)) if (c.legs[0]) ask(c.legs[0]);
  }
  return { seen, revealed, rounds };
}

describe('guided recall (random seeded chains)', () => {
  it('ranks the same top-K as the full chain (≥ 95 % of fingerprints per case, 100 % over most), every row from real quotes', () => {
    let hits = 0;
    let total = 0;
    let revealedAll = 0;
    let quotesAll = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom<ScanFilters['kinds']>(['bull-put', 'bear-call'], ['bull-call', 'bear-put']), fc.constantFrom<ScanScoring['basis']>('mid', 'natural'), (seed, kinds, basis) => {
        const full = syntheticChain({ seed, expiries: 4, strikes: 60, spot: 100 });
        const filters: ScanFilters = { kinds, dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.35 }, width: { min: 1, max: 6 } };
        const scoring: ScanScoring = { by: 'ror', basis };
        const k = 20;
        const engine = new ScanEngine();
        const want = engine.scanChain(full, { filters, scoring, topPerSymbol: k, now: full.asOf, staleAfterMs: Infinity }).rows;
        const { seen, revealed } = guidedScan(full, filters, scoring, k);
        const got = new ScanEngine().scanChain(seen, { filters, scoring, topPerSymbol: k, now: full.asOf, staleAfterMs: Infinity }).rows;
        const wanted = new Map(want.map((r) => [r.fingerprint, r]));
        const found = got.filter((r) => wanted.has(r.fingerprint));
        // A row the guided scan ranks is the full chain's row to the digit (it is built from the same real quotes).
        for (const r of found) expect(r).toEqual(wanted.get(r.fingerprint));
        expect(found.length).toBeGreaterThanOrEqual(Math.floor(0.95 * want.length));
        hits += found.length;
        total += want.length;
        revealedAll += revealed;
        quotesAll += full.expiries.reduce((n, e) => n + 2 * e.strike.length, 0);
      }),
      { numRuns: 40 },
    );
    console.log(`[guided recall] ${hits}/${total} top-20 rows found (${((100 * hits) / total).toFixed(1)} %); quotes ${revealedAll}/${quotesAll} (${((100 * revealedAll) / quotesAll).toFixed(1)} %)`);
    expect(hits / total).toBeGreaterThanOrEqual(0.98);
  });
});

describe('guided recall on a noisy smile (random seeded chains, per-strike IV jitter)', () => {
  it('finds the full chain’s top-K although its best rows are single mispriced strikes (≥ 95 % over all cases)', () => {
    let hits = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0.5, 1, 2), (seed, ivNoise) => {
        const full = syntheticChain({ seed, expiries: 3, strikes: 60, spot: 100, ivNoise });
        const filters: ScanFilters = { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.35 }, width: { min: 1, max: 6 } };
        const scoring: ScanScoring = { by: 'ror', basis: 'mid' };
        const k = 20;
        const want = new ScanEngine().scanChain(full, { filters, scoring, topPerSymbol: k, now: full.asOf, staleAfterMs: Infinity }).rows;
        const { seen } = guidedScan(full, filters, scoring, k);
        const got = new ScanEngine().scanChain(seen, { filters, scoring, topPerSymbol: k, now: full.asOf, staleAfterMs: Infinity }).rows;
        const wanted = new Set(want.map((r) => r.fingerprint));
        hits += got.filter((r) => wanted.has(r.fingerprint)).length;
        total += want.length;
      }),
      { numRuns: 30 },
    );
    console.log(`[guided recall, noisy] ${hits}/${total} top-20 rows found (${((100 * hits) / total).toFixed(1)} %)`);
    expect(hits / total).toBeGreaterThanOrEqual(0.95);
  });
});

describe('guided decisions while quotes are in flight', () => {
  it('leave a run of unseen strikes alone while a quote inside it is out, and ask again once it lands (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const full = syntheticChain({ seed, expiries: 3, strikes: 60, spot: 100 });
        const filters: ScanFilters = { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.35 }, width: { min: 1, max: 6 } };
        const scoring: ScanScoring = { by: 'ror', basis: 'mid' };
        const seen = blank(full);
        const key = (l: LegRef) => `${l.expiryIdx}:${l.right}:${l.index}`;
        const tried = new Set<string>();
        // Two quotes per expiry and right, far apart: every candidate's legs sit in long unseen runs.
        full.expiries.forEach((_, e) => {
          for (const right of ['C', 'P'] as const) for (const index of [10, 50]) {
            reveal(full, seen, { expiryIdx: e, right, index });
            tried.add(key({ expiryIdx: e, right, index }));
          }
        });
        const ask = (inFlight: Set<string>) =>
          guidedNeeds({ chain: seen, filters, scoring, k: 10, exactScores: [], bisect: true, planned: () => true, tried: (l) => tried.has(key(l)) || inFlight.has(key(l)), inFlight: (l) => inFlight.has(key(l)) });
        const first = ask(new Set()).legs[0];
        if (!first) return;
        // The quote of `first` goes out: no leg in its run (between the seen strikes around it) is asked meanwhile.
        const out = new Set([key(first)]);
        const meanwhile = ask(out).legs;
        const inRun = (l: LegRef) => l.expiryIdx === first.expiryIdx && l.right === first.right && (l.index - 10) * (first.index - 10) > 0 && (l.index - 50) * (first.index - 50) > 0;
        expect(meanwhile.filter(inRun)).toEqual([]);
        // Once it lands, the runs it split are open again.
        reveal(full, seen, first);
        tried.add(key(first));
        expect(ask(new Set()).legs.some((l) => key(l) !== key(first))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('chordSlopes (convexity bounds)', () => {
  // The assumption the bounds rest on: mids within half a cent of an arbitrage-free (convex) price curve. Quotes are
  // built from Black–Scholes prices on a skewed smile, bid and ask a whole number of cents either side.
  it("bound every vertical's price per width between the chords beside it, calls and puts, from any quoted subset (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 61, maxLength: 61 }), fc.double({ min: 0.1, max: 0.6, noNaN: true }), fc.double({ min: 0.02, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 8 }), (mask, iv, t, cents) => {
        const K = Float64Array.from({ length: 61 }, (_, i) => 70 + i);
        for (const right of ['C', 'P'] as const) {
          const cols = emptyRight(K.length);
          const truth = Array.from(K, (k) => bsmPrice(right, 100, k, iv * (1 + 0.5 * Math.log(100 / k)), 0.04, 0.01, t));
          truth.forEach((p, i) => {
            const mid = Math.round(p * 200) / 200; // half-cent grid: within ½ cent of the curve
            cols.bid[i] = mask[i] ? Math.max(0, mid - cents / 100) : NaN;
            cols.ask[i] = mask[i] ? mid + cents / 100 : NaN;
            cols.delta[i] = NaN;
          });
          const b = rightBounds(K, cols, () => true, (i) => !!mask[i], 1, right);
          const sl = chordSlopes(K, b);
          for (let a = 0; a < K.length; a++) {
            for (let z = a + 1; z < Math.min(K.length, a + 8); z++) {
              const w = K[z]! - K[a]!;
              const d = Math.abs(truth[z]! - truth[a]!);
              const lo = right === 'C' ? sl.rightOf(K[z]!, -1) : sl.leftOf(K[a]!, -1);
              const hi = right === 'C' ? sl.leftOf(K[a]!, 1) : sl.rightOf(K[z]!, 1);
              // The mids the engine ranks differ from the curve by ≤ ½ cent each: the bounds must hold for the worst of them.
              if (!Number.isNaN(lo)) expect(d - 0.01).toBeGreaterThanOrEqual(lo * w - 2 * sl.slack - 1e-9);
              if (!Number.isNaN(hi)) expect(d + 0.01).toBeLessThanOrEqual(hi * w + 2 * sl.slack + 1e-9);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
