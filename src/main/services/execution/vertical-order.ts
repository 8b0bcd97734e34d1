// A vertical's order request: the BAG core/orders verticalBag decided (action, net), on its two qualified legs.
//
// One place writes the combo the way every sender needs it — the long leg BUY, the short leg SELL, as the spread is
// held (core/spreads/bag.ts) — so a placement, the ticket's what-if and the scanner's what-if cannot drift apart.
import type { BagAction, NetPrice } from '../../../core/spreads';
import type { PlaceOrderRequest } from '../broker/types';

export interface VerticalOrder {
  ticketId: string;
  /** A reserved id (placements); what-ifs leave it out. */
  orderId?: number;
  symbol: string;
  /** The combo action verticalBag chose: BUY opens the spread as held, SELL closes it. */
  action: BagAction;
  quantity: number;
  net: NetPrice;
  tif?: PlaceOrderRequest['tif'];
  /** The qualified legs, long first. */
  legConIds: readonly [number, number];
}

export function verticalOrderRequest(o: VerticalOrder): PlaceOrderRequest {
  const [long, short] = o.legConIds;
  return {
    ticketId: o.ticketId,
    ...(o.orderId !== undefined ? { orderId: o.orderId } : {}),
    action: o.action,
    quantity: o.quantity,
    orderType: 'LMT',
    ...(o.tif !== undefined ? { tif: o.tif } : {}),
    net: o.net,
    contract: { kind: 'combo', symbol: o.symbol, legs: [{ conId: long, action: 'BUY', ratio: 1 }, { conId: short, action: 'SELL', ratio: 1 }] },
  };
}
