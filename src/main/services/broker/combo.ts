// Order building: the TWS contract and order for a single option or a BAG (a vertical's 2 legs, a roll's 4), with IBKR's net-price sign.
//
// The credit/debit sign convention is written once, in core/spreads/bag.ts (toBagOrder): the BAG's legs are
// the spread as held, BUY opens it and SELL closes it, and lmtPrice is +debit / −credit when buying, +credit /
// −debit when selling. This module only applies it. Prices must already sit on the tick grid: rounding a
// limit is a pricing decision for the ticket (core/spreads roundLimitPrice), never done silently here.
import { isOnTick, lmtPriceForWire, toBagOrder, toMicros, TICKS_COMBO, type Micros, type NetPrice, type TickTable } from '../../../core/spreads';
import { ours } from './errors';
import type { OrderAction, PlaceOrderRequest } from './types';

/** The signed BAG limit price (dollars) IBKR expects for `action` and a net debit or credit. */
export function comboLimitPrice(action: OrderAction, net: NetPrice): number {
  if (!Number.isSafeInteger(net.amount) || net.amount < 0) throw ours.invalidOrder(`The net price must be a non-negative amount, got ${net.amount} micros.`);
  const order = toBagOrder(action === 'BUY' ? 'open' : 'close', net);
  const price = lmtPriceForWire(order);
  return price === 0 ? 0 : price;
}

function tableFor(req: PlaceOrderRequest, combo: boolean): TickTable | null {
  if (req.ticks && req.ticks.length > 0) return req.ticks;
  if (req.minTick !== undefined && req.minTick > 0 && Number.isFinite(req.minTick)) return [{ from: 0 as Micros, increment: toMicros(req.minTick) }];
  return combo ? TICKS_COMBO : null;
}

/** True when `price` (dollars, either sign) sits on the grid. */
export function onGrid(price: number, table: TickTable): boolean {
  return Number.isFinite(price) && isOnTick(toMicros(Math.abs(price)), table);
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
    if (c.legs.length !== 2 && c.legs.length !== 4) throw ours.invalidOrder('A combo order has two legs (a vertical) or four (a roll).');
    for (const leg of c.legs) {
      if (!Number.isInteger(leg.conId) || leg.conId <= 0) throw ours.invalidOrder('Every combo leg needs a conId; qualify the legs first.');
      if (!Number.isInteger(leg.ratio) || leg.ratio <= 0) throw ours.invalidOrder('Every combo leg needs a whole ratio above zero.');
      if (leg.action !== 'BUY' && leg.action !== 'SELL') throw ours.invalidOrder('Every combo leg is BUY or SELL.');
    }
    if (new Set(c.legs.map((l) => l.conId)).size !== c.legs.length) throw ours.invalidOrder('The legs of a combo must be different contracts.');
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
    const table = tableFor(req, c.kind === 'combo');
    if (!table) throw ours.invalidOrder('The price grid of the contract (ticks or minTick) is needed to check the limit price.');
    if (!onGrid(lmtPrice, table)) throw ours.invalidOrder(`The limit price ${Math.abs(lmtPrice)} is not on the contract's price grid; round it to a valid tick first.`);
    // Written from exact micros, so float noise (0.30000000000000004) never reaches the wire.
    lmtPrice = (lmtPrice < 0 ? -1 : 1) * (toMicros(Math.abs(lmtPrice)) / 1_000_000);
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
