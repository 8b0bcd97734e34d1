// Each filter on a hand-made chain whose numbers can be checked on paper.
import { describe, expect, it } from 'vitest';
import type { ScanFilters, ScanScoring } from '../contract/scanner';
import { ScanEngine } from './engine';
import { OPEN, handChain, NOW, type LegSpec } from '../../../tests/support/scanner-chains';

// Strikes 95/100/105, spot 100, 30 DTE. Calls and puts mirror each other around 100.
const CALLS: LegSpec[] = [
  { bid: 6.0, ask: 6.2, delta: 0.7 },
  { bid: 2.9, ask: 3.1, delta: 0.5 },
  { bid: 1.0, ask: 1.1, delta: 0.3 },
];
const PUTS: LegSpec[] = [
  { bid: 1.0, ask: 1.2, delta: -0.3 },
  { bid: 2.9, ask: 3.1, delta: -0.5 },
  { bid: 6.0, ask: 6.4, delta: -0.7 },
];
const chain = (calls = CALLS, puts = PUTS) => handChain([95, 100, 105], calls, puts);
const engine = new ScanEngine();
const MID: ScanScoring = { by: 'ror', basis: 'mid' };

function scan(extra: Partial<ScanFilters>, scoring: ScanScoring = MID, c = chain()) {
  return engine.scanChain(c, { filters: { ...OPEN, ...extra }, scoring, topPerSymbol: 100, now: NOW }).rows;
}
const fps = (extra: Partial<ScanFilters>, scoring: ScanScoring = MID, c = chain()) => scan(extra, scoring, c).map((r) => r.fingerprint).sort();
const BEAR_CALL = 'TST:bear-call:20250205:100/105';
const BULL_CALL = 'TST:bull-call:20250205:105/100';

describe('scanner filters', () => {
  it('open filters: every sane vertical of the chain, priced as on paper', () => {
    const rows = scan({});
    const bc = rows.find((r) => r.fingerprint === BEAR_CALL)!;
    // Sell the 100 call (mid 3.00, bid 2.90), buy the 105 call (mid 1.05, ask 1.10).
    expect(bc.isCredit).toBe(true);
    expect(bc.priceMid).toBeCloseTo(1.95, 12);
    expect(bc.priceNatural).toBeCloseTo(1.8, 12);
    expect(bc.maxProfit).toBeCloseTo(195, 9);
    expect(bc.maxLoss).toBeCloseTo(305, 9);
    expect(bc.ror).toBeCloseTo(195 / 305, 12);
    expect(bc.breakeven).toBeCloseTo(101.95, 12);
    const bull = rows.find((r) => r.fingerprint === BULL_CALL)!;
    expect(bull.isCredit).toBe(false);
    expect(bull.priceMid).toBeCloseTo(1.95, 12);
    expect(bull.priceNatural).toBeCloseTo(2.1, 12);
    expect(bull.maxLoss).toBeCloseTo(195, 9);
    // 3 strikes → 3 pairs per right, each a credit and a debit spread: 12 candidates, all sane.
    expect(rows).toHaveLength(12);
  });

  it('kinds', () => {
    expect(new Set(scan({ kinds: ['bull-put'] }).map((r) => r.kind))).toEqual(new Set(['bull-put']));
  });

  it('DTE range (inclusive)', () => {
    expect(fps({ dte: { min: 0, max: 29 } })).toEqual([]);
    expect(fps({ dte: { min: 30, max: 30 } })).toHaveLength(12);
  });

  it('short-leg |delta| band, for calls and puts', () => {
    const rows = scan({ shortDelta: { min: 0.4, max: 0.6 } });
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.shortStrike === 100)).toBe(true);
  });

  it('width in points and as a fraction of spot', () => {
    expect(scan({ width: { min: 6 } }).every((r) => r.width === 10)).toBe(true);
    expect(scan({ width: { min: 6 } })).toHaveLength(4);
    expect(scan({ widthOfSpot: { max: 0.05 } }).every((r) => r.width === 5)).toBe(true);
    expect(scan({ widthOfSpot: { min: 0.05, max: 0.05 } })).toHaveLength(8);
  });

  it('min credit and credit ÷ width at the scoring basis', () => {
    expect(fps({ minCredit: 1.9 })).toContain(BEAR_CALL);
    expect(fps({ minCredit: 1.9 }, { by: 'ror', basis: 'natural' })).not.toContain(BEAR_CALL);
    expect(fps({ minCreditToWidth: 0.38 })).toContain(BEAR_CALL);
    expect(fps({ minCreditToWidth: 0.4 })).not.toContain(BEAR_CALL);
    // Credit bounds leave debit spreads alone.
    expect(fps({ minCredit: 100 })).toContain(BULL_CALL);
  });

  it('max debit and debit ÷ width', () => {
    expect(fps({ maxDebit: 2.0 })).toContain(BULL_CALL);
    expect(fps({ maxDebit: 1.9 })).not.toContain(BULL_CALL);
    expect(fps({ maxDebit: 2.0 }, { by: 'ror', basis: 'natural' })).not.toContain(BULL_CALL);
    expect(fps({ maxDebitToWidth: 0.4 })).toContain(BULL_CALL);
    expect(fps({ maxDebitToWidth: 0.38 })).not.toContain(BULL_CALL);
    expect(fps({ maxDebit: 0 })).toContain(BEAR_CALL);
  });

  it('POP, EV and ROR minimums use the row values', () => {
    const bc = scan({}).find((r) => r.fingerprint === BEAR_CALL)!;
    expect(fps({ minPop: bc.pop! })).toContain(BEAR_CALL);
    expect(fps({ minPop: bc.pop! + 1e-6 })).not.toContain(BEAR_CALL);
    expect(fps({ minEv: bc.ev! })).toContain(BEAR_CALL);
    expect(fps({ minEv: bc.ev! + 1e-6 })).not.toContain(BEAR_CALL);
    expect(fps({ minRor: bc.ror })).toContain(BEAR_CALL);
    expect(fps({ minRor: bc.ror + 1e-6 })).not.toContain(BEAR_CALL);
  });

  it('each leg: bid-ask absolute and as a fraction of mid', () => {
    // Only the 105 call is ≤ 0.10 wide: no right has two such legs.
    expect(fps({ maxLegSpread: 0.1 })).toEqual([]);
    // ≤ 0.20 keeps 3.10 − 2.90 (0.20000000000000018 in binary) and drops only the 105 put (0.40 wide).
    const rows = scan({ maxLegSpread: 0.2 });
    expect(rows.some((r) => r.short.strike === 105 && r.short.right === 'P' || r.long.strike === 105 && r.long.right === 'P')).toBe(false);
    expect(rows).toHaveLength(8);
    // 95 put: 0.20 / 1.10 = 18 %; 105 call: 0.10 / 1.05 = 9.5 %; 100s: 0.20 / 3.00 = 6.7 %; 105 put 0.4 / 6.2 = 6.5 %.
    expect(scan({ maxLegSpreadOfMid: 0.1 }).some((r) => r.short.strike === 95 && r.short.right === 'P' || r.long.strike === 95 && r.long.right === 'P')).toBe(false);
    expect(scan({ maxLegSpreadOfMid: 0.1 })).toHaveLength(8);
  });

  it('each leg: open interest, volume and quote age; unknown values fail a bound', () => {
    const calls = [CALLS[0]!, { ...CALLS[1]!, oi: 5, volume: 0, age: 100_000 }, CALLS[2]!];
    const c = chain(calls);
    for (const f of [{ minOi: 10 }, { minVolume: 1 }, { maxQuoteAgeSec: 60 }]) {
      const rows = scan(f, MID, c);
      expect(rows.some((r) => r.kind.endsWith('call') && (r.shortStrike === 100 || r.longStrike === 100))).toBe(false);
      expect(rows).toHaveLength(8);
    }
    const unknown = chain([CALLS[0]!, { ...CALLS[1]!, oi: NaN }, CALLS[2]!]);
    expect(scan({ minOi: 0 }, MID, unknown)).toHaveLength(8);
    expect(scan({}, MID, unknown)).toHaveLength(12);
  });

  it('exit-cost guard: half of each leg spread versus max loss', () => {
    // Bear call 100/105 at mid: exit cost (0.20 + 0.10) / 2 = 0.15; max loss 3.05 → 4.9 %.
    expect(fps({ maxExitCostOfMaxLoss: 0.05 })).toContain(BEAR_CALL);
    expect(fps({ maxExitCostOfMaxLoss: 0.049 })).not.toContain(BEAR_CALL);
  });

  it('skips unusable quotes: crossed, missing, nothing offered; and non-sane prices', () => {
    // Losing one of three call strikes loses two of three call pairs: 4 of the 12 candidates.
    expect(scan({}, MID, chain([CALLS[0]!, { bid: 3.2, ask: 3.1 }, CALLS[2]!]))).toHaveLength(8);
    expect(scan({}, MID, chain([CALLS[0]!, { bid: NaN, ask: 3.1 }, CALLS[2]!]))).toHaveLength(8);
    expect(scan({}, MID, chain([CALLS[0]!, CALLS[1]!, { bid: 0, ask: 0 }]))).toHaveLength(8);
    // Sell the 100 call at its 1.00 bid, buy the 105 at its 1.10 ask: a natural "credit" of −0.10 is no credit spread;
    // at mid (2.05 − 1.05) it is.
    const wide = chain([CALLS[0]!, { bid: 1.0, ask: 3.1 }, CALLS[2]!]);
    expect(fps({}, { by: 'ror', basis: 'natural' }, wide)).not.toContain(BEAR_CALL);
    expect(fps({}, MID, wide)).toContain(BEAR_CALL);
  });

  it('missing IV: POP and EV unknown, the row is partial, and POP bounds or POP scoring exclude it', () => {
    const c = chain([{ ...CALLS[0]!, iv: NaN }, { ...CALLS[1]!, iv: NaN }, CALLS[2]!]);
    const bull = scan({}, MID, c).find((r) => r.fingerprint === 'TST:bull-call:20250205:100/95')!;
    expect(bull.pop).toBeNull();
    expect(bull.ev).toBeNull();
    expect(bull.completeness).toBe('partial');
    expect(fps({ minPop: 0 }, MID, c)).not.toContain('TST:bull-call:20250205:100/95');
    expect(fps({}, { by: 'pop', basis: 'mid' }, c)).not.toContain('TST:bull-call:20250205:100/95');
    // One leg's IV is enough: POP uses the other leg's.
    expect(scan({}, MID, c).find((r) => r.fingerprint === BULL_CALL)!.pop).not.toBeNull();
  });

  it('completeness: stale when the older leg is older than the limit', () => {
    const c = chain([CALLS[0]!, { ...CALLS[1]!, age: 120_000 }, CALLS[2]!]);
    const rows = engine.scanChain(c, { filters: OPEN, scoring: MID, topPerSymbol: 100, now: NOW, staleAfterMs: 60_000 }).rows;
    expect(rows.find((r) => r.fingerprint === BEAR_CALL)!.completeness).toBe('stale');
    expect(rows.find((r) => r.fingerprint === BEAR_CALL)!.quoteAgeMs).toBe(120_000);
    expect(rows.find((r) => r.fingerprint === 'TST:bear-put:20250205:95/105')!.completeness).toBe('complete');
  });

  it('model edge uses the broker model price when present', () => {
    const c = chain([CALLS[0]!, { ...CALLS[1]!, theo: 3.2 }, { ...CALLS[2]!, theo: 1.0 }]);
    const rows = scan({}, { by: 'edge', basis: 'mid' }, c);
    // Bull call 100/105 bought at 1.95 mid, worth 3.20 − 1.00 = 2.20: edge 0.25 × 100.
    expect(rows.find((r) => r.fingerprint === BULL_CALL)!.edge).toBeCloseTo(25, 9);
    expect(rows.find((r) => r.fingerprint === BEAR_CALL)!.edge).toBeCloseTo(-25, 9);
  });
});
