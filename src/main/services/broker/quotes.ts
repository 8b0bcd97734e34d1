// Quote assembly: TWS tick messages (prices, sizes, generic ticks, option computations) merged into one Quote.
//
// Every tick is validated here: non-finite numbers, TWS's "unset" sentinels and -1 "no price" become null,
// unknown tick types are ignored. Delayed tick ids (66–76, 80–83) fill the same fields and mark the quote delayed.
import type { Dividends, OptionGreeks, Quote } from './types';

export function emptyQuote(conId: number): Quote {
  return {
    conId,
    bid: null,
    ask: null,
    last: null,
    bidSize: null,
    askSize: null,
    lastSize: null,
    high: null,
    low: null,
    close: null,
    open: null,
    volume: null,
    model: null,
    bidGreeks: null,
    askGreeks: null,
    callVolume: null,
    putVolume: null,
    callOpenInterest: null,
    putOpenInterest: null,
    impliedVol: null,
    histVol: null,
    dividends: null,
    marketDataType: 1,
    delayed: false,
    updatedAt: null,
  };
}

/** A usable number: finite and below TWS's unset sentinels (Double.MAX_VALUE, Integer.MAX_VALUE). */
export function num(v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (Math.abs(v) >= 1e300 || v === 2_147_483_647) return null;
  return v;
}

const PRICE_FIELDS: Record<number, keyof Quote> = { 1: 'bid', 2: 'ask', 4: 'last', 6: 'high', 7: 'low', 9: 'close', 14: 'open', 66: 'bid', 67: 'ask', 68: 'last', 72: 'high', 73: 'low', 75: 'close', 76: 'open' };
const SIZE_FIELDS: Record<number, keyof Quote> = { 0: 'bidSize', 3: 'askSize', 5: 'lastSize', 8: 'volume', 69: 'bidSize', 70: 'askSize', 71: 'lastSize', 74: 'volume', 27: 'callOpenInterest', 28: 'putOpenInterest', 29: 'callVolume', 30: 'putVolume' };
const GENERIC_FIELDS: Record<number, keyof Quote> = { 23: 'histVol', 24: 'impliedVol' };
const DELAYED_TICKS = new Set([66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 80, 81, 82, 83]);

function setField(q: Quote, field: keyof Quote, value: number | null): void {
  (q as unknown as Record<string, unknown>)[field] = value;
}

/** tickPrice. Returns whether the quote changed. A price of -1 means "none" at TWS. */
export function applyPrice(q: Quote, tickType: unknown, price: unknown, now: number): boolean {
  if (typeof tickType !== 'number') return false;
  const field = PRICE_FIELDS[tickType];
  if (!field) return false;
  const v = num(price);
  setField(q, field, v === null || v === -1 ? null : v);
  return touched(q, tickType, now);
}

/** tickSize (also open interest and option volume on an underlying). */
export function applySize(q: Quote, tickType: unknown, size: unknown, now: number): boolean {
  if (typeof tickType !== 'number') return false;
  const field = SIZE_FIELDS[tickType];
  if (!field) return false;
  const v = num(size);
  setField(q, field, v === null || v < 0 ? null : v);
  return touched(q, tickType, now);
}

/** tickGeneric (historical and implied volatility of an underlying). */
export function applyGeneric(q: Quote, tickType: unknown, value: unknown, now: number): boolean {
  if (typeof tickType !== 'number') return false;
  const field = GENERIC_FIELDS[tickType];
  if (!field) return false;
  const v = num(value);
  setField(q, field, v === null || v < 0 ? null : v);
  return touched(q, tickType, now);
}

/** Tick 59 (IB Dividends, from generic tick 456). */
const DIVIDENDS_TICK = 59;

/**
 * Reads TWS's dividends string "past12,next12,nextDate,nextAmount" (e.g. "0.83,0.92,20130219,0.23"): amounts per
 * share, the date as YYYYMMDD. An empty or unreadable field is null; a string with nothing readable is null.
 */
export function parseDividends(value: unknown): Dividends | null {
  if (typeof value !== 'string') return null;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 4) return null;
  const amount = (p: string | undefined): number | null => {
    if (!p || !/^-?\d*\.?\d+(e[-+]?\d+)?$/i.test(p)) return null;
    const n = num(Number(p));
    return n === null || n < 0 ? null : n;
  };
  const date = parts[2] && /^\d{8}$/.test(parts[2]) ? parts[2] : null;
  const d: Dividends = { past12: amount(parts[0]), next12: amount(parts[1]), nextDate: date, nextAmount: amount(parts[3]) };
  return d.past12 === null && d.next12 === null && d.nextDate === null && d.nextAmount === null ? null : d;
}

/** tickString: only the dividends (59) are kept; an unreadable string leaves the quote as it was. */
export function applyString(q: Quote, tickType: unknown, value: unknown, now: number): boolean {
  if (tickType !== DIVIDENDS_TICK) return false;
  const d = parseDividends(value);
  if (!d) return false;
  q.dividends = d;
  return touched(q, tickType, now);
}

/** tickOptionComputation: 10/80 bid, 11/81 ask, 13/83 model (12/82 last is ignored). */
export function applyOptionComputation(q: Quote, tickType: unknown, g: Partial<Record<keyof OptionGreeks, unknown>>, now: number): boolean {
  if (typeof tickType !== 'number') return false;
  const greeks: OptionGreeks = {
    impliedVol: positive(g.impliedVol),
    delta: bounded(g.delta, 1),
    gamma: notSentinel(g.gamma),
    vega: notSentinel(g.vega),
    theta: notSentinel(g.theta),
    optPrice: positive(g.optPrice),
    pvDividend: positive(g.pvDividend),
    undPrice: positive(g.undPrice),
  };
  if (tickType === 13 || tickType === 83) q.model = greeks;
  else if (tickType === 10 || tickType === 80) q.bidGreeks = greeks;
  else if (tickType === 11 || tickType === 81) q.askGreeks = greeks;
  else return false;
  return touched(q, tickType, now);
}

/** marketDataType (58): 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
export function applyMarketDataType(q: Quote, type: unknown): boolean {
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) return false;
  q.marketDataType = type;
  q.delayed = type === 3 || type === 4;
  return true;
}

function touched(q: Quote, tickType: number, now: number): boolean {
  if (DELAYED_TICKS.has(tickType)) q.delayed = true;
  q.updatedAt = now;
  return true;
}

function positive(v: unknown): number | null {
  const n = num(v);
  return n === null || n < 0 ? null : n;
}

function bounded(v: unknown, limit: number): number | null {
  const n = num(v);
  return n === null || Math.abs(n) > limit ? null : n;
}

function notSentinel(v: unknown): number | null {
  const n = num(v);
  return n === null || n === -2 ? null : n;
}
