// The ticket as a BAG order: legs as held, the combo action and signed limit for open/close/roll, and the sentence sent.
//
// The sign rule lives in core/spreads/bag.ts (toBagOrder); this module only decides which combo is written and
// checks that the trader's labelled price (credit/debit) fits the trade, so a wrong sign is refused, not sent.
import type { SpreadKind } from '../contract/scanner';
import { fromBagOrder, isOnTick, roundToTick, TICKS_COMBO, toBagOrder, toDollars, toMicros, type BagAction, type Micros, type NetPrice, type TickTable } from '../spreads';

export interface SpreadLegs {
  readonly symbol: string;
  readonly expiry: string;
  readonly kind: SpreadKind;
  readonly longStrike: number;
  readonly shortStrike: number;
}

export interface BagLegSpec {
  readonly symbol: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: 'C' | 'P';
  readonly action: BagAction;
  readonly ratio: 1;
}

export interface BagTicket {
  readonly action: BagAction;
  /** Signed net per combo unit (bag.ts convention). */
  readonly lmtPrice: Micros;
  readonly legs: readonly BagLegSpec[];
  readonly sentence: string;
}

export type TicketCheck<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export const isCreditKind = (k: SpreadKind): boolean => k === 'bull-put' || k === 'bear-call';
export const rightOf = (k: SpreadKind): 'C' | 'P' => (k === 'bull-call' || k === 'bear-call' ? 'C' : 'P');

/** Checks the strikes fit the kind (bull kinds own the low strike, bear kinds the high one). */
export function checkStrikes(s: SpreadLegs): TicketCheck<true> {
  const bull = s.kind === 'bull-call' || s.kind === 'bull-put';
  if (s.longStrike === s.shortStrike) return { ok: false, code: 'STRIKES', message: 'The two strikes must differ.' };
  if (bull !== s.longStrike < s.shortStrike) {
    const want = bull ? 'below' : 'above';
    return { ok: false, code: 'STRIKES', message: `A ${s.kind} spread buys the strike ${want} the one it sells; swap the strikes or pick the other kind.` };
  }
  return { ok: true, value: true };
}

/** The spread's legs as held: long BUY, short SELL. */
export function heldLegs(s: SpreadLegs): [BagLegSpec, BagLegSpec] {
  const right = rightOf(s.kind);
  return [
    { symbol: s.symbol, expiry: s.expiry, strike: s.longStrike, right, action: 'BUY', ratio: 1 },
    { symbol: s.symbol, expiry: s.expiry, strike: s.shortStrike, right, action: 'SELL', ratio: 1 },
  ];
}

const flip = (a: BagAction): BagAction => (a === 'BUY' ? 'SELL' : 'BUY');

/** Which net kind a trade must be priced in: opening a credit kind is a credit, closing it a debit, and vice versa. */
export function expectedNetKind(kind: SpreadKind, intent: 'open' | 'close'): NetPrice['kind'] {
  const credit = isCreditKind(kind);
  return (intent === 'open') === credit ? 'credit' : 'debit';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const fmtExpiry = (e: string) => `${Number(e.slice(6, 8))} ${MONTHS[Number(e.slice(4, 6)) - 1] ?? '?'} ${e.slice(2, 4)}`;
const fmtStrike = (n: number) => (Number.isInteger(n) ? String(n) : String(n));
export const fmtNet = (m: Micros): string => toDollars((m < 0 ? -m : m) as Micros).toFixed(2);

/** "SELL 1 SPY 20 Dec 26 560/555 put spread for a 1.20 credit" (+ ", walking to at most 1.12" + " to close"). */
export function ticketSentence(s: SpreadLegs, intent: 'open' | 'close', quantity: number, net: NetPrice, walkCap: NetPrice | null): string {
  const verb = net.kind === 'credit' ? 'SELL' : 'BUY';
  // The strike the verb acts on first: selling a spread names its short strike, buying names its long one.
  const sellsShort = intent === 'open' ? verb === 'SELL' : verb === 'BUY';
  const [a, b] = sellsShort ? [s.shortStrike, s.longStrike] : [s.longStrike, s.shortStrike];
  const right = rightOf(s.kind) === 'C' ? 'call' : 'put';
  const walk = walkCap && walkCap.amount !== net.amount ? `, walking to at most ${fmtNet(walkCap.amount)}${walkCap.kind !== net.kind ? ` ${walkCap.kind}` : ''}` : '';
  return `${verb} ${quantity} ${s.symbol} ${fmtExpiry(s.expiry)} ${fmtStrike(a)}/${fmtStrike(b)} ${right} spread for a ${fmtNet(net.amount)} ${net.kind}${walk}${intent === 'close' ? ' to close' : ''}`;
}

/** Open or close a vertical at a labelled net price: the BAG to send, or why not. */
export function verticalBag(s: SpreadLegs, intent: 'open' | 'close', quantity: number, net: NetPrice, table: TickTable, walkCap: NetPrice | null = null): TicketCheck<BagTicket> {
  const strikes = checkStrikes(s);
  if (!strikes.ok) return strikes;
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, code: 'QUANTITY', message: 'The quantity must be a whole number of spreads, at least 1.' };
  const want = expectedNetKind(s.kind, intent);
  // A zero price has no sign to get wrong; anything else must carry the kind this trade has.
  if (net.amount !== 0 && net.kind !== want) {
    return { ok: false, code: 'SIGN', message: `${intent === 'open' ? 'Opening' : 'Closing'} a ${s.kind} spread is a ${want}; the limit says ${net.kind}.` };
  }
  if (!isOnTick(net.amount, table)) return { ok: false, code: 'TICK', message: `The limit ${fmtNet(net.amount)} is not a valid price increment for this combo.` };
  const bag = toBagOrder(intent, net);
  return { ok: true, value: { action: bag.action, lmtPrice: bag.lmtPrice, legs: heldLegs(s), sentence: ticketSentence(s, intent, quantity, net, walkCap) } };
}

/** Roll: one 4-leg BAG that closes `from` and opens `to`, bought at the net (debit paid or credit received). */
export function rollBag(from: SpreadLegs, to: SpreadLegs, quantity: number, net: NetPrice, table: TickTable): TicketCheck<BagTicket> {
  for (const s of [from, to]) {
    const c = checkStrikes(s);
    if (!c.ok) return c;
  }
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, code: 'QUANTITY', message: 'The quantity must be a whole number of spreads, at least 1.' };
  if (!isOnTick(net.amount, table)) return { ok: false, code: 'TICK', message: `The limit ${fmtNet(net.amount)} is not a valid price increment for this combo.` };
  const closing = heldLegs(from).map((l) => ({ ...l, action: flip(l.action) }));
  const bag = toBagOrder('open', net);
  const right = rightOf(to.kind) === 'C' ? 'call' : 'put';
  const sentence = `ROLL ${quantity} ${from.symbol} ${fmtExpiry(from.expiry)} ${from.shortStrike}/${from.longStrike} to ${fmtExpiry(to.expiry)} ${to.shortStrike}/${to.longStrike} ${right} spread for a ${fmtNet(net.amount)} ${net.kind}`;
  return { ok: true, value: { action: bag.action, lmtPrice: bag.lmtPrice, legs: [...closing, ...heldLegs(to)], sentence } };
}

/** A BAG price for the held combo and a combo action, in the trader's words. */
export function bagToNet(action: BagAction, lmtPrice: Micros): NetPrice {
  return fromBagOrder({ action, lmtPrice }).net;
}

export const netToMicros = (n: { amount: number; kind: 'credit' | 'debit' }): NetPrice => ({ amount: toMicros(n.amount), kind: n.kind });

/** A mid rounded to a valid combo tick on the conservative side: a credit rounds up (ask more), a debit down (pay less). */
export function conservativeMid(mid: number, isCredit: boolean): number {
  const m = toMicros(Math.abs(mid));
  return toDollars(roundToTick(m, TICKS_COMBO, isCredit ? 'up' : 'down'));
}
