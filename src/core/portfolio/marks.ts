// Marks for a held spread: what closing it is worth now (mid and natural), its unrealised and total P&L, risk left and distances.
//
// Money is exact micros (core/spreads/money.ts) until the very end. Sign convention, the journal's: cash is from
// the trader's side (received +, paid −). The journal's trade record gives the cash the opening brought
// (`entryCashU`, all opened units) and what is realised so far (`netPnlU`, net of every fee paid); the leg quotes
// give what closing the open units would bring now. Time (`now`) comes in as an argument.
import type { SpreadKind } from '../contract/scanner';
import { daysToExpiry } from '../market/expiry';
import { parseIsoDate } from '../market/dates';
import { isCreditKind } from '../spreads/vertical';
import { MICROS_PER_DOLLAR } from '../spreads/money';

export interface LegMark {
  /** Dollars per share as the broker quotes them; null when that side is missing. */
  bid: number | null;
  ask: number | null;
  /** Epoch ms of the last tick. */
  at: number | null;
  /** The underlying's price TWS used for the option's model, when it sent one. */
  underlying: number | null;
}

export interface HeldSpread {
  kind: SpreadKind;
  expiry: string; // YYYYMMDD
  longStrikeU: number;
  shortStrikeU: number;
  multiplier: number;
  /** From the journal's trade record (micros; units = spread contracts). */
  entryCashU: number;
  quantity: number;
  openQuantity: number;
  netPnlU: number;
  openedAt: number | null;
}

export interface SpreadMark {
  /** Entry per share as cash (credit +, debit −), micros. */
  entryPerShareU: number;
  /** Cash closing one share of the spread would bring now (credit +, debit −), at mid and at the natural price; null without two-sided quotes. */
  closeMidU: number | null;
  closeNaturalU: number | null;
  /** Unrealised P&L of the open units at mid (before closing fees), micros; null without a mark. */
  unrealisedU: number | null;
  /** Realised so far (journal: closed units, less every fee paid), micros. */
  realisedU: number;
  /** Best and worst P&L at expiry of the open units from here (the entry already paid), micros, both positive. */
  maxProfitU: number;
  maxLossU: number;
  /** Unrealised as a fraction of max profit (0.5 = half the max profit earned); null without a mark or max profit. */
  pctOfMaxProfit: number | null;
  breakeven: number;
  dte: number | null;
  daysHeld: number | null;
  underlying: number | null;
  /** (underlying − strike) / underlying for the short strike and the breakeven; null without an underlying price. */
  shortStrikeDistance: number | null;
  breakevenDistance: number | null;
  /** The newest leg tick, epoch ms. */
  quoteAt: number | null;
}

const DAY_MS = 86_400_000;

/** Per-share value of the spread as held (long − short) at expiry, its range: [0, width] for debit kinds, [−width, 0] for credit kinds. */
export function valueRange(kind: SpreadKind, widthU: number): { minU: number; maxU: number } {
  return isCreditKind(kind) ? { minU: -widthU, maxU: 0 } : { minU: 0, maxU: widthU };
}

/** The underlying price at expiry where the spread breaks even, from the entry cash per share (credit +, debit −). */
export function breakevenOf(kind: SpreadKind, longStrikeU: number, shortStrikeU: number, entryPerShareU: number): number {
  const e = entryPerShareU;
  switch (kind) {
    case 'bull-call':
      return (longStrikeU - e) / MICROS_PER_DOLLAR; // long lower call + the debit paid
    case 'bear-call':
      return (shortStrikeU + e) / MICROS_PER_DOLLAR; // short lower call + the credit received
    case 'bear-put':
      return (longStrikeU + e) / MICROS_PER_DOLLAR; // long higher put − the debit paid
    case 'bull-put':
      return (shortStrikeU - e) / MICROS_PER_DOLLAR; // short higher put − the credit received
  }
}

const half = (a: number, b: number) => Math.round((a + b) / 2);
const u = (dollars: number) => Math.round(dollars * MICROS_PER_DOLLAR);

/** The close value per share (micros, cash): selling the long leg and buying back the short one. */
export function closeValue(long: LegMark | null, short: LegMark | null): { midU: number; naturalU: number; farU: number } | null {
  if (!long || !short || long.bid === null || long.ask === null || short.bid === null || short.ask === null) return null;
  const lb = u(long.bid), la = u(long.ask), sb = u(short.bid), sa = u(short.ask);
  return { midU: half(lb, la) - half(sb, sa), naturalU: lb - sa, farU: la - sb };
}

export function markSpread(h: HeldSpread, long: LegMark | null, short: LegMark | null, now: number): SpreadMark {
  const shareUnits = h.quantity * h.multiplier;
  const entryPerShareU = shareUnits > 0 ? Math.round(h.entryCashU / shareUnits) : 0;
  const widthU = Math.abs(h.longStrikeU - h.shortStrikeU);
  const open = h.openQuantity;
  // The entry cash of the units still open: the whole entry once nothing has been closed (no rounding then).
  const openEntryU = h.quantity > 0 ? (open === h.quantity ? h.entryCashU : Math.round((h.entryCashU * open) / h.quantity)) : 0;
  const openShares = open * h.multiplier;
  const range = valueRange(h.kind, widthU);
  const maxProfitU = Math.max(0, openEntryU + range.maxU * openShares);
  const maxLossU = Math.max(0, -(openEntryU + range.minU * openShares));
  const close = closeValue(long, short);
  const unrealisedU = close ? openEntryU + close.midU * openShares : null;
  const date = parseIsoDate(h.expiry);
  const underlying = long?.underlying ?? short?.underlying ?? null;
  const breakeven = breakevenOf(h.kind, h.longStrikeU, h.shortStrikeU, entryPerShareU);
  const dist = (level: number) => (underlying !== null && underlying > 0 ? (underlying - level) / underlying : null);
  const ats = [long?.at, short?.at].filter((x): x is number => typeof x === 'number');
  return {
    entryPerShareU,
    closeMidU: close?.midU ?? null,
    closeNaturalU: close?.naturalU ?? null,
    unrealisedU,
    realisedU: h.netPnlU,
    maxProfitU,
    maxLossU,
    pctOfMaxProfit: unrealisedU !== null && maxProfitU > 0 ? unrealisedU / maxProfitU : null,
    breakeven,
    dte: date === null ? null : daysToExpiry(now, date),
    daysHeld: h.openedAt === null ? null : Math.max(0, Math.floor((now - h.openedAt) / DAY_MS)),
    underlying,
    shortStrikeDistance: dist(h.shortStrikeU / MICROS_PER_DOLLAR),
    breakevenDistance: dist(breakeven),
    quoteAt: ats.length > 0 ? Math.max(...ats) : null,
  };
}

export interface PnlTotals {
  unrealisedU: number;
  realisedU: number;
  /** Spreads without a two-sided quote: their unrealised P&L is missing from the total. */
  unmarked: number;
}

/** Sums the spreads' P&L exactly; a spread without a mark is counted, not guessed. */
export function totalPnl(marks: readonly Pick<SpreadMark, 'unrealisedU' | 'realisedU'>[]): PnlTotals {
  let unrealisedU = 0, realisedU = 0, unmarked = 0;
  for (const m of marks) {
    realisedU += m.realisedU;
    if (m.unrealisedU === null) unmarked++;
    else unrealisedU += m.unrealisedU;
  }
  return { unrealisedU, realisedU, unmarked };
}
