// Scanner formats: labelled net prices, true minus signs, payoff curve extremes equal max profit and max loss, q's source.
import { describe, expect, it } from 'vitest';
import type { ScanRow } from '../../../core/contract';
import { NOT_VERIFIED, STALE_AFTER_MS, ageLabel, divLabel, divYieldText, etaLabel, greek, liveState, money, netLabel, openInterest, payoffAt, payoffCurve, percent, signedMoney, whatIfCellTip, whatIfLine, whatIfTip } from './format';

const leg = (strike: number, side: 1 | -1) => ({ conId: 1, strike, right: 'P' as const, side, bid: 1, ask: 1.1, iv: 0.2, delta: -0.2, openInterest: null, volume: 10, quoteTime: 0 });
const row: ScanRow = {
  fingerprint: 'SPY:bull-put:20261204:580/575', symbol: 'SPY', kind: 'bull-put', isCredit: true, expiry: '20261204', dte: 11,
  shortStrike: 580, longStrike: 575, width: 5, multiplier: 100, spot: 590, basis: 'mid', priceMid: 1.25, priceNatural: 1.1,
  maxProfit: 125, maxLoss: 375, breakeven: 578.75, ror: 1 / 3, pop: 0.7, ev: -3, evPerRisk: -0.008, edge: 1, score: 1 / 3,
  shortDelta: -0.22, shortIv: 0.18, worstLegSpreadOfMid: 0.09, minOi: null, minVolume: 10, quoteAgeMs: 2000, completeness: 'complete',
  short: leg(580, -1), long: leg(575, 1),
};

describe('scanner formats', () => {
  it('labels credits and debits, never a bare signed price', () => {
    expect(netLabel(1.25, true)).toBe('1.25 cr');
    expect(netLabel(0.8, false)).toBe('0.80 db');
    expect(netLabel(-0.05, true)).toBe('0.05 db');
    expect(netLabel(NaN, true)).toBe('—');
  });

  it('money, signs, percents, greeks, ages', () => {
    expect(money(1234.5)).toBe('1,234.50');
    expect(signedMoney(1234.5)).toBe('+1,234.50');
    expect(signedMoney(-87)).toBe('\u221287.00');
    expect(percent(0.7123)).toBe('71.2%');
    expect(greek(-0.2234)).toBe('\u22120.22');
    expect(ageLabel(61_000)).toBe('1m');
    expect(etaLabel(75_000)).toBe('ETA 1m 15s');
    expect(etaLabel(0)).toBe('done');
  });

  it('the payoff curve reaches max profit above the short strike and max loss below the long one', () => {
    expect(payoffAt(row, 600)).toBeCloseTo(125, 9);
    expect(payoffAt(row, 560)).toBeCloseTo(-375, 9);
    expect(payoffAt(row, 578.75)).toBeCloseTo(0, 9);
    const curve = payoffCurve(row);
    expect(curve.map((p) => p.x)).toEqual([...curve.map((p) => p.x)].sort((a, b) => a - b));
    expect(new Set(curve.map((p) => p.x)).size).toBe(curve.length);
    expect(Math.max(...curve.map((p) => p.y))).toBeCloseTo(row.maxProfit, 9);
    expect(Math.min(...curve.map((p) => p.y))).toBeCloseTo(-row.maxLoss, 9);
  });

  it('a row ages on screen after its last frame: live age from the older leg, stale past the limit, partial kept', () => {
    const r = { ...row, short: { ...row.short, quoteTime: 10_000 }, long: { ...row.long, quoteTime: 4_000 } };
    expect(liveState(r, 5_000)).toEqual({ ageMs: 1_000, state: 'complete' });
    expect(liveState(r, 4_000 + STALE_AFTER_MS + 1)).toEqual({ ageMs: STALE_AFTER_MS + 1, state: 'stale' });
    expect(liveState({ ...r, completeness: 'partial' }, 5_000).state).toBe('partial');
    expect(liveState({ ...r, completeness: 'stale' }, 5_000).state).toBe('stale');
    expect(liveState({ ...r, long: { ...r.long, quoteTime: null } }, 5_000)).toEqual({ ageMs: null, state: 'complete' });
  });
});

describe('dividend yield labels', () => {
  it('names the source, and says what to do when there is none', () => {
    expect(divLabel(0.0121, 'ibkr')).toBe('q 1.21% (IBKR)');
    expect(divLabel(0.006, 'settings')).toBe('q 0.60% (settings)');
    expect(divLabel(0.004, 'request')).toBe('q 0.40% (request)');
    expect(divLabel(0, 'none')).toBe('q 0 — no dividend data; set one in More → Div yield %');
    expect(divLabel(undefined, undefined)).toBeNull();
    expect(divYieldText(0, 'none')).toBe('0 (no data)');
    expect(openInterest(12345)).toBe('12,345');
    expect(openInterest(null)).toBe('—');
  });
});

describe('what-if cells: a number only from IBKR, otherwise a sentence why the cell is blank', () => {
  const asked = { ...row, whatIf: { initMarginChange: 500, maintMarginChange: 450, commission: null, at: Date.UTC(2026, 0, 6, 15, 0, 0) } };
  it('verified rows: the numbers; a number IBKR did not send is said to be missing', () => {
    expect(whatIfLine(asked)).toBe('What-if: margin 500.00 · maint. 450.00 · comm. —');
    expect(whatIfTip(asked)).toMatch(/initial margin change 500\.00, maintenance margin change 450\.00, commission not sent\.$/);
    expect(whatIfCellTip(asked, 500)).toBe(whatIfTip(asked));
    expect(whatIfCellTip(asked, null)).toBe('IBKR’s what-if did not send this number.');
  });
  it('a row asked but without an answer carries the service’s reason; one never asked says so', () => {
    const refused = { ...row, whatIf: null, whatIfUnavailable: 'No what-if: IBKR did not answer within 5 s.' };
    expect(whatIfCellTip(refused, null)).toBe('No what-if: IBKR did not answer within 5 s.');
    expect(whatIfTip(refused)).toBe('No what-if: IBKR did not answer within 5 s.');
    expect(whatIfLine(refused)).toBe('What-if: none (hover for why)');
    expect(whatIfCellTip(row, null)).toBe(NOT_VERIFIED);
    expect(whatIfLine(row)).toBe('What-if: not verified');
  });
});
