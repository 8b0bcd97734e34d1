// OrderGateway: order ids, placing, modifying and cancelling combo orders, what-if previews, and the order
// messages TWS sends back (deduplicated, since TWS repeats identical ones). The order book keeps each order's state.
import type { Contract, Order } from '@stoqey/ib';
import { brokerEventKey, type OpenOrderEvent, type OrderStatusEvent } from '../../../core/broker/events';
import type { Account } from './account';
import { buildOrder } from './combo';
import { BrokerError, ours } from './errors';
import * as map from './mapping';
import { OrderIdAllocator, type OrderIdStore } from './order-ids';
import { PacerDropped, type PacedJob } from './pacer';
import { OrderBook, type OrderLookup } from './orders';
import type { Session } from './session';
import type { OrderChange, OrderNotice, PlacedOrder, PlaceOrderRequest, TrackedOrder, Unsubscribe, WhatIfOptions, WhatIfResult } from './types';
import { safe, safeJson } from './wire';

export class OrderGateway {
  readonly orders: OrderBook;
  private orderIds: OrderIdAllocator | null = null;
  private readonly lastOrderEventKey = new Map<string, string>();
  private readonly orderNoticeListeners = new Set<(n: OrderNotice) => void>();

  constructor(private readonly session: Session, private readonly account: Account) {
    this.orders = new OrderBook({
      timers: session.timers,
      ackTimeoutMs: session.opts.orderAckTimeoutMs,
      lookup: (id) => this.lookupOrder(id),
      clientId: () => session.target?.clientId ?? null,
      onNotice: (n) => {
        session.notice({ level: 'error', code: null, message: n.type === 'orderStuck' ? n.message : n.error.userMessage, at: n.at });
        for (const l of this.orderNoticeListeners) safe(() => l(n));
      },
    });
  }

  onOrderNotice(listener: (n: OrderNotice) => void): Unsubscribe {
    this.orderNoticeListeners.add(listener);
    return () => this.orderNoticeListeners.delete(listener);
  }

  // ——— lifecycle (session hooks) ———

  targetChanging(store: OrderIdStore): void {
    this.orderIds = new OrderIdAllocator(store);
  }

  onNextValidId(id: number): void {
    this.orderIds?.onNextValidId(id);
  }

  dropped(): void {
    this.orders.onDisconnect();
    this.orderIds?.reset();
  }

  // ——— inbound (called by the handler map) ———

  orderStatus(ev: OrderStatusEvent): void {
    this.orderIds?.observe(ev.orderId);
    this.account.orderStatusSeen(ev);
    if (this.orders.isWhatIf(ev.orderId)) return;
    this.orders.onOrderStatus(ev);
    this.emitOrderEvent(ev);
  }

  openOrder(ev: OpenOrderEvent, order: unknown, state: unknown): void {
    this.orderIds?.observe(ev.orderId);
    const isWhatIf = this.orders.isWhatIf(ev.orderId) || (typeof order === 'object' && order !== null && (order as { whatIf?: unknown }).whatIf === true);
    if (isWhatIf) {
      this.orders.onOpenOrder(ev, map.whatIfResult(state));
      return;
    }
    this.account.openOrderSeen(ev);
    if (this.orders.has(ev.orderId)) this.orders.onOpenOrder(ev, null);
    else this.orders.adopt(ev);
    this.emitOrderEvent(ev);
  }

  /** An error bound to one of our orders: journaled as an orderError event, told to the trader, settles the order. */
  orderError(id: number, clientId: number, code: number, message: string, err: BrokerError, advanced: unknown, nonFatal: boolean): void {
    if (!this.orders.isWhatIf(id)) {
      const ev = { type: 'orderError' as const, receivedAt: this.session.timers.now(), orderId: id, clientId, code, message, advancedOrderReject: advanced === undefined || advanced === null ? undefined : typeof advanced === 'string' ? advanced : safeJson(advanced) };
      this.session.emitEvent(ev);
      if (code !== 202 && !nonFatal) this.session.notice({ level: 'error', code, message: `Order ${id}: ${err.userMessage}`, at: ev.receivedAt, id });
    }
    this.orders.onError(id, err);
  }

  private emitOrderEvent(ev: OpenOrderEvent | OrderStatusEvent): void {
    // TWS repeats identical order messages; pass each distinct state on once.
    const key = brokerEventKey(ev);
    const slot = `${ev.type}|${ev.clientId}|${ev.orderId}`;
    if (key !== null && this.lastOrderEventKey.get(slot) === key) return;
    if (key !== null) this.lastOrderEventKey.set(slot, key);
    this.session.emitEvent(ev);
  }

  // ——— requests ———

  reserveOrderId(): number {
    if (!this.orderIds) throw ours.notConnected('Order ids are available once connected.');
    return this.orderIds.allocate();
  }

  /** The id of a new placement: a reserved one (refused if the caller made it up or reuses it), or a fresh one. */
  private claimOrderId(requested: number | undefined): number {
    if (!this.orderIds) throw ours.notConnected('Order ids are available once connected.');
    return this.orderIds.claim(requested ?? this.orderIds.allocate());
  }

  /** An order refused before it left the process: tell the order-notice listeners, return the error to throw. */
  private refused(ticketId: string, error: BrokerError): BrokerError {
    for (const l of this.orderNoticeListeners) safe(() => l({ type: 'orderRefused', ticketId, at: this.session.timers.now(), error }));
    return error;
  }

  placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder> {
    const allowed = this.session.tradingAllowed();
    if (!allowed.ok) return Promise.reject(this.refused(request.ticketId, allowed.error));
    let built: ReturnType<typeof buildOrder>;
    let orderId: number;
    try {
      built = buildOrder(request);
      orderId = this.claimOrderId(request.orderId);
    } catch (e) {
      return Promise.reject(e instanceof BrokerError ? this.refused(request.ticketId, e) : e);
    }
    this.orders.track(orderId, request, built.lmtPrice);
    const acked = this.orders.expect<PlacedOrder>(orderId, 'place');
    this.sendOrder(orderId, built.contract, built.order, 'place');
    return acked;
  }

  modifyOrder(orderId: number, change: OrderChange): Promise<PlacedOrder> {
    const allowed = this.session.tradingAllowed();
    if (!allowed.ok) return Promise.reject(allowed.error);
    const original = this.orders.requestOf(orderId);
    if (!original) return Promise.reject(ours.invalidOrder(`Order ${orderId} was not placed by this session, so SpreadDesk cannot modify it.`));
    const request: PlaceOrderRequest = { ...original, orderId, quantity: change.quantity ?? original.quantity, limitPrice: change.limitPrice ?? original.limitPrice, net: change.net ?? original.net };
    let built: ReturnType<typeof buildOrder>;
    try {
      built = buildOrder(request);
    } catch (e) {
      return Promise.reject(e);
    }
    this.orders.track(orderId, request, built.lmtPrice);
    const acked = this.orders.expect<PlacedOrder>(orderId, 'modify');
    this.sendOrder(orderId, built.contract, built.order, 'modify');
    return acked;
  }

  cancelOrder(orderId: number): Promise<void> {
    // Cancels are allowed while the link is lost: TWS queues them, and they only reduce risk.
    if (!this.session.isReady()) return Promise.reject(ours.notConnected('Cannot cancel: not connected to the broker.'));
    if (!this.orders.has(orderId)) return Promise.reject(ours.invalidOrder(`Order ${orderId} is not known to SpreadDesk.`));
    const done = this.orders.expect<void>(orderId, 'cancel');
    const job = this.session.send('order', 'cancelOrder', (api) => {
      api.cancelOrder(orderId);
      this.orders.sent(orderId, 'cancel');
    });
    job.promise.catch((e: unknown) => this.orders.notSent(orderId, 'cancel', e));
    return done;
  }

  async cancelAllOrders(): Promise<void> {
    if (!this.session.isReady()) throw ours.notConnected('Cannot cancel: not connected to the broker.');
    await this.session.send('order', 'reqGlobalCancel', (api) => api.reqGlobalCancel()).promise;
  }

  whatIf(request: PlaceOrderRequest, options: WhatIfOptions = {}): Promise<WhatIfResult> {
    const { signal, priority = 'order' } = options;
    if (signal?.aborted) return Promise.reject(whatIfWithdrawn());
    const allowed = this.session.tradingAllowed();
    if (!allowed.ok) return Promise.reject(allowed.error);
    let built: ReturnType<typeof buildOrder>;
    let orderId: number;
    try {
      built = buildOrder(request, true);
      // A what-if uses an order id at TWS like any order; it is never reused.
      orderId = this.claimOrderId(undefined);
    } catch (e) {
      return Promise.reject(e);
    }
    this.orders.track(orderId, request, built.lmtPrice, true);
    const result = this.orders.expect<WhatIfResult>(orderId, 'whatIf');
    const job = this.sendOrder(orderId, built.contract, built.order, 'whatIf', priority);
    if (!signal) return result;
    return new Promise<WhatIfResult>((resolve, reject) => {
      // Withdrawn: a queued what-if never leaves (the pacer drops it and the book forgets it); one already sent is
      // answered into the book, which forgets it then — nothing is left pending either way.
      const onAbort = (): void => {
        job.cancel();
        reject(whatIfWithdrawn());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const off = (): void => signal.removeEventListener('abort', onAbort);
      result.then(
        (r) => {
          off();
          resolve(r);
        },
        (e: unknown) => {
          off();
          reject(e);
        },
      );
    });
  }

  trackedOrders(): TrackedOrder[] {
    return this.orders.list();
  }

  /** Re-attaches the journaled request to an order of an earlier session (see OrderBook.restoreRequest). */
  restoreOrderRequest(orderId: number, request: PlaceOrderRequest): boolean {
    return this.orders.restoreRequest(orderId, request);
  }

  private sendOrder(orderId: number, contract: object, order: object, kind: 'place' | 'modify' | 'whatIf', priority: 'order' | 'scan' = 'order'): PacedJob {
    const job = this.session.send(priority, kind === 'whatIf' ? 'whatIf' : 'placeOrder', (api) => {
      api.placeOrder(orderId, contract as Contract, order as Order);
      this.orders.sent(orderId, kind);
    });
    job.promise.catch((e: unknown) => this.orders.notSent(orderId, kind, e instanceof BrokerError ? e : e instanceof PacerDropped && e.reason === 'cancelled' ? whatIfWithdrawn() : ours.disconnected('sending the order')));
    return job;
  }

  /** Asks TWS about an order whose acknowledgement did not come. */
  private async lookupOrder(orderId: number): Promise<OrderLookup> {
    const session = this.session;
    // A reconnect in progress will bring the order's state with it: give it a chance before judging.
    if (session.machine.state !== 'connected' && session.wantConnected) await session.untilConnected(session.opts.orderAckTimeoutMs);
    if (session.machine.state !== 'connected') return { found: 'unknown', reason: 'not connected' };
    const [open, execs] = await Promise.all([this.account.openOrders(), this.account.executions({})]);
    const statuses = open.orderStatuses.filter((s) => s.orderId === orderId);
    const oo = open.openOrders.find((o) => o.orderId === orderId);
    const last = statuses.at(-1);
    if (oo || last) return { found: 'open', status: last?.status ?? oo?.status ?? 'Submitted', permId: last?.permId ?? oo?.permId ?? null };
    const fill = execs.executions.find((e) => e.orderId === orderId && e.clientId === session.target?.clientId);
    if (fill) return { found: 'filled', permId: fill.permId || null };
    return { found: 'absent' };
  }
}

/** A what-if its caller withdrew (WhatIfOptions.signal): an AbortError, as a withdrawn quote snapshot is. */
function whatIfWithdrawn(): Error {
  const e = new Error('The what-if was withdrawn.');
  e.name = 'AbortError';
  return e;
}
