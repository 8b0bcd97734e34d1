// Regression tests for issue 11's broker bugs: modify acks, caller-supplied order ids, and ids of other clients.
import { describe, expect, it } from 'vitest';
import type { OpenOrderEvent, OrderStatusEvent } from '../../../core/broker/events';
import { fromBrokerCode, InvalidOrderError, OrderRejectedError } from './errors';
import { memoryOrderIdStore, OrderIdAllocator } from './order-ids';
import { OrderBook } from './orders';
import { ManualTimers } from './timers';
import type { PlaceOrderRequest } from './types';

const req: PlaceOrderRequest = { ticketId: 'T-1', action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: 5, symbol: 'SPY' }, limitPrice: 1, minTick: 0.01 };
const open = (orderId: number, lmtPrice: number, totalQuantity = 1, clientId = 1, status = 'Submitted'): OpenOrderEvent => ({
  type: 'openOrder', receivedAt: 0, orderId, permId: 70 + clientId, clientId, action: 'BUY', totalQuantity, orderType: 'LMT', lmtPrice, contract: { conId: 5, symbol: 'SPY', secType: 'OPT' }, status,
});
const status = (orderId: number, s: string, filled = 0, clientId = 1): OrderStatusEvent => ({ type: 'orderStatus', receivedAt: 0, orderId, status: s, filled, remaining: 1 - filled, avgFillPrice: filled ? 1 : 0, permId: 70 + clientId, clientId });

function book() {
  return new OrderBook({ timers: new ManualTimers(0), ackTimeoutMs: 1000, lookup: async () => ({ found: 'absent' }), onNotice: () => undefined, clientId: () => 1 });
}

describe('modify is acknowledged only by the openOrder showing the new price and quantity', () => {
  it('an orderStatus or an in-flight openOrder with the old price does not confirm it; a reject leaves the old price', async () => {
    const b = book();
    b.track(30, req, 1);
    b.onOpenOrder(open(30, 1), null);
    b.track(30, { ...req, limitPrice: 1.05 }, 1.05);
    let settled = false;
    const m = b.expect(30, 'modify');
    m.then(() => (settled = true), () => (settled = true));
    b.sent(30, 'modify');
    b.onOrderStatus(status(30, 'Submitted'));
    b.onOpenOrder(open(30, 1), null); // already in flight before TWS saw the modify
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(b.get(30)?.lmtPrice).toBe(1);
    b.onError(30, fromBrokerCode(201, 'Order rejected - reason: price out of range', 30));
    await expect(m).rejects.toBeInstanceOf(OrderRejectedError);
    expect(b.get(30)?.lmtPrice).toBe(1);
    expect(b.requestOf(30)?.limitPrice).toBe(1);
  });

  it('resolves when the openOrder carries the new values and then remembers them', async () => {
    const b = book();
    b.track(31, req, 1);
    b.onOpenOrder(open(31, 1), null);
    b.track(31, { ...req, limitPrice: 1.07, quantity: 2 }, 1.07);
    const m = b.expect(31, 'modify');
    b.sent(31, 'modify');
    b.onOpenOrder(open(31, 1.07, 1), null); // price right, quantity not yet
    b.onOpenOrder(open(31, 1.07, 2), null);
    await expect(m).resolves.toMatchObject({ orderId: 31 });
    expect(b.get(31)?.lmtPrice).toBe(1.07);
    expect(b.requestOf(31)).toMatchObject({ limitPrice: 1.07, quantity: 2 });
  });
});

describe('a caller-supplied order id is refused', () => {
  it('only an id reserved by the allocator, once', () => {
    const ids = new OrderIdAllocator(memoryOrderIdStore(10));
    ids.onNextValidId(5);
    const a = ids.allocate();
    expect(a).toBe(11);
    expect(() => ids.claim(a + 7)).toThrow(InvalidOrderError);
    expect(ids.claim(a)).toBe(a);
    expect(() => ids.claim(a)).toThrow(/already used|not reserved/);
    expect(() => ids.claim(3)).toThrow(InvalidOrderError);
  });
});

describe('the OrderBook keys orders by client id', () => {
  it("another client's order with the same id neither settles nor changes ours", async () => {
    const b = book();
    b.track(7, req, 1);
    const p = b.expect(7, 'place');
    b.sent(7, 'place');
    b.onOpenOrder(open(7, 2.5, 9, 2, 'Filled'), null);
    b.onOrderStatus(status(7, 'Filled', 1, 2));
    let settled = false;
    p.then(() => (settled = true), () => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(b.get(7)).toMatchObject({ status: 'PendingSubmit', acknowledged: false, lmtPrice: 1 });
    expect(b.list()).toHaveLength(2);
    b.onOpenOrder(open(7, 1, 1, 1), null);
    await expect(p).resolves.toMatchObject({ orderId: 7, status: 'Submitted' });
  });
});

describe('after a restart: an earlier session’s order gets its journaled request back, and carries its client id', () => {
  it('restores the request of an adopted order of ours only (not another client’s, not one already known, not a stranger)', () => {
    const b = book();
    b.adopt(open(40, 1.1)); // our client, placed by the last run: adopted (as the gateway does) with no request
    b.onOpenOrder(open(40, 2.2, 1, 9), null); // another client's order 40
    expect(b.requestOf(40)).toBeNull();
    expect(b.list().map((o) => [o.orderId, o.clientId]).sort()).toEqual([[40, 1], [40, 9]]);
    expect(b.restoreRequest(40, { ...req, ticketId: 'sd-journal-ticket', limitPrice: 1.1 })).toBe(true);
    expect(b.requestOf(40)?.ticketId).toBe('sd-journal-ticket');
    expect(b.restoreRequest(40, req)).toBe(false); // known now: never replaced
    expect(b.restoreRequest(41, req)).toBe(false); // not tracked at all
  });
});
