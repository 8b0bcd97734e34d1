// The Ticket's draft and its instant local preview: core spread math on the draft while the server preview is in flight.
//
// Everything here is pure (time is an argument) so it is unit-tested without a browser. Prices on screen are
// positive amounts labelled cr/db; the BAG sign lives in core/spreads/bag.ts and the execution service.
import type { ScanLeg, ScanRow, SpreadKind } from '../../../core/contract';
import { expiryInstantFor, parseIsoDate, yearsToExpiry, type IsoDate } from '../../../core/market';
import { conservativeMid } from '../../../core/orders/ticket';
import {
  IBKR_FIXED_OPTIONS, TICKS_COMBO, buildVertical, isCreditKind, credit, debit, exitPlanOdds, orderCommission, payoffAtExpiry, payoffBeforeExpiry,
  regTMargin, roundToTick, spreadGreeks, spreadOutcome, stepTicks, toDollars, toMicros, verticalMetrics,
  type Micros, type NetPrice, type SpreadMarket, type VerticalSpread,
} from '../../../core/spreads';


/** Risk-free rate for the local preview (as the scanner: TWS sends none; ±1 % barely moves a vertical). */
export const PREVIEW_RATE = 0.04;

export type Tif = 'DAY' | 'GTC';
export type PricingPolicy = 'fixed' | 'walk';

/** What the trader is editing. Text fields stay text so a half-typed value is never silently rewritten. */
export interface TicketDraft {
  symbol: string;
  /** YYYYMMDD or YYYY-MM-DD as typed. */
  expiry: string;
  kind: SpreadKind;
  shortStrike: string;
  longStrike: string;
  quantity: string;
  /** Net limit per share as a positive amount; its side (cr/db) follows the kind. */
  limit: string;
  tif: Tif;
  policy: PricingPolicy;
  /** Walk: seconds between steps and the cap as % of the mid-to-natural distance. */
  walkStepSec: string;
  walkCapPct: string;
  /** Exits: profit target as % of max profit, stop as % of max loss; empty = none. */
  targetPct: string;
  stopPct: string;
}

/** A leg's live quote as the Ticket shows it. */
export interface LegView {
  side: 'long' | 'short';
  right: 'C' | 'P';
  strike: number;
  bid: number | null;
  ask: number | null;
  mid: number | null;
  iv: number | null;
  quoteTime: number | null;
}

/** Where the draft came from: a scanner row carries leg quotes and IVs; manual legs wait for the server. */
export interface TicketSource {
  row: ScanRow | null;
}

export const EMPTY_DRAFT: TicketDraft = {
  symbol: '',
  expiry: '',
  kind: 'bull-put',
  shortStrike: '',
  longStrike: '',
  quantity: '1',
  limit: '',
  tif: 'DAY',
  policy: 'walk',
  walkStepSec: '10',
  walkCapPct: '50',
  targetPct: '',
  stopPct: '',
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4))));

// The conservative mid is core's: the scanner's what-if prices a row the way a ticket opened from it would.
export { conservativeMid };

/** A draft opened from a scanner row: its legs, quantity 1, limit at the conservative mid. */
export function draftFromRow(row: ScanRow, base: TicketDraft = EMPTY_DRAFT): TicketDraft {
  return {
    ...base,
    symbol: row.symbol,
    expiry: row.expiry,
    kind: row.kind,
    shortStrike: fmt(row.shortStrike),
    longStrike: fmt(row.longStrike),
    quantity: '1',
    limit: conservativeMid(row.priceMid, row.isCredit).toFixed(2),
  };
}

/** Moves the limit n ticks on the combo grid (never below 0). */
export function stepLimit(limit: string, n: number): string {
  const v = Number(limit);
  const start = Number.isFinite(v) && limit.trim() !== '' ? toMicros(v) : (0 as Micros);
  const next = stepTicks(start, n, TICKS_COMBO);
  return toDollars(next < 0 ? (0 as Micros) : next).toFixed(2);
}

export type FieldErrors = Partial<Record<keyof TicketDraft, string>>;

/** The draft parsed: a validated spread and entry, or a sentence per field that is wrong. */
export type ParsedDraft =
  | { ok: true; spread: VerticalSpread; entry: NetPrice; expiry: IsoDate; quantity: number; limit: number; targetPct: number | null; stopPct: number | null; walkStepSec: number; walkCapPct: number }
  | { ok: false; errors: FieldErrors };

const num = (s: string): number | null => (s.trim() === '' ? null : Number.isFinite(Number(s)) ? Number(s) : null);

/** Checks every field and says what is wrong in a sentence on that field. */
export function parseDraft(d: TicketDraft): ParsedDraft {
  const e: FieldErrors = {};
  const symbol = d.symbol.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,11}$/.test(symbol)) e.symbol = 'Enter a symbol such as SPY.';
  const expiry = parseIsoDate(d.expiry);
  if (!expiry) e.expiry = 'Enter the expiry as YYYY-MM-DD.';
  const short = num(d.shortStrike);
  const long = num(d.longStrike);
  if (short === null || !(short > 0)) e.shortStrike = 'Enter the short strike as a positive price.';
  if (long === null || !(long > 0)) e.longStrike = 'Enter the long strike as a positive price.';
  const credit_ = isCreditKind(d.kind);
  if (short !== null && long !== null && short > 0 && long > 0) {
    if (short === long) e.longStrike = 'The two strikes are equal, so the spread has no width.';
    else {
      // Which strike is short follows the kind: bull put and bear put short the lower / higher one, and so on.
      const shortHigher = d.kind === 'bull-put' || d.kind === 'bull-call';
      if (shortHigher !== short > long) {
        e.longStrike = `For a ${d.kind.replace('-', ' ')} spread the long strike must be ${shortHigher ? 'below' : 'above'} the short strike.`;
      }
    }
  }
  const qty = num(d.quantity);
  if (qty === null || !Number.isInteger(qty) || qty < 1) e.quantity = 'Quantity is a whole number of spreads, at least 1.';
  else if (qty > 500) e.quantity = 'Quantity above 500 spreads is not accepted from the Ticket.';
  const limit = num(d.limit);
  if (limit === null || !(limit > 0)) e.limit = `Enter the net ${credit_ ? 'credit' : 'debit'} per share, above 0.`;
  else if (toMicros(limit) % 10_000 !== 0) e.limit = 'The limit must be a whole cent (the combo tick is $0.01).';
  else if (short !== null && long !== null && limit >= Math.abs(short - long)) e.limit = `A ${credit_ ? 'credit' : 'debit'} of ${limit.toFixed(2)} is not below the ${Math.abs(short - long)} strike width.`;
  const target = num(d.targetPct);
  if (d.targetPct.trim() !== '' && (target === null || !(target > 0 && target < 100))) e.targetPct = 'The profit target is a percent of max profit between 0 and 100.';
  const stop = num(d.stopPct);
  if (d.stopPct.trim() !== '' && (stop === null || !(stop > 0 && stop <= 100))) e.stopPct = 'The stop is a percent of max loss between 0 and 100.';
  const step = num(d.walkStepSec);
  const cap = num(d.walkCapPct);
  if (d.policy === 'walk') {
    if (step === null || !(step >= 1 && step <= 600)) e.walkStepSec = 'Step every 1–600 seconds.';
    if (cap === null || !(cap >= 0 && cap <= 100)) e.walkCapPct = 'The cap is 0–100 % of the mid-to-natural distance.';
  }
  if (Object.keys(e).length > 0 || !expiry || short === null || long === null || qty === null || limit === null) return { ok: false, errors: e };
  const lowStrike = toMicros(Math.min(short, long));
  const highStrike = toMicros(Math.max(short, long));
  const built = buildVertical({ kind: d.kind, underlying: symbol, expiry, lowStrike, highStrike, quantity: qty });
  if (!built.ok) return { ok: false, errors: { longStrike: built.error.map((i) => i.message).join(' ') } };
  const entry = credit_ ? credit(toMicros(limit)) : debit(toMicros(limit));
  return { ok: true, spread: built.value, entry, expiry, quantity: qty, limit, targetPct: target, stopPct: stop, walkStepSec: step ?? 10, walkCapPct: cap ?? 50 };
}

/** Net prices of the draft's legs: mid and natural per share, positive amounts labelled by `isCredit`. */
export function netFromLegs(short: Pick<ScanLeg, 'bid' | 'ask'>, long: Pick<ScanLeg, 'bid' | 'ask'>, isCredit: boolean): { mid: number; natural: number } {
  // Opening: a credit is what the short leg brings in less the long leg's cost; natural sells at bid, buys at ask.
  const midShort = (short.bid + short.ask) / 2;
  const midLong = (long.bid + long.ask) / 2;
  const mid = isCredit ? midShort - midLong : midLong - midShort;
  const natural = isCredit ? short.bid - long.ask : long.ask - short.bid;
  return { mid, natural };
}

/** The exact sentence the Ticket sends, e.g. "SELL 1 SPY 20 Dec 560/555 put spread for a 1.20 credit, walking to at most 1.12". */
export function orderSentence(p: Extract<ParsedDraft, { ok: true }>, d: TicketDraft, walkTo: number | null): string {
  const s = p.spread;
  const credit_ = s.isCredit;
  const [y, m, day] = p.expiry.split('-');
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1] ?? m;
  const k = (x: Micros) => fmt(toDollars(x));
  const strikes = `${k(s.shortLeg.strike)}/${k(s.longLeg.strike)}`;
  const kindWord = s.right === 'C' ? 'call' : 'put';
  const verb = credit_ ? 'SELL' : 'BUY';
  const walk = d.policy === 'walk' && walkTo !== null ? `, walking to at most ${walkTo.toFixed(2)}` : '';
  return `${verb} ${p.quantity} ${s.underlying} ${Number(day)} ${month} ${y?.slice(2)} ${strikes} ${kindWord} spread for a ${p.limit.toFixed(2)} ${credit_ ? 'credit' : 'debit'}${walk}, ${d.tif}`;
}

/** The walk's last price: the cap as a fraction of the way from the limit toward natural, on a tick, never past natural. */
export function walkLimit(limit: number, natural: number | null, capPct: number, isCredit: boolean): number | null {
  if (natural === null || !Number.isFinite(natural)) return null;
  const toward = limit + (natural - limit) * (capPct / 100);
  // Conceding means a smaller credit or a larger debit: round so the cap is never exceeded.
  const m = roundToTick(toMicros(Math.max(0, toward)), TICKS_COMBO, isCredit ? 'up' : 'down');
  return toDollars(m);
}

/** The local preview: everything the core model can say about the draft without the broker. */
export interface LocalPreview {
  spread: VerticalSpread;
  entry: NetPrice;
  maxProfit: number;
  maxLoss: number;
  breakeven: number;
  ror: number;
  pop: number | null;
  pMaxProfit: number | null;
  ev: number | null;
  greeks: { delta: number; gamma: number; theta: number; vega: number } | null;
  regT: number;
  buyingPower: number;
  commission: number;
  exit: { pTarget: number; pStop: number; pNeither: number; targetAt: number | null; stopAt: number | null } | null;
  /** Per position, $: x = underlying price, expiry and today (T+0, null without IVs). */
  curve: { x: number[]; expiry: number[]; today: number[] | null };
  spot: number | null;
  T: number;
}

/** Market inputs from the row (spot, per-leg IVs) when the draft is the row's spread; null otherwise. */
export function marketFor(p: Extract<ParsedDraft, { ok: true }>, row: ScanRow | null, nowMs: number): SpreadMarket | null {
  if (!row || row.symbol !== p.spread.underlying) return null;
  const ivLong = row.long.iv, ivShort = row.short.iv;
  if (ivLong === null || ivShort === null || !(row.spot > 0)) return null;
  if (toMicros(row.long.strike) !== p.spread.longLeg.strike || toMicros(row.short.strike) !== p.spread.shortLeg.strike) return null;
  const T = yearsToExpiry(nowMs, expiryInstantFor(p.spread.underlying, p.expiry));
  // European marks for the preview: instant, and within cents of American for the short-dated verticals traded here.
  return { S: row.spot, T, r: PREVIEW_RATE, q: 0, ivLong, ivShort, style: 'european' };
}

/** Computes the local preview of a parsed draft; spot/IV-dependent figures are null without a market. */
export function localPreview(p: Extract<ParsedDraft, { ok: true }>, market: SpreadMarket | null, spotHint: number | null): LocalPreview | null {
  const metrics = verticalMetrics(p.spread, p.entry);
  if (!metrics.ok) return null;
  const v = metrics.value;
  const s = p.spread;
  const margin = regTMargin(s, p.entry);
  const lo = toDollars(s.lowStrike), hi = toDollars(s.highStrike);
  const spot = market?.S ?? spotHint;
  const pad = Math.max((hi - lo) * 1.5, (spot ?? hi) * 0.02);
  const from = Math.max(0.01, Math.min(lo, spot ?? lo) - pad);
  const to = Math.max(hi, spot ?? hi) + pad;
  const xs: number[] = [];
  for (let i = 0; i <= 80; i++) xs.push(Math.round((from + ((to - from) * i) / 80) * 100) / 100);
  for (const k of [lo, hi, toDollars(v.breakeven), ...(spot ? [Math.round(spot * 100) / 100] : [])]) xs.push(k);
  const x = [...new Set(xs)].sort((a, b) => a - b);
  const expiry = Array.from(payoffAtExpiry(s, p.entry, x));
  let out: Pick<LocalPreview, 'pop' | 'pMaxProfit' | 'ev' | 'greeks' | 'exit'> & { today: number[] | null } = { pop: null, pMaxProfit: null, ev: null, greeks: null, exit: null, today: null };
  if (market && market.T > 0) {
    const o = spreadOutcome(s, p.entry, market);
    const g = spreadGreeks(s, market).perPosition;
    const plan = { ...(p.targetPct !== null ? { profitTarget: p.targetPct / 100 } : {}), ...(p.stopPct !== null ? { stopLoss: p.stopPct / 100 } : {}) };
    const odds = p.targetPct !== null || p.stopPct !== null ? exitPlanOdds(s, p.entry, market, plan) : null;
    out = {
      pop: o.pop,
      pMaxProfit: o.pMaxProfit,
      ev: o.evTotal,
      greeks: { delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega },
      exit: odds ? { pTarget: odds.pTarget, pStop: odds.pStop, pNeither: odds.pNeither, targetAt: odds.targetUnderlying, stopAt: odds.stopUnderlying } : null,
      today: Array.from(payoffBeforeExpiry(s, p.entry, x, market)),
    };
  }
  return {
    spread: s,
    entry: p.entry,
    maxProfit: toDollars(v.maxProfitTotal),
    maxLoss: toDollars(v.maxLossTotal),
    breakeven: toDollars(v.breakeven),
    ror: v.returnOnRisk,
    pop: out.pop,
    pMaxProfit: out.pMaxProfit,
    ev: out.ev,
    greeks: out.greeks,
    regT: toDollars(margin.initial),
    buyingPower: toDollars(margin.buyingPowerEffect),
    commission: toDollars(orderCommission(2 * s.quantity, IBKR_FIXED_OPTIONS)),
    exit: out.exit,
    curve: { x, expiry, today: out.today },
    spot,
    T: market?.T ?? 0,
  };
}

/** Legs as the Ticket lists them, from a scanner row (quotes and IVs) or bare strikes for manual legs. */
export function legViews(p: Extract<ParsedDraft, { ok: true }>, row: ScanRow | null): LegView[] {
  const s = p.spread;
  const fromRow = (side: 'long' | 'short'): LegView => {
    const leg = side === 'long' ? s.longLeg : s.shortLeg;
    const q = row && row.symbol === s.underlying ? (side === 'long' ? row.long : row.short) : null;
    const matches = q !== null && toMicros(q.strike) === leg.strike;
    return {
      side,
      right: leg.right,
      strike: toDollars(leg.strike),
      bid: matches ? q.bid : null,
      ask: matches ? q.ask : null,
      mid: matches ? (q.bid + q.ask) / 2 : null,
      iv: matches ? q.iv : null,
      quoteTime: matches ? q.quoteTime : null,
    };
  };
  return [fromRow('short'), fromRow('long')];
}
