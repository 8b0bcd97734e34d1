// The engine against the brute-force reference on random chains, and every row against every filter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScanFilters, ScanScoring } from '../contract/scanner';
import { violations } from './check';
import { ScanEngine } from './engine';
import { mergeTop } from './merge';
import { referenceScan } from '../../../tests/support/scanner-reference';
import { syntheticChain } from './synthetic';
import { ALL_KINDS, NOW, randomChain } from '../../../tests/support/scanner-chains';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** A bound on a coarse grid half the time, so exact equalities with chain values (0.05-grid prices, strikes) occur. */
const num = (lo: number, hi: number, grid: number) =>
  fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.integer({ min: Math.ceil(lo / grid), max: Math.floor(hi / grid) }).map((i) => i * grid));
const range = (lo: number, hi: number, grid: number) =>
  fc.tuple(opt(num(lo, hi, grid)), opt(num(lo, hi, grid))).map(([a, b]) => {
    const r: { min?: number; max?: number } = {};
    if (a !== undefined) r.min = b !== undefined ? Math.min(a, b) : a;
    if (b !== undefined) r.max = a !== undefined ? Math.max(a, b) : b;
    return r;
  });

const filtersArb: fc.Arbitrary<ScanFilters> = fc
  .record({
    kinds: fc.subarray([...ALL_KINDS], { minLength: 1 }),
    dte: fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
    shortDelta: opt(range(0, 1, 0.05)),
    width: opt(range(0, 20, 0.5)),
    widthOfSpot: opt(range(0, 0.2, 0.01)),
    minCredit: opt(num(0, 3, 0.05)),
    maxDebit: opt(num(0, 5, 0.05)),
    minCreditToWidth: opt(num(0, 1, 0.05)),
    maxDebitToWidth: opt(num(0, 1, 0.05)),
    minPop: opt(num(0, 1, 0.1)),
    minEv: opt(num(-300, 100, 5)),
    minRor: opt(num(0, 3, 0.25)),
    maxLegSpread: opt(num(0, 1.5, 0.05)),
    maxLegSpreadOfMid: opt(num(0, 2, 0.25)),
    minOi: opt(fc.integer({ min: 0, max: 400 })),
    minVolume: opt(fc.integer({ min: 0, max: 80 })),
    maxQuoteAgeSec: opt(fc.integer({ min: 0, max: 120 })),
    maxExitCostOfMaxLoss: opt(num(0, 2, 0.25)),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ScanFilters);

const scoringArb: fc.Arbitrary<ScanScoring> = fc.record(
  { by: fc.constantFrom('ror', 'pop', 'evPerRisk', 'edge'), basis: fc.constantFrom('mid', 'natural'), probabilityModel: fc.constantFrom('lognormal', 'smile') },
  { requiredKeys: ['by', 'basis'] },
);

describe('scan engine', () => {
  it('top-K equals the brute-force reference, and every row satisfies every filter', () => {
    const engine = new ScanEngine();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), filtersArb, scoringArb, fc.integer({ min: 1, max: 25 }), opt(fc.double({ min: -0.5, max: 0.5, noNaN: true })), (seed, filters, scoring, k, drift) => {
        const chain = randomChain(seed);
        const options = { filters, scoring, topPerSymbol: k, drift, now: NOW };
        const got = engine.scanChain(chain, options);
        const want = referenceScan(chain, options);
        expect(got.rows).toEqual(want.rows);
        expect(got.passed).toBe(want.passed);
        expect(got.evaluated).toBeLessThanOrEqual(got.generated);
        for (const row of got.rows) expect(violations(row, filters, NOW)).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds results on loose filters (the property is not vacuous)', () => {
    const engine = new ScanEngine();
    let withRows = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = engine.scanChain(randomChain(seed), { filters: { kinds: ALL_KINDS, dte: { min: 0, max: 60 } }, scoring: { by: 'ror', basis: 'mid' }, topPerSymbol: 10, now: NOW });
      if (r.rows.length > 0) withRows++;
    }
    expect(withRows).toBeGreaterThan(150);
  });

  it('agrees with the reference on a realistic full chain, for every score, basis and probability model', () => {
    const chain = syntheticChain({ expiries: 4, strikes: 60, spot: 100, strikeStep: 1, seed: 7 });
    const engine = new ScanEngine();
    const filters: ScanFilters = { kinds: ALL_KINDS, dte: { min: 0, max: 45 }, shortDelta: { min: 0.1, max: 0.4 }, width: { min: 1, max: 10 }, maxLegSpreadOfMid: 0.8 };
    for (const by of ['ror', 'pop', 'evPerRisk', 'edge'] as const) {
      for (const [basis, probabilityModel] of [['mid', 'lognormal'], ['natural', 'lognormal'], ['mid', 'smile'], ['natural', 'smile']] as const) {
        const options = { filters, scoring: { by, basis, probabilityModel }, topPerSymbol: 40, now: chain.asOf };
        const got = engine.scanChain(chain, options);
        expect(got.rows.length).toBe(40);
        expect(got.rows).toEqual(referenceScan(chain, options).rows);
        for (const row of got.rows) {
          expect(violations(row, filters, chain.asOf)).toEqual([]);
          expect(row.completeness).toBe('complete');
        }
      }
    }
  });

  it('is deterministic: same input, same rows in the same order; ties broken by fingerprint', () => {
    const chain = syntheticChain({ expiries: 3, strikes: 40, spot: 100, seed: 3 });
    const options = { filters: { kinds: ALL_KINDS, dte: { min: 0, max: 45 } }, scoring: { by: 'ror', basis: 'mid' } as const, topPerSymbol: 200, now: chain.asOf };
    const a = new ScanEngine().scanChain(chain, options).rows;
    const b = new ScanEngine().scanChain(chain, options).rows;
    expect(a.map((r) => r.fingerprint)).toEqual(b.map((r) => r.fingerprint));
    for (let i = 1; i < a.length; i++) {
      const p = a[i - 1]!;
      const q = a[i]!;
      expect(p.score >= q.score).toBe(true);
      if (p.score === q.score) expect(p.fingerprint < q.fingerprint || p.kind < q.kind || p.expiry < q.expiry || p.shortStrike < q.shortStrike || p.longStrike < q.longStrike).toBe(true);
    }
  });

  it('overall top-K across symbols is the best of the per-symbol lists', () => {
    const engine = new ScanEngine();
    const options = { filters: { kinds: ALL_KINDS, dte: { min: 0, max: 45 } }, scoring: { by: 'pop', basis: 'mid' } as const, topPerSymbol: 30, now: NOW };
    const lists = ['AAA', 'BBB', 'CCC'].map((symbol, i) => engine.scanChain(syntheticChain({ symbol, expiries: 3, strikes: 30, spot: 100 + i * 20, seed: i + 1, asOf: NOW }), options).rows);
    const top = mergeTop(lists, 25);
    const all = lists.flat().sort((x, y) => (x.score !== y.score ? y.score - x.score : x.fingerprint < y.fingerprint ? -1 : 1));
    expect(top.map((r) => r.score)).toEqual(all.slice(0, 25).map((r) => r.score));
    expect(new Set(top.map((r) => r.symbol)).size).toBeGreaterThan(1);
  });

  it('a per-symbol quota keeps each symbol with rows in the top, fills the rest by score, and keeps the one order (property)', () => {
    const engine = new ScanEngine();
    const options = { filters: { kinds: ALL_KINDS, dte: { min: 0, max: 45 } }, scoring: { by: 'ror', basis: 'mid' } as const, topPerSymbol: 30, now: NOW };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 12 }), fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 5 }), (k, quota, sizes) => {
        // Symbols of very different quality: the first would take every slot without a quota.
        const lists = sizes.map((n, i) => engine.scanChain(syntheticChain({ symbol: `S${i}`, expiries: 2, strikes: 24, spot: 100 + 40 * i, seed: 7 + i, asOf: NOW }), options).rows.slice(0, n));
        const top = mergeTop(lists, k, quota);
        const total = lists.reduce((n, l) => n + l.length, 0);
        expect(top.length).toBe(Math.min(k, total));
        const withRows = lists.filter((l) => l.length > 0);
        const each = withRows.length ? Math.min(quota, Math.max(1, Math.floor(k / withRows.length))) : 0;
        if (withRows.length * each <= k) {
          for (const l of withRows) expect(top.filter((r) => r.symbol === l[0]!.symbol).length).toBeGreaterThanOrEqual(Math.min(each, l.length));
        }
        for (let i = 1; i < top.length; i++) expect(top[i - 1]!.score >= top[i]!.score).toBe(true);
        expect(new Set(top.map((r) => r.fingerprint)).size).toBe(top.length);
        if (quota === 0) expect(top).toEqual(mergeTop(lists, k));
      }),
      { numRuns: 60 },
    );
  });
});
