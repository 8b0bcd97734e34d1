// Trade records: one spread's fills folded into entry, exit, P&L, risk and slippage, all in exact micro-units.
//
// Sign convention, written once: cash is from the trader's side — money received is positive
// (selling, a credit), money paid is negative (buying, a debit). IBKR's combo limit price is
// converted with `comboCash` and nowhere else.
import { daysToExpiry, nyParts, parseIsoDate } from '../market';
import { MICROS_PER_DOLLAR, fillCashMicros } from './units';
import type { SpreadKind } from '../contract/scanner';
import { isCreditKind } from '../spreads/vertical';

/** Days to expiry at an instant for the journal's YYYYMMDD expiry (null if the stored text is not a date). */
function dteOf(at: number, expiry: string): number | null {
  const date = parseIsoDate(expiry);
  return date === null ? null : daysToExpiry(at, date);
}

/** IBKR combo price (BUY pays a positive price, SELL receives it) as trader cash per unit. */
export function comboCash(action: 'BUY' | 'SELL', priceU: number): number {
  return action === 'BUY' ? -priceU : priceU;
}

export type TradeStatus = 'pending' | 'open' | 'closed' | 'broken';

/** The spread as the journal recorded it, with what the opening ticket knew at entry. */
export interface SpreadRow {
  id: number;
  underlying: string;
  kind: SpreadKind;
  right: 'C' | 'P';
  expiry: string; // YYYYMMDD
  longStrikeU: number;
  shortStrikeU: number;
  multiplier: number;
  createdAt: number;
  openTicket: {
    id: string;
    action: 'BUY' | 'SELL';
    quantity: number;
    midU: number | null; // IBKR combo convention, per unit
    popAtEntry: number | null;
    maxLossU: number | null; // money per spread unit, positive
    priceSteps: number;
  } | null;
  note: string;
  tags: string[];
}

/** One execution linked to a spread. `leg` bag = the BAG summary line, which duplicates its legs. */
export interface SpreadFillRow {
  spreadId: number;
  execId: string;
  role: 'open' | 'close';
  leg: 'long' | 'short' | 'bag' | 'other';
  side: 'BOT' | 'SLD';
  sharesU: number;
  priceU: number;
  multiplier: number;
  at: number;
  commissionU: number;
  /** The order the fill belongs to (permId, else clientId:orderId); a BAG line's fee is weighed against its own order's legs. */
  order?: string;
}

export interface TradeRecord {
  id: number;
  underlying: string;
  kind: SpreadKind;
  expiry: string;
  multiplier: number;
  status: TradeStatus;
  openedAt: number | null;
  closedAt: number | null;
  /** Spread units opened (contracts per leg). */
  quantity: number;
  openQuantity: number;
  /** Spread units closed so far (the exit price is per closed unit, not per opened unit). */
  closedQuantity: number;
  entryCashU: number;
  exitCashU: number;
  grossPnlU: number;
  commissionsU: number;
  /** Net of commissions. For open trades: realised so far (closed units, minus all commissions paid). */
  netPnlU: number;
  maxRiskU: number | null;
  returnOnRisk: number | null;
  holdingMs: number | null;
  /** Entry cash per unit vs the mid at submission, in money: positive = worse than mid. */
  slippageU: number | null;
  priceSteps: number;
  popAtEntry: number | null;
  dteAtEntry: number | null;
  /** New York weekday of entry, 0 = Sunday. */
  weekday: number | null;
  note: string;
  tags: string[];
}

export function buildTrade(spread: SpreadRow, fills: readonly SpreadFillRow[]): TradeRecord {
  let entryCashU = 0;
  // Commissions per order: the BAG line's fee repeats its legs' when they carry one.
  const fees = new Map<string, { leg: number; bag: number }>();
  let openedLongU = 0;
  let openedShortU = 0;
  let openedAt: number | null = null;
  let lastAt: number | null = null;
  // Per leg: units closed and the cash they brought, so a close beyond what was opened (an
  // over-close) books only the share of its cash that closes this spread; the rest is another position.
  const closing = { long: { u: 0, cash: 0, opened: 0 }, short: { u: 0, cash: 0, opened: 0 }, other: { u: 0, cash: 0, opened: 0 } };
  for (const f of fills) {
    const key = f.order ?? '';
    const fee = fees.get(key) ?? { leg: 0, bag: 0 };
    fees.set(key, fee);
    if (f.leg === 'bag') {
      fee.bag += f.commissionU;
      continue;
    }
    fee.leg += f.commissionU;
    const cash = (f.side === 'SLD' ? 1 : -1) * fillCashMicros(f.priceU, f.sharesU, f.multiplier);
    if (f.role === 'open') {
      entryCashU += cash;
      openedAt = openedAt === null ? f.at : Math.min(openedAt, f.at);
      if (f.leg === 'long' && f.side === 'BOT') openedLongU += f.sharesU;
      if (f.leg === 'short' && f.side === 'SLD') openedShortU += f.sharesU;
    } else {
      const c = closing[f.leg];
      c.u += f.sharesU;
      c.cash += cash;
    }
    lastAt = lastAt === null ? f.at : Math.max(lastAt, f.at);
  }
  let commissionsU = 0;
  for (const fee of fees.values()) commissionsU += fee.leg !== 0 ? fee.leg : fee.bag;
  closing.long.opened = openedLongU;
  closing.short.opened = openedShortU;
  let exitCashU = 0;
  for (const c of Object.values(closing)) {
    if (c.u === 0) continue;
    exitCashU += c.opened > 0 && c.u > c.opened ? Math.round((c.cash * c.opened) / c.u) : c.cash;
  }
  const closedLongU = Math.min(closing.long.u, openedLongU);
  const closedShortU = Math.min(closing.short.u, openedShortU);
  const longNetU = openedLongU - closedLongU;
  const shortNetU = openedShortU - closedShortU;
  const legFills = fills.some((f) => f.leg !== 'bag');
  const status: TradeStatus = !legFills ? 'pending' : longNetU === 0 && shortNetU === 0 ? 'closed' : longNetU !== shortNetU ? 'broken' : 'open';
  const quantity = Math.max(openedLongU, openedShortU) / MICROS_PER_DOLLAR;
  const openQuantity = Math.max(longNetU, shortNetU) / MICROS_PER_DOLLAR;
  // Realised so far: the exits plus the share of the entry they close out (all of it once closed).
  const openedU = Math.max(openedLongU, openedShortU);
  const closedU = openedU - Math.max(longNetU, shortNetU);
  const entryClosedU = status === 'closed' || openedU === 0 ? entryCashU : Math.round((entryCashU * Math.max(0, closedU)) / openedU);
  const grossPnlU = entryClosedU + exitCashU;
  const netPnlU = grossPnlU - commissionsU;
  const closedAt = status === 'closed' ? lastAt : null;
  const t = spread.openTicket;

  let maxRiskU: number | null = null;
  if (quantity > 0) {
    if (t?.maxLossU != null) maxRiskU = t.maxLossU * quantity;
    else {
      const widthCashU = (Math.abs(spread.longStrikeU - spread.shortStrikeU) * spread.multiplier * quantity);
      maxRiskU = isCreditKind(spread.kind) ? widthCashU - entryCashU : -entryCashU;
    }
  }
  const slippageU = t?.midU != null && quantity > 0 ? comboCash(t.action, t.midU) * spread.multiplier * quantity - entryCashU : null;
  const entryAt = openedAt ?? spread.createdAt;
  return {
    id: spread.id,
    underlying: spread.underlying,
    kind: spread.kind,
    expiry: spread.expiry,
    multiplier: spread.multiplier,
    status,
    openedAt,
    closedAt,
    quantity,
    openQuantity,
    closedQuantity: closedU / MICROS_PER_DOLLAR,
    entryCashU,
    exitCashU,
    grossPnlU,
    commissionsU,
    netPnlU,
    maxRiskU,
    returnOnRisk: status === 'closed' && maxRiskU !== null && maxRiskU > 0 ? netPnlU / maxRiskU : null,
    holdingMs: closedAt !== null && openedAt !== null ? closedAt - openedAt : null,
    slippageU,
    priceSteps: t?.priceSteps ?? 0,
    popAtEntry: t?.popAtEntry ?? null,
    dteAtEntry: openedAt !== null ? dteOf(entryAt, spread.expiry) : null,
    weekday: openedAt !== null ? nyParts(openedAt).weekday : null,
    note: spread.note,
    tags: spread.tags,
  };
}

/** Builds every trade; fills may come in any order and for any spread. */
export function buildTrades(spreads: readonly SpreadRow[], fills: readonly SpreadFillRow[]): TradeRecord[] {
  const bySpread = new Map<number, SpreadFillRow[]>();
  for (const f of fills) {
    const list = bySpread.get(f.spreadId);
    if (list) list.push(f);
    else bySpread.set(f.spreadId, [f]);
  }
  return spreads.map((s) => buildTrade(s, bySpread.get(s.id) ?? []));
}

