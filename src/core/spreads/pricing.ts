// Spread prices from leg quotes: natural, mid and mark, in BAG terms and as our debit/credit NetPrice.
//
// All values are per share, exact micros, in the BAG convention of bag.ts (the combo as held: long − short;
// positive = debit structure, negative = credit structure):
//   bid  = long.bid − short.ask   what the held spread sells for now  (natural price to CLOSE)
//   ask  = long.ask − short.bid   what it costs to put on now         (natural price to OPEN)
//   mid  = (bid + ask) / 2        needs both sides of both legs
//   mark = long.mark − short.mark with a leg's mark = its mid when two-sided, else last, else the one side shown
import { type NetPrice, netFromCash } from './bag';
import { type Micros, midMicros } from './money';

/** Quote of one option (per share). Missing or absent sides are null. */
export interface LegQuote {
  readonly bid: Micros | null;
  readonly ask: Micros | null;
  readonly last?: Micros | null;
}

/** Combo prices in BAG terms (per share, signed). null when the quotes do not allow the price. */
export interface SpreadQuote {
  readonly bid: Micros | null;
  readonly ask: Micros | null;
  readonly mid: Micros | null;
  readonly mark: Micros | null;
}

/** A leg's usable sides: a crossed quote (bid > ask) or non-positive ask is treated as missing. */
function sides(q: LegQuote): { bid: Micros | null; ask: Micros | null } {
  const bid = q.bid !== null && q.bid >= 0 ? q.bid : null;
  const ask = q.ask !== null && q.ask > 0 ? q.ask : null;
  if (bid !== null && ask !== null && bid > ask) return { bid: null, ask: null };
  return { bid, ask };
}

/** Mark of one leg: mid of a two-sided quote, else last, else whichever side exists; null if nothing. */
export function legMark(q: LegQuote): Micros | null {
  const { bid, ask } = sides(q);
  if (bid !== null && ask !== null) return midMicros(bid, ask);
  if (q.last !== undefined && q.last !== null && q.last >= 0) return q.last;
  return ask ?? bid;
}

/** Natural, mid and mark prices of the held combo (long − short) from its legs' quotes. */
export function spreadQuote(longQuote: LegQuote, shortQuote: LegQuote): SpreadQuote {
  const l = sides(longQuote);
  const s = sides(shortQuote);
  const bid = l.bid !== null && s.ask !== null ? ((l.bid - s.ask) as Micros) : null;
  const ask = l.ask !== null && s.bid !== null ? ((l.ask - s.bid) as Micros) : null;
  const mid = bid !== null && ask !== null ? midMicros(bid, ask) : null;
  const lm = legMark(longQuote);
  const sm = legMark(shortQuote);
  const mark = lm !== null && sm !== null ? ((lm - sm) as Micros) : null;
  return { bid, ask, mid, mark };
}

/** Our price to OPEN at a BAG price (we buy the combo): +x → x debit, −x → x credit. */
export function openNet(bagPrice: Micros): NetPrice {
  return netFromCash((0 - bagPrice) as Micros);
}

/** Our price to CLOSE at a BAG price (we sell the combo): +x → x credit, −x → x debit. */
export function closeNet(bagPrice: Micros): NetPrice {
  return netFromCash((bagPrice + 0) as Micros);
}

/** The natural (cross-the-spread) prices to open and to close, as NetPrice; null where a side is missing. */
export function naturalPrices(q: SpreadQuote): { open: NetPrice | null; close: NetPrice | null } {
  return { open: q.ask === null ? null : openNet(q.ask), close: q.bid === null ? null : closeNet(q.bid) };
}
