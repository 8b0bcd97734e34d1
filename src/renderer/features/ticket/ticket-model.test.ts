import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ScanRow } from '../../../core/contract';
import { EMPTY_DRAFT, conservativeMid, draftFromRow, legViews, localPreview, marketFor, netFromLegs, orderSentence, parseDraft, stepLimit, walkLimit, type TicketDraft } from './ticket-model';

const NOW = Date.UTC(2026, 10, 20, 15, 0); // a Friday 10:00 New York

function row(over: Partial<ScanRow> = {}): ScanRow {
  return {
    fingerprint: 'SPY:bull-put:20261218:560/555',
    symbol: 'SPY', kind: 'bull-put', isCredit: true, expiry: '20261218', dte: 28,
    shortStrike: 560, longStrike: 555, width: 5, multiplier: 100, spot: 580, basis: 'mid',
    priceMid: 1.205, priceNatural: 1.1, maxProfit: 120.5, maxLoss: 379.5, breakeven: 558.795, ror: 0.31,
    pop: 0.8, ev: 3, evPerRisk: 0.01, edge: null, score: 0.31, shortDelta: -0.2, shortIv: 0.2,
    worstLegSpreadOfMid: 0.02, minOi: null, minVolume: null, quoteAgeMs: 1000, completeness: 'complete',
    short: { conId: 1, strike: 560, right: 'P', side: -1, bid: 3.6, ask: 3.7, iv: 0.2, delta: -0.2, openInterest: null, volume: null, quoteTime: NOW - 1000 },
    long: { conId: 2, strike: 555, right: 'P', side: 1, bid: 2.4, ask: 2.5, iv: 0.21, delta: -0.15, openInterest: null, volume: null, quoteTime: NOW - 2000 },
    ...over,
  };
}

describe('Ticket model', () => {
  it('opens a scanner row with its legs and a limit at the mid rounded to a tick on the conservative side', () => {
    const d = draftFromRow(row());
    expect(d).toMatchObject({ symbol: 'SPY', expiry: '20261218', kind: 'bull-put', shortStrike: '560', longStrike: '555', quantity: '1', limit: '1.21' });
    // A debit rounds down (pay less).
    expect(conservativeMid(0.805, false)).toBe(0.8);
    expect(conservativeMid(0.805, true)).toBe(0.81);
  });

  it('steps the limit by whole cents and never below zero', () => {
    expect(stepLimit('1.20', 1)).toBe('1.21');
    expect(stepLimit('1.20', -3)).toBe('1.17');
    expect(stepLimit('0.01', -5)).toBe('0.00');
    expect(stepLimit('1.205', 1)).toBe('1.21');
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: -20, max: 20 }), (c, n) => {
      const next = stepLimit((c / 100).toFixed(2), n);
      expect(Math.round(Number(next) * 100)).toBe(Math.max(0, c + n));
    }));
  });

  it('names every wrong field in a sentence', () => {
    const bad: TicketDraft = { ...EMPTY_DRAFT, symbol: '1X', expiry: '2026-13-01', shortStrike: '555', longStrike: '560', quantity: '0', limit: '1.234', targetPct: '120' };
    const r = parseDraft(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.symbol).toMatch(/symbol/);
    expect(r.errors.expiry).toMatch(/YYYY-MM-DD/);
    expect(r.errors.longStrike).toMatch(/long strike must be below/);
    expect(r.errors.quantity).toMatch(/whole number/);
    expect(r.errors.limit).toMatch(/whole cent/);
    expect(r.errors.targetPct).toMatch(/percent of max profit/);
    const wide = parseDraft({ ...draftFromRow(row()), limit: '5.00' });
    expect(!wide.ok && wide.errors.limit).toMatch(/not below the 5 strike width/);
  });

  it('previews a credit spread from core: max profit/loss, breakeven, margin, commission, odds and curves', () => {
    const p = parseDraft({ ...draftFromRow(row()), targetPct: '50', stopPct: '50' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const m = marketFor(p, row(), NOW);
    expect(m).not.toBeNull();
    const v = localPreview(p, m, null);
    expect(v).not.toBeNull();
    if (!v) return;
    expect(v.maxProfit).toBeCloseTo(121, 9);
    expect(v.maxLoss).toBeCloseTo(379, 9);
    expect(v.breakeven).toBeCloseTo(558.79, 9);
    expect(v.regT).toBe(500);
    expect(v.buyingPower).toBeCloseTo(379, 9);
    expect(v.commission).toBeCloseTo(1.3, 9);
    expect(v.pop).toBeGreaterThan(0.5);
    expect(v.greeks?.delta).toBeGreaterThan(0); // a bull put is long delta
    expect(v.exit?.pTarget).toBeGreaterThan(0);
    expect(v.exit!.pTarget + v.exit!.pStop + v.exit!.pNeither).toBeCloseTo(1, 9);
    expect(v.curve.x).toContain(555);
    expect(v.curve.x).toContain(560);
    expect(v.curve.today).not.toBeNull();
    // At expiry, far above the strikes the position keeps the whole credit; far below it loses the max.
    expect(v.curve.expiry.at(-1)).toBeCloseTo(121, 6);
    expect(v.curve.expiry[0]).toBeCloseTo(-379, 6);
  });

  it('lists legs with live quotes only when they are the row’s legs', () => {
    const p = parseDraft(draftFromRow(row()));
    if (!p.ok) throw new Error('draft');
    const [short, long] = legViews(p, row());
    expect(short).toMatchObject({ side: 'short', strike: 560, bid: 3.6, ask: 3.7 });
    expect(short?.mid).toBeCloseTo(3.65, 9);
    expect(long).toMatchObject({ side: 'long', strike: 555, bid: 2.4 });
    const manual = parseDraft({ ...draftFromRow(row()), shortStrike: '550', longStrike: '545' });
    if (!manual.ok) throw new Error('manual');
    expect(legViews(manual, row())[0]?.bid).toBeNull();
    expect(marketFor(manual, row(), NOW)).toBeNull();
  });

  it('nets leg quotes into mid and natural for either side', () => {
    expect(netFromLegs({ bid: 3.6, ask: 3.7 }, { bid: 2.4, ask: 2.5 }, true)).toEqual({ mid: expect.closeTo(1.2, 9) as number, natural: expect.closeTo(1.1, 9) as number });
    expect(netFromLegs({ bid: 2.4, ask: 2.5 }, { bid: 3.6, ask: 3.7 }, false).natural).toBeCloseTo(1.3, 9);
  });

  it('writes the exact order sentence, walking to a capped tick that never passes natural', () => {
    const p = parseDraft({ ...draftFromRow(row()), limit: '1.20' });
    if (!p.ok) throw new Error('draft');
    const to = walkLimit(1.2, 1.1, 25, true);
    expect(to).toBe(1.18);
    expect(orderSentence(p, { ...draftFromRow(row()), policy: 'walk' }, to)).toBe('SELL 1 SPY 18 Dec 26 560/555 put spread for a 1.20 credit, walking to at most 1.18, DAY');
    expect(orderSentence(p, { ...draftFromRow(row()), policy: 'fixed' }, to)).toBe('SELL 1 SPY 18 Dec 26 560/555 put spread for a 1.20 credit, DAY');
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }), fc.boolean(), (limitC, gapC, cap, isCredit) => {
      const limit = limitC / 100;
      const natural = isCredit ? Math.max(0, limit - gapC / 100) : limit + gapC / 100;
      const w = walkLimit(limit, natural, cap, isCredit) as number;
      expect(Math.round(w * 100) / 100).toBe(w);
      if (isCredit) expect(w).toBeGreaterThanOrEqual(natural - 1e-9);
      else expect(w).toBeLessThanOrEqual(natural + 1e-9);
    }));
  });
});
