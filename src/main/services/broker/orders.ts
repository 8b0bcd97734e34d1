// The order book of the adapter: what we sent, what TWS acknowledged, and the pending place/modify/cancel/what-if calls.
//
// Each call waits for its own acknowledgement: placement for the first openOrder or orderStatus of the id,
// a modify for the openOrder that carries the new price and quantity (an orderStatus, or an openOrder still
// showing the old values, is not an answer to it — and the book keeps the last price TWS confirmed, not the
// one we asked for), a cancel for a Cancelled status (or 202), a what-if for its
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
  /** Our client id: TWS order ids are per client, so orders of other clients are kept under their own key. */
  clientId?: () => number | null;
}

interface PendingOp {
  kind: OrderOpKind;
  sentAt: number | null;
  timer: TimerHandle | null;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** modify: the values TWS must echo before the modify counts as accepted. */
  want?: { lmtPrice: number | null; quantity: number; request: PlaceOrderRequest };
}

interface Entry {
  order: TrackedOrder;
  /** The request TWS last confirmed (what a later modify builds on). */
  request: PlaceOrderRequest | null;
  /** A modify sent but not yet confirmed. */
  pending: { lmtPrice: number | null; request: PlaceOrderRequest } | null;
  ops: PendingOp[];
  whatIf: boolean;
  clientId: number | null;
}

const samePrice = (a: number | null | undefined, b: number | null | undefined) => (a ?? null) === null ? (b ?? null) === null : b !== null && b !== undefined && Math.abs((a as number) - b) < 5e-7;

export class OrderBook {
  private readonly entries = new Map<string, Entry>();
  private readonly timers: Timers;
  private readonly opts: OrderBookOptions;

  constructor(opts: OrderBookOptions) {
    this.opts = opts;
    this.timers = opts.timers;
  }

  private own(): number | null {
    return this.opts.clientId?.() ?? null;
  }

  /** Entries are keyed by client id and order id: order 5 of client 2 is not order 5 of client 1. */
  private key(orderId: number, clientId: number | null = this.own()): string {
    return `${clientId ?? 'own'}:${orderId}`;
  }

  private entry(orderId: number): Entry | undefined {
    return this.entries.get(this.key(orderId));
  }

  /** An event's entry: ours when its client id is ours (or unknown), else the other client's. */
  private entryOf(orderId: number, clientId: number): Entry | undefined {
    const own = this.own();
    return this.entries.get(own === null || clientId === own ? this.key(orderId) : this.key(orderId, clientId));
  }

  /** Registers an order we are about to send (or a what-if, which is never listed as a working order). */
  track(orderId: number, request: PlaceOrderRequest, lmtPrice: number | null, whatIf = false): void {
    const now = this.timers.now();
    const existing = this.entry(orderId);
    if (existing && !whatIf) {
      // A modify: remembered as pending; the order keeps the values TWS confirmed until it echoes these.
      existing.pending = { lmtPrice, request };
      existing.order.updatedAt = now;
      return;
    }
    this.entries.set(this.key(orderId), {
      order: { orderId, ticketId: request.ticketId, permId: null, status: 'PendingSubmit', filled: 0, remaining: request.quantity, avgFillPrice: null, acknowledged: false, stuck: false, lmtPrice, updatedAt: now },
      request,
      pending: null,
      ops: [],
      whatIf,
      clientId: this.own(),
    });
  }

  /**
   * After a restart: the request behind an order this client placed in an earlier session (adopted from TWS's
   * openOrder, so its terms were unknown), rebuilt from the journal so the order can be modified again. Only for an
   * acknowledged order of ours with no request yet; returns whether it was taken.
   */
  restoreRequest(orderId: number, request: PlaceOrderRequest): boolean {
    const e = this.entry(orderId);
    if (!e || e.whatIf || e.request !== null || !e.order.acknowledged) return false;
    e.request = request;
    if (!e.order.ticketId) e.order.ticketId = request.ticketId;
    return true;
  }

  requestOf(orderId: number): PlaceOrderRequest | null {
    return this.entry(orderId)?.request ?? null;
  }

  get(orderId: number): TrackedOrder | undefined {
    const e = this.entry(orderId);
    return e && !e.whatIf ? { ...e.order } : undefined;
  }

  isWhatIf(orderId: number): boolean {
    return this.entry(orderId)?.whatIf ?? false;
  }

  /** Whether this id is one of ours (this client). */
  has(orderId: number): boolean {
    return this.entries.has(this.key(orderId));
  }

  list(): TrackedOrder[] {
    return [...this.entries.values()].filter((e) => !e.whatIf).map((e) => ({ ...e.order, clientId: e.clientId }));
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
    const e = this.entry(orderId);
    if (!e) return Promise.reject(ours.invalidOrder(`Order ${orderId} is not known to SpreadDesk.`));
    return new Promise<T>((resolve, reject) => {
      const op: PendingOp = { kind, sentAt: null, timer: null, resolve: resolve as (v: unknown) => void, reject };
      if (kind === 'modify' && e.pending) op.want = { lmtPrice: e.pending.lmtPrice, quantity: e.pending.request.quantity, request: e.pending.request };
      e.ops.push(op);
    });
  }

  /** The call's message left the process. */
  sent(orderId: number, kind: OrderOpKind): void {
    const op = this.entry(orderId)?.ops.find((o) => o.kind === kind && o.sentAt === null);
    if (!op) return;
    op.sentAt = this.timers.now();
    op.timer = this.timers.setTimeout(() => void this.onTimeout(orderId, op), this.opts.ackTimeoutMs);
  }

  /** The call never left (pacer dropped it, encoder failed): reject it. */
  notSent(orderId: number, kind: OrderOpKind, error: unknown): void {
    const e = this.entry(orderId);
    const op = e?.ops.find((o) => o.kind === kind && o.sentAt === null);
    if (!e || !op) return;
    this.settle(e, op, () => op.reject(error));
    if (kind === 'modify') e.pending = null;
    if (kind === 'place' || kind === 'whatIf') this.entries.delete(this.key(orderId));
  }

  onOpenOrder(ev: OpenOrderEvent, whatIf: WhatIfResult | null): void {
    const e = this.entryOf(ev.orderId, ev.clientId);
    if (!e) {
      // Another client's order with an id we also use: tracked under its own key, never mixed with ours.
      if (this.own() !== null && ev.clientId !== this.own()) this.adopt(ev);
      return;
    }
    if (e.whatIf) {
      const op = e.ops.find((o) => o.kind === 'whatIf');
      if (op && whatIf) {
        this.settle(e, op, () => op.resolve(whatIf));
        this.entries.delete(this.key(ev.orderId));
      }
      return;
    }
    this.acknowledge(e, ev.permId || null, ev.status);
    e.order.lmtPrice = ev.lmtPrice ?? e.order.lmtPrice;
    this.settleAcks(e, ev);
  }

  /** An openOrder for an order placed by an earlier session (or another client): track it from TWS's view. */
  adopt(ev: OpenOrderEvent): void {
    const own = this.own();
    const k = own === null || ev.clientId === own ? this.key(ev.orderId) : this.key(ev.orderId, ev.clientId);
    if (this.entries.has(k)) return;
    this.entries.set(k, {
      order: { orderId: ev.orderId, ticketId: ev.orderRef ?? '', permId: ev.permId || null, status: ev.status, filled: 0, remaining: ev.totalQuantity, avgFillPrice: null, acknowledged: true, stuck: false, lmtPrice: ev.lmtPrice ?? null, updatedAt: this.timers.now() },
      request: null,
      pending: null,
      ops: [],
      whatIf: false,
      clientId: ev.clientId,
    });
  }

  onOrderStatus(ev: OrderStatusEvent): void {
    const e = this.entryOf(ev.orderId, ev.clientId);
    if (!e || e.whatIf) return;
    this.acknowledge(e, ev.permId || null, ev.status);
    e.order.filled = ev.filled;
    e.order.remaining = ev.remaining;
    e.order.avgFillPrice = ev.filled > 0 ? ev.avgFillPrice : null;
    this.settleAcks(e, null);
    if (ev.status === 'Cancelled' || ev.status === 'ApiCancelled') {
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.resolve(undefined));
    } else if (ev.status === 'Filled') {
      for (const op of e.ops.filter((o) => o.kind === 'cancel')) this.settle(e, op, () => op.reject(new CannotCancelError('cannot-cancel', { code: 10148, userMessage: 'The order filled before it could be cancelled.' })));
    }
    if (isTerminalStatus(ev.status)) {
      // The order is done: a pending modify can no longer apply; it resolves with the final state (not the new price).
      e.pending = null;
      for (const op of e.ops.filter((o) => o.kind === 'modify')) this.settle(e, op, () => op.resolve(this.placed(e)));
    }
  }

  /** An error TWS tied to this order id. Returns true when the id is one of ours. */
  onError(orderId: number, error: BrokerError): boolean {
    const e = this.entry(orderId);
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
    // A refused modify leaves the order at the price TWS last confirmed.
    if (failing.some((o) => o.kind === 'modify')) e.pending = null;
    if (e.whatIf) this.entries.delete(this.key(orderId));
    else if (!e.order.acknowledged) {
      e.order.status = 'Inactive';
      e.order.updatedAt = this.timers.now();
    }
    return true;
  }

  /** The connection dropped: what-ifs cannot complete; other calls keep waiting (their timeout will ask). */
  onDisconnect(): void {
    for (const [k, e] of [...this.entries]) {
      if (!e.whatIf) continue;
      for (const op of [...e.ops]) this.settle(e, op, () => op.reject(ours.disconnected('the what-if preview')));
      this.entries.delete(k);
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

  /**
   * A placement is acknowledged by any openOrder/orderStatus after its send. A modify only by an openOrder
   * after its send that carries the new limit and quantity: then the new request becomes the confirmed one.
   */
  private settleAcks(e: Entry, open: OpenOrderEvent | null): void {
    for (const op of e.ops.filter((o) => o.kind === 'place' && o.sentAt !== null)) this.settle(e, op, () => op.resolve(this.placed(e)));
    if (!open) return;
    for (const op of e.ops.filter((o) => o.kind === 'modify' && o.sentAt !== null)) {
      const want = op.want;
      if (want && (!samePrice(want.lmtPrice, open.lmtPrice) || want.quantity !== open.totalQuantity)) continue;
      if (want) {
        e.request = want.request;
        e.order.lmtPrice = want.lmtPrice;
        if (e.pending?.request === want.request) e.pending = null;
      }
      this.settle(e, op, () => op.resolve(this.placed(e)));
    }
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
    const e = this.entry(orderId);
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
      this.entries.delete(this.key(orderId));
      return;
    }
    if (op.kind === 'modify' && found.found === 'open') {
      // Asking TWS re-sent its openOrder; had it carried the new values, the modify would be settled by now.
      e.pending = null;
      this.settle(e, op, () => op.reject(new RequestTimeoutError('timeout', { code: null, reqId: orderId, userMessage: `TWS did not confirm the change of order ${orderId} within ${seconds} s; it still works at its previous price and quantity.` })));
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
