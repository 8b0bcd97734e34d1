// The order book of the adapter: what we sent, what TWS acknowledged, and the pending place/modify/cancel/what-if calls.
//
// Each call waits for its own acknowledgement: placement for the first openOrder or orderStatus of the id,
// a modify for the next one after it was sent, a cancel for a Cancelled status (or 202), a what-if for its
// openOrder with the margin block. An id-bound error rejects the pending calls of that order with the typed
// error. If nothing comes back in time the order is not left hanging: we ask TWS (open orders and today's
// executions) and either settle the call from what TWS says or mark the order stuck and tell the trader.
import type { OpenOrderEvent, OrderStatusEvent } from '../../../core/broker/events';
import { isTerminalStatus } from '../../../core/broker/events';
import { BrokerError, CannotCancelError, ours, RequestTimeoutError } from './errors';
import type { TimerHandle, Timers } from './timers';
import type { OrderNotice, PlaceOrderRequest, PlacedOrder, TrackedOrder, WhatIfResult } from './types';

export type OrderOpKind = 'place' | 'modify' | 'cancel' | 'whatIf';

/** What TWS says about an order when asked (open orders + executions). */
export type OrderLookup = { found: 'open'; status: string; permId: number | null } | { found: 'filled'; permId: number | null } | { found: 'absent' } | { found: 'unknown'; reason: string };

export interface OrderBookOptions {
  timers: Timers;
  /** How long a call waits for TWS before asking. */
  ackTimeoutMs: number;
  /** Asks TWS about an order (the adapter runs reqOpenOrders / reqExecutions). */
  lookup: (orderId: number) => Promise<OrderLookup>;
  onNotice: (n: OrderNotice) => void;
}

interface PendingOp {
  kind: OrderOpKind;
  sentAt: number | null;
  timer: TimerHandle | null;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Entry {
  order: TrackedOrder;
  request: PlaceOrderRequest | null;
  ops: PendingOp[];
  whatIf: boolean;
}

export class OrderBook {
  private readonly entries = new Map<number, Entry>();
  private readonly timers: Timers;
  private readonly opts: OrderBookOptions;

  constructor(opts: OrderBookOptions) {
    this.opts = opts;
    this.timers = opts.timers;
  }

  /** Registers an order we are about to send (or a what-if, which is never listed as a working order). */
  track(orderId: number, request: PlaceOrderRequest, lmtPrice: number | null, whatIf = false): void {
    const now = this.timers.now();
    const existing = this.entries.get(orderId);
    if (existing && !whatIf) {
      existing.request = request;
      existing.order.lmtPrice = lmtPrice;
      existing.order.updatedAt = now;
      return;
    }
    this.entries.set(orderId, {
      order: { orderId, ticketId: request.ticketId, permId: null, status: 'PendingSubmit', filled: 0, remaining: request.quantity, avgFillPrice: null, acknowledged: false, stuck: false, lmtPrice, updatedAt: now },
      request,
      ops: [],
      whatIf,
    });
  }

  requestOf(orderId: number): PlaceOrderRequest | null {
    return this.entries.get(orderId)?.request ?? null;
  }

  get(orderId: number): TrackedOrder | undefined {
    const e = this.entries.get(orderId);
    return e && !e.whatIf ? { ...e.order } : undefined;
  }

  isWhatIf(orderId: number): boolean {
    return this.entries.get(orderId)?.whatIf ?? false;
  }

  has(orderId: number): boolean {
    return this.entries.has(orderId);
  }

  list(): TrackedOrder[] {
    return [...this.entries.values()].filter((e) => !e.whatIf).map((e) => ({ ...e.order }));
  }

  counts(): { tracked: number; working: number; stuck: number } {
    let tracked = 0;
    let working = 0;
    let stuck = 0;
    for (const e of this.entries.values()) {
      if (e.whatIf) continue;
      tracked++;
      if (e.order.stuck) stuck++;
      else if (!isTerminalStatus(e.order.status)) working++;
    }
    return { tracked, working, stuck };
  }

  /** Starts waiting for the acknowledgement of one call; the timeout starts at `sent`. */
  expect<T>(orderId: number, kind: OrderOpKind): Promise<T> {
    const e = this.entries.get(orderId);
    if (!e) return Promise.reject(ours.invalidOrder(`Order ${orderId} is not known to SpreadDesk.`));
    return new Promise<T>((resolve, reject) => {
      e.ops.push({ kind, sentAt: null, timer: null, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** The call's message left the process. */
  sent(orderId: number, kind: OrderOpKind): void {
    const op = this.entries.get(orderId)?.ops.find((o) => o.kind === kind && o.sentAt === null);
    if (!op) return;
    op.sentAt = this.timers.now();
    op.timer = this.timers.setTimeout(() => void this.onTimeout(orderId, op), this.opts.ackTimeoutMs);
  }

  /** The call never left (pacer dropped it, encoder failed): reject it. */
  notSent(orderId: number, kind: OrderOpKind, error: unknown): void {
    const e = this.entries.get(orderId);
    const op = e?.ops.find((o) => o.kind === kind && o.sentAt === null);
    if (!e || !op) return;
    this.settle(e, op, () => op.reject(error));
    if (kind === 'place' || kind === 'whatIf') this.entries.delete(orderId);
  }

  onOpenOrder(ev: OpenOrderEvent, whatIf: WhatIfResult | null): void {
    const e = this.entries.get(ev.orderId);
    if (!e) return;
    if (e.whatIf) {
      const op = e.ops.find((o) => o.kind === 'whatIf');
      if (op && whatIf) {
        this.settle(e, op, () => op.resolve(whatIf));
        this.entries.delete(ev.orderId);
      }
      return;
    }
    this.acknowledge(e, ev.permId || null, ev.status);
    e.order.lmtPrice = ev.lmtPrice ?? e.order.lmtPrice;
    this.settleAcks(e);
  }

  /** An openOrder for an order placed by an earlier session (or another client): track it from TWS's view. */
  adopt(ev: OpenOrderEvent): void {
    if (this.entries.has(ev.orderId)) return;
    this.entries.set(ev.orderId, {
      order: { orderId: ev.orderId, ticketId: ev.orderRef ?? '', permId: ev.permId || null, status: ev.status, filled: 0, remaining: ev.totalQuantity, avgFillPrice: null, acknowledged: true, stuck: false, lmtPrice: ev.lmtPrice ?? null, updatedAt: this.timers.now() },
      request: null,
      ops: [],
      whatIf: false,
    });
  }

  onOrderStatus(ev: OrderStatusEvent): void {
    const e = this.entries.get(ev.orderId);
    if (!e || e.whatIf) return;
    this.acknowledge(e, ev.permId || null, ev.status);
    e.order.filled = ev.filled;
    e.order.remaining = ev.remaining;
    e.order.avgFillPrice = ev.filled > 0 ? ev.avgFillPrice : null;
    this.settleAcks(e);
    if (ev.status === 'Cancelled' || ev.status === 'ApiCancelled') {
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.resolve(undefined));
    } else if (ev.status === 'Filled') {
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.reject(new CannotCancelError('cannot-cancel', { code: 10148, userMessage: 'The order filled before it could be cancelled.' })));
    }
    if (isTerminalStatus(ev.status)) for (const op of e.ops.filter((o) => o.kind === 'modify')) this.settle(e, op, () => op.resolve(this.placed(e)));
  }

  /** An error TWS tied to this order id. Returns true when the id is one of ours. */
  onError(orderId: number, error: BrokerError): boolean {
    const e = this.entries.get(orderId);
    if (!e) return false;
    const code = error.code;
    if (code === 202) {
      // "Order Canceled": the confirmation a cancel waits for (also sent when TWS cancels on its own).
      e.order.status = 'Cancelled';
      e.order.updatedAt = this.timers.now();
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.resolve(undefined));
      return true;
    }
    if (error.severity === 'info' || code === 399 || (code !== null && code >= 2100 && code < 3000)) return true;
    if (code === 10147 || code === 10148 || code === 161) {
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.reject(error));
      return true;
    }
    // A reject: the placement (or modification, or what-if) fails with the typed error.
    const failing = e.ops.filter((o) => o.kind !== 'cancel');
    for (const op of failing) this.settle(e, op, () => op.reject(error));
    if (e.whatIf) this.entries.delete(orderId);
    else if (!e.order.acknowledged) {
      e.order.status = 'Inactive';
      e.order.updatedAt = this.timers.now();
    }
    return true;
  }

  /** The connection dropped: what-ifs cannot complete; other calls keep waiting (their timeout will ask). */
  onDisconnect(): void {
    for (const [id, e] of [...this.entries]) {
      if (!e.whatIf) continue;
      for (const op of [...e.ops]) this.settle(e, op, () => op.reject(ours.disconnected('the what-if preview')));
      this.entries.delete(id);
    }
  }

  /** Fails every pending call (shutdown). */
  closeAll(): void {
    for (const e of this.entries.values()) for (const op of [...e.ops]) this.settle(e, op, () => op.reject(ours.disconnected('the order request')));
  }

  private placed(e: Entry): PlacedOrder {
    return { orderId: e.order.orderId, permId: e.order.permId, status: e.order.status };
  }

  private acknowledge(e: Entry, permId: number | null, status: string): void {
    e.order.acknowledged = true;
    if (e.order.stuck) e.order.stuck = false;
    if (permId) e.order.permId = permId;
    e.order.status = status;
    e.order.updatedAt = this.timers.now();
  }

  /** Placement and modification are acknowledged by any openOrder/orderStatus after their send. */
  private settleAcks(e: Entry): void {
    for (const op of e.ops.filter((o) => (o.kind === 'place' || o.kind === 'modify') && o.sentAt !== null)) this.settle(e, op, () => op.resolve(this.placed(e)));
  }

  private settle(e: Entry, op: PendingOp, fn: () => void): void {
    const i = e.ops.indexOf(op);
    if (i < 0) return;
    e.ops.splice(i, 1);
    if (op.timer !== null) this.timers.clearTimeout(op.timer);
    fn();
  }

  private async onTimeout(orderId: number, op: PendingOp): Promise<void> {
    op.timer = null;
    const e = this.entries.get(orderId);
    if (!e || !e.ops.includes(op)) return;
    let found: OrderLookup;
    try {
      found = await this.opts.lookup(orderId);
    } catch (err) {
      found = { found: 'unknown', reason: err instanceof BrokerError ? err.userMessage : String(err) };
    }
    if (!e.ops.includes(op)) return; // settled while we were asking
    const seconds = Math.round(this.opts.ackTimeoutMs / 100) / 10;
    if (op.kind === 'whatIf') {
      this.settle(e, op, () => op.reject(ours.timeout('the what-if preview', this.opts.ackTimeoutMs, orderId)));
      this.entries.delete(orderId);
      return;
    }
    if (found.found === 'open' || found.found === 'filled') {
      const status = found.found === 'open' ? found.status : 'Filled';
      this.acknowledge(e, found.permId, status);
      if (op.kind === 'cancel') {
        if (status === 'Cancelled' || status === 'ApiCancelled') this.settle(e, op, () => op.resolve(undefined));
        else this.settle(e, op, () => op.reject(new RequestTimeoutError('timeout', { code: null, reqId: orderId, userMessage: `TWS did not confirm the cancel within ${seconds} s; the order is still ${status}.` })));
      } else {
        this.settle(e, op, () => op.resolve(this.placed(e)));
      }
      return;
    }
    if (op.kind === 'cancel' && found.found === 'absent' && e.order.acknowledged) {
      // TWS no longer lists it and has no fill for it: it is not working any more.
      e.order.status = 'Cancelled';
      this.settle(e, op, () => op.resolve(undefined));
      return;
    }
    // Not acknowledged and TWS does not know it (or we could not ask): mark it, tell the trader, never hang.
    const why = found.found === 'unknown' ? `SpreadDesk could not ask TWS about it (${found.reason})` : 'TWS does not list it';
    const message = `Order ${orderId} (ticket ${e.order.ticketId}) was not acknowledged within ${seconds} s and ${why}; it is marked as not working. Check TWS before re-sending.`;
    if (op.kind === 'place') {
      e.order.stuck = true;
      e.order.status = 'Unknown';
      e.order.updatedAt = this.timers.now();
      this.opts.onNotice({ type: 'orderStuck', orderId, ticketId: e.order.ticketId, at: this.timers.now(), message });
    }
    this.settle(e, op, () => op.reject(new RequestTimeoutError('timeout', { code: null, reqId: orderId, userMessage: message })));
  }
}
