// Order building: the TWS contract and order for a single option or a two-leg BAG, with IBKR's net-price sign.
//
// IBKR's convention for a combo's limit (ibkrguides, "notes on combination orders"): the price is the net per
// spread unit, positive when the action's side pays it — BUY a debit spread → +debit; BUY a spread that
// pays you → −credit; SELL a spread and receive cash → +credit; SELL and owe cash → −debit. We take the net
// as { amount, debit|credit } and write the sign here, once. Prices must already sit on the tick grid:
// rounding a limit is a pricing decision for the ticket, never something to do silently here.
import { ours } from './errors';
import type { NetPrice, OrderAction, PlaceOrderRequest } from './types';

/** The signed BAG limit price IBKR expects for `action` and a net debit or credit. */
export function comboLimitPrice(action: OrderAction, net: NetPrice): number {
  const { amount } = net;
  if (!Number.isFinite(amount) || amount < 0) throw ours.invalidOrder(`The net price must be a non-negative amount, got ${amount}.`);
  const youPay = net.type === 'debit';
  // BUY: positive when you pay. SELL: positive when you receive.
  const positive = action === 'BUY' ? youPay : !youPay;
  const signed = positive ? amount : -amount;
  return signed === 0 ? 0 : signed;
}

/** The net debit/credit that a signed BAG limit price means for `action` (the inverse of comboLimitPrice). */
export function netFromComboPrice(action: OrderAction, lmtPrice: number): NetPrice {
  const amount = Math.abs(lmtPrice);
  const positive = lmtPrice >= 0;
  const youPay = action === 'BUY' ? positive : !positive;
  return { amount, type: youPay ? 'debit' : 'credit' };
}

/** True when `price` is a whole number of ticks (within float noise). */
export function onTick(price: number, tick: number): boolean {
  if (!(tick > 0) || !Number.isFinite(price)) return false;
  const n = price / tick;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** The subset of @stoqey/ib's Contract and Order we send, as plain objects (the adapter casts them). */
export interface WireContract {
  conId?: number;
  symbol: string;
  secType: string;
  exchange: string;
  currency: string;
  comboLegs?: Array<{ conId: number; ratio: number; action: OrderAction; exchange: string }>;
}

export interface WireOrder {
  orderId?: number;
  action: OrderAction;
  totalQuantity: number;
  orderType: 'LMT' | 'MKT';
  lmtPrice?: number;
  tif: 'DAY' | 'GTC';
  orderRef: string;
  transmit: true;
  account?: string;
  whatIf?: boolean;
  smartComboRoutingParams?: Array<{ tag: string; value: string }>;
}

/** Validates the request and builds what goes on the wire. Throws InvalidOrderError with a trader sentence. */
export function buildOrder(req: PlaceOrderRequest, whatIf = false): { contract: WireContract; order: WireOrder; lmtPrice: number | null } {
  if (!req.ticketId || req.ticketId.length > 120) throw ours.invalidOrder('Every order needs a ticket id (at most 120 characters).');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw ours.invalidOrder(`The quantity must be a whole number above zero, got ${req.quantity}.`);
  if (req.action !== 'BUY' && req.action !== 'SELL') throw ours.invalidOrder('The action must be BUY or SELL.');
  const c = req.contract;
  let contract: WireContract;
  let lmtPrice: number | null = null;
  if (c.kind === 'single') {
    if (!Number.isInteger(c.conId) || c.conId <= 0) throw ours.invalidOrder('The contract has no conId; qualify it first.');
    contract = { conId: c.conId, symbol: c.symbol, secType: c.secType ?? 'OPT', exchange: c.exchange ?? 'SMART', currency: c.currency ?? 'USD' };
    if (req.orderType === 'LMT') {
      if (req.limitPrice === undefined || !Number.isFinite(req.limitPrice) || req.limitPrice <= 0) throw ours.invalidOrder('A limit order needs a limit price above zero.');
      lmtPrice = req.limitPrice;
    }
  } else {
    if (c.legs.length !== 2) throw ours.invalidOrder('A combo order needs exactly two legs.');
    const [a, b] = c.legs;
    for (const leg of c.legs) {
      if (!Number.isInteger(leg.conId) || leg.conId <= 0) throw ours.invalidOrder('Every combo leg needs a conId; qualify the legs first.');
      if (!Number.isInteger(leg.ratio) || leg.ratio <= 0) throw ours.invalidOrder('Every combo leg needs a whole ratio above zero.');
      if (leg.action !== 'BUY' && leg.action !== 'SELL') throw ours.invalidOrder('Every combo leg is BUY or SELL.');
    }
    if (a.conId === b.conId) throw ours.invalidOrder('The two legs of a combo must be different contracts.');
    const exchange = c.exchange ?? 'SMART';
    contract = {
      symbol: c.symbol,
      secType: 'BAG',
      exchange,
      currency: c.currency ?? 'USD',
      comboLegs: c.legs.map((l) => ({ conId: l.conId, ratio: l.ratio, action: l.action, exchange: l.exchange ?? exchange })),
    };
    if (req.orderType === 'LMT') {
      if (!req.net) throw ours.invalidOrder('A combo limit order needs its net price (debit or credit).');
      lmtPrice = comboLimitPrice(req.action, req.net);
    }
  }
  if (lmtPrice !== null) {
    const tick = req.minTick;
    if (tick === undefined || !(tick > 0)) throw ours.invalidOrder('The price increment (minTick) of the contract is needed to check the limit price.');
    if (!onTick(lmtPrice, tick)) throw ours.invalidOrder(`The limit price ${Math.abs(lmtPrice)} is not a multiple of the price increment ${tick}.`);
    // Snap float noise (0.30000000000000004) to the exact tick multiple before it is written as text.
    lmtPrice = Number((Math.round(lmtPrice / tick) * tick).toFixed(10));
  }
  const order: WireOrder = {
    action: req.action,
    totalQuantity: req.quantity,
    orderType: req.orderType,
    tif: req.tif ?? 'DAY',
    orderRef: req.ticketId,
    // @stoqey sends "" for an unset transmit and TWS then stores the order without sending it: always true.
    transmit: true,
  };
  if (lmtPrice !== null) order.lmtPrice = lmtPrice;
  if (req.account) order.account = req.account;
  if (whatIf) order.whatIf = true;
  if (c.kind === 'combo' && c.nonGuaranteed) order.smartComboRoutingParams = [{ tag: 'NonGuaranteed', value: '1' }];
  return { contract, order, lmtPrice };
}
