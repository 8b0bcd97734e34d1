// THE credit/debit sign convention for IBKR combo (BAG) orders — the one place it is written down.
//
// Our words: a spread is traded "for 0.80 debit" (we pay $0.80 per share) or "for 1.25 credit" (we receive
// $1.25 per share). NetPrice = { amount ≥ 0, kind: 'debit' | 'credit' } carries exactly that.
//
// IBKR's rule (ibkrguides "notes on combination orders", see shared/reference/tws-protocol.md §3 "Combos"):
// the order `action` applies to the whole combo and `lmtPrice` is the NET price per combo unit —
//   BUY a combo you pay for → positive; BUY a combo that pays you (credit) → NEGATIVE;
//   SELL a combo and receive cash → positive; SELL and owe cash → NEGATIVE.
// Equivalently: lmtPrice is the price of the combo as its legs are written; the buyer pays it, the seller
// receives it, and a negative price reverses the cash.
//
// Our convention for writing the BAG:
//   1. comboLegs describe the spread AS WE HOLD IT: the long leg with action BUY, the short leg with action SELL,
//      ratio 1 each (bull put credit = SELL the high put, BUY the low put).
//   2. Opening is always action BUY of that combo; closing is always action SELL of the same combo.
//   3. Therefore lmtPrice = +debit when opening a debit spread, −credit when opening a credit spread;
//      +credit received when closing a debit spread, −debit paid when closing a credit spread.
// Cash per combo unit from our account is then: BUY → −lmtPrice, SELL → +lmtPrice.
//
// Rounding a BAG limit for sending: roundLimitPrice(lmtPrice, action, TICKS_COMBO) — a BUY rounds down
// (pay less / demand more credit), a SELL rounds up (receive more / pay less).
import type { OptionRight } from '../market';
import { type Micros, toDollars, toMicros } from './money';
import type { VerticalSpread } from './vertical';

/** Whether we pay (debit) or receive (credit) the net premium. */
export type NetKind = 'debit' | 'credit';

/** Our way of stating a spread price: a non-negative amount per share and whether it is a debit or a credit. */
export interface NetPrice {
  readonly amount: Micros;
  readonly kind: NetKind;
}

/** Order action of the whole combo. */
export type BagAction = 'BUY' | 'SELL';

/** Opening a new spread or closing the one we hold. */
export type SpreadIntent = 'open' | 'close';

/** What goes on the wire for a BAG order: action and signed net limit price per combo unit (exact). */
export interface BagOrderPrice {
  readonly action: BagAction;
  readonly lmtPrice: Micros;
}

/** A debit of `amount` (≥ 0) per share. */
export function debit(amount: Micros): NetPrice {
  return { amount: (amount < 0 ? -amount : amount) as Micros, kind: 'debit' };
}

/** A credit of `amount` (≥ 0) per share. */
export function credit(amount: Micros): NetPrice {
  return { amount: (amount < 0 ? -amount : amount) as Micros, kind: 'credit' };
}

/** Net cash per share from our account: +amount for a credit, −amount for a debit. */
export function cashOf(net: NetPrice): Micros {
  return (net.kind === 'credit' ? net.amount : 0 - net.amount) as Micros;
}

/** The NetPrice of a signed cash flow per share (+ received → credit, − paid → debit; 0 → a 0 debit). */
export function netFromCash(cash: Micros): NetPrice {
  return cash > 0 ? credit(cash) : debit((0 - cash) as Micros);
}

/** BAG action and signed lmtPrice for opening or closing at a net price (rules 2–3 of the module header). */
export function toBagOrder(intent: SpreadIntent, net: NetPrice): BagOrderPrice {
  if (intent === 'open') {
    // BUY the held combo: pay a debit (positive) or receive a credit (negative).
    return { action: 'BUY', lmtPrice: (net.kind === 'debit' ? net.amount : 0 - net.amount) as Micros };
  }
  // SELL the held combo: receive a credit (positive) or pay a debit (negative).
  return { action: 'SELL', lmtPrice: (net.kind === 'credit' ? net.amount : 0 - net.amount) as Micros };
}

/** Inverse of {@link toBagOrder}: what a BAG order (as we write them) means in our words. */
export function fromBagOrder(order: BagOrderPrice): { intent: SpreadIntent; net: NetPrice } {
  const intent: SpreadIntent = order.action === 'BUY' ? 'open' : 'close';
  return { intent, net: netFromCash(bagCashFlow(order)) };
}

/** Cash per combo unit (per share) from our account for a BAG order at its limit: BUY → −lmt, SELL → +lmt. */
export function bagCashFlow(order: BagOrderPrice): Micros {
  return (order.action === 'BUY' ? 0 - order.lmtPrice : order.lmtPrice + 0) as Micros;
}

/** The float lmtPrice the TWS API expects (dollars), from the exact value. */
export function lmtPriceForWire(order: BagOrderPrice): number {
  return toDollars(order.lmtPrice);
}

/** Reads a float lmtPrice from the wire (e.g. an openOrder echo) back into exact micros. */
export function lmtPriceFromWire(price: number): Micros {
  return toMicros(price);
}

/**
 * A BAG's value as written (per share): the long leg's price minus the short leg's price. Positive for debit
 * spreads, negative for credit ones. This is the number IBKR's combo quotes and lmtPrice are expressed in.
 */
export function bagValue(longLegPrice: Micros, shortLegPrice: Micros): Micros {
  return (longLegPrice - shortLegPrice) as Micros;
}

/** One combo leg as it goes into the BAG contract (rule 1): BUY the long leg, SELL the short leg, ratio 1. */
export interface BagLeg {
  readonly action: BagAction;
  readonly ratio: 1;
  readonly right: OptionRight;
  readonly strike: Micros;
  readonly conId?: number;
}

/** The combo legs of a vertical, long leg first. */
export function bagLegs(spread: VerticalSpread): readonly [BagLeg, BagLeg] {
  const leg = (l: VerticalSpread['longLeg'], action: BagAction): BagLeg =>
    l.conId === undefined ? { action, ratio: 1, right: l.right, strike: l.strike } : { action, ratio: 1, right: l.right, strike: l.strike, conId: l.conId };
  return [leg(spread.longLeg, 'BUY'), leg(spread.shortLeg, 'SELL')];
}
