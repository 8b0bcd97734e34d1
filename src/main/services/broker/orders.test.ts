// Unit tests of the order book: acknowledgements, rejects, cancels, what-ifs, and stuck orders queried then marked.
import { describe, expect, it } from 'vitest';
import type { OpenOrderEvent, OrderStatusEvent } from '../../../core/broker/events';
import { CancelNotFoundError, CannotCancelError, fromBrokerCode, OrderRejectedError, RequestTimeoutError } from './errors';
import { OrderBook, type OrderLookup } from './orders';
import { ManualTimers } from './timers';
import type { OrderNotice, PlaceOrderRequest } from './types';

const req: PlaceOrderRequest = { ticketId: 'T-9', action: 'BUY', quantity: 2, orderType: 'LMT', contract: { kind: 'single', conId: 5, symbol: 'SPY' }, limitPrice: 1, minTick: 0.01 };
const status = (orderId: number, s: string, filled = 0): OrderStatusEvent => ({ type: 'orderStatus', receivedAt: 0, orderId, status: s, filled, remaining: 2 - filled, avgFillPrice: filled ? 1 : 0, permId: 77, clientId: 1 });
const open = (orderId: number, s = 'Submitted'): OpenOrderEvent => ({ type: 'openOrder', receivedAt: 0, orderId, permId: 77, clientId: 1, action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: 1, contract: { conId: 5, symbol: 'SPY', secType: 'OPT' }, status: s });

function setup(lookup: (id: number) => Promise<OrderLookup> = async () => ({ found: 'absent' })) {
  const timers = new ManualTimers(0);
  const notices: OrderNotice[] = [];
  const book = new OrderBook({ timers, ackTimeoutMs: 1000, lookup, onNotice: (n) => notices.push(n) });
  return { timers, book, notices };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('OrderBook', () => {
  it('a placement resolves on its first acknowledgement and tracks fills', async () => {
    const { book } = setup();
    book.track(10, req, 1);
    const p = book.expect(10, 'place');
    book.sent(10, 'place');
    book.onOpenOrder(open(10), null);
    await expect(p).resolves.toEqual({ orderId: 10, permId: 77, status: 'Submitted' });
    book.onOrderStatus(status(10, 'Submitted', 1));
    book.onOrderStatus(status(10, 'Filled', 2));
    expect(book.get(10)).toMatchObject({ status: 'Filled', filled: 2, remaining: 0, acknowledged: true, avgFillPrice: 1 });
    expect(book.counts()).toEqual({ tracked: 1, working: 0, stuck: 0 });
  });

  it('a reject (201) fails the placement with the typed error and marks it inactive', async () => {
    const { book } = setup();
    book.track(11, req, 1);
    const p = book.expect(11, 'place');
    book.sent(11, 'place');
    book.onError(11, fromBrokerCode(201, 'Order rejected - reason:Insufficient buying power', 11));
    await expect(p).rejects.toBeInstanceOf(OrderRejectedError);
    expect(book.get(11)?.status).toBe('Inactive');
  });

  it('cancels resolve on Cancelled or 202 and fail on 10147 / a fill', async () => {
    const { book } = setup();
    for (const id of [20, 21, 22, 23]) {
      book.track(id, req, 1);
      book.onOpenOrder(open(id), null);
    }
    const a = book.expect(20, 'cancel');
    book.onOrderStatus(status(20, 'Cancelled'));
    await expect(a).resolves.toBeUndefined();
    const b = book.expect(21, 'cancel');
    book.onError(21, fromBrokerCode(202, 'Order Canceled - reason:', 21));
    await expect(b).resolves.toBeUndefined();
    const c = book.expect(22, 'cancel');
    book.onError(22, fromBrokerCode(10147, 'OrderId 22 that needs to be cancelled is not found.', 22));
    await expect(c).rejects.toBeInstanceOf(CancelNotFoundError);
    const d = book.expect(23, 'cancel');
    book.onOrderStatus(status(23, 'Filled', 2));
    await expect(d).rejects.toBeInstanceOf(CannotCancelError);
  });

  it('a modify resolves on the next acknowledgement after it was sent; a warning (399) does not fail it', async () => {
    const { book } = setup();
    book.track(30, req, 1);
    book.onOpenOrder(open(30), null);
    const m = book.expect(30, 'modify');
    book.onError(30, fromBrokerCode(399, 'Order Message: warning', 30));
    book.onOrderStatus(status(30, 'Submitted')); // before the send: not the modify's answer
    book.sent(30, 'modify');
    book.onOpenOrder({ ...open(30), lmtPrice: 1.05 }, null);
    await expect(m).resolves.toMatchObject({ orderId: 30 });
    expect(book.get(30)?.lmtPrice).toBe(1.05);
  });

  it('a what-if resolves with its margin block and is never listed as an order', async () => {
    const { book } = setup();
    book.track(40, req, 1, true);
    const w = book.expect(40, 'whatIf');
    book.sent(40, 'whatIf');
    book.onOpenOrder(open(40, 'PreSubmitted'), { initMarginChange: 500 } as never);
    await expect(w).resolves.toMatchObject({ initMarginChange: 500 });
    expect(book.list()).toEqual([]);
    expect(book.has(40)).toBe(false);
  });

  it('an unacknowledged order is queried; if TWS lists it, the placement resolves', async () => {
    const asked: number[] = [];
    const { book, timers } = setup(async (id) => {
      asked.push(id);
      return { found: 'open', status: 'Submitted', permId: 5 };
    });
    book.track(50, req, 1);
    const p = book.expect(50, 'place');
    book.sent(50, 'place');
    timers.advance(1000);
    await expect(p).resolves.toMatchObject({ orderId: 50, status: 'Submitted', permId: 5 });
    expect(asked).toEqual([50]);
  });

  it('an unacknowledged order TWS does not know is marked stuck, the trader is told, and the call fails', async () => {
    const { book, timers, notices } = setup();
    book.track(51, req, 1);
    const p = book.expect(51, 'place');
    book.sent(51, 'place');
    timers.advance(1000);
    await expect(p).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(book.get(51)).toMatchObject({ stuck: true, status: 'Unknown' });
    expect(notices[0]).toMatchObject({ type: 'orderStuck', orderId: 51, ticketId: 'T-9' });
    expect(book.counts().stuck).toBe(1);
    // TWS shows it after all (e.g. after a reconnect): it is no longer stuck.
    book.onOpenOrder(open(51), null);
    await tick();
    expect(book.get(51)).toMatchObject({ stuck: false, acknowledged: true });
  });

  it('when asking TWS fails, the order is still marked, never left hanging', async () => {
    const { book, timers, notices } = setup(async () => {
      throw new Error('not connected');
    });
    book.track(52, req, 1);
    const p = book.expect(52, 'place');
    book.sent(52, 'place');
    timers.advance(1000);
    await expect(p).rejects.toThrow(/could not ask TWS/);
    expect(notices).toHaveLength(1);
  });

  it('a disconnect fails pending what-ifs; a dropped send fails the placement', async () => {
    const { book } = setup();
    book.track(60, req, 1, true);
    const w = book.expect(60, 'whatIf');
    book.onDisconnect();
    await expect(w).rejects.toThrow(/closed before/);
    book.track(61, req, 1);
    const p = book.expect(61, 'place');
    book.notSent(61, 'place', new Error('socket gone'));
    await expect(p).rejects.toThrow('socket gone');
    expect(book.has(61)).toBe(false);
  });
});
