// The journal's view of orders, executions and positions, and the pure rules that fold broker events into it.
//
// The SQLite journal implements exactly these rules with SQL; this in-memory model is their
// reference form. Reconciliation compares this view with the broker's, and the property tests run
// the same event streams through both and expect the same view.
import {
  type BrokerEvent,
  type ExecutionEvent,
  type OpenOrderEvent,
  type OrderStatusEvent,
  normaliseMultiplier,
  parseExecId,
} from '../broker/events';
import { type OrderFillState, mergeOpenOrderStatus, mergeOrderStatus } from './orderState';
import { toMicros, toMicrosOrNull } from './units';

export type OrderOrigin = 'app' | 'external' | 'unknown';

export interface JournalOrder {
  orderId: number;
  clientId: number;
  permId: number | null;
  orderRef: string | null;
  ticketId: string | null;
  origin: OrderOrigin;
  totalQtyU: number | null;
  state: OrderFillState;
}

export interface JournalExecution {
  execId: string;
  base: string;
  revision: number;
  /** The execId of the correction that replaced this one; null while current. */
  replacedBy: string | null;
  orderId: number;
  clientId: number;
  permId: number;
  account: string;
  conId: number;
  symbol: string;
  secType: string;
  side: 'BOT' | 'SLD';
  sharesU: number;
  priceU: number;
  multiplier: number;
}

/** A net position the journal implies for one contract: current fills plus adopted adjustments. */
export interface JournalPosition {
  account: string;
  conId: number;
  symbol: string;
  qtyU: number;
}

/**
 * What the journal believes: the input to reconciliation. Plain arrays so SQL can produce it.
 * A view may be partial where the broker cannot contradict it: it needs every working order, every
 * order and execution the broker mentions, the executions of working orders, and all positions.
 */
export interface JournalView {
  orders: JournalOrder[];
  /** Every stored revision of the base ids in scope. */
  executions: JournalExecution[];
  commissionExecIds: string[];
  /** Implied by all current single-contract executions plus adjustments; zero positions may be omitted. */
  positions: JournalPosition[];
  /** Ticket ids the app created: an orderRef equal to one of these marks an order as ours. */
  ticketIds: string[];
}

/** Mutable working form of a JournalView with the lookups the rules need. */
export interface JournalModel {
  orders: JournalOrder[];
  executions: Map<string, JournalExecution>;
  commissionExecIds: Set<string>;
  positions: Map<string, JournalPosition>;
  ticketIds: Set<string>;
}

export const positionKey = (account: string, conId: number): string => `${account}|${conId}`;

export function modelFromView(view: JournalView): JournalModel {
  return {
    orders: view.orders.map((o) => ({ ...o, state: { ...o.state } })),
    executions: new Map(view.executions.map((e) => [e.execId, { ...e }])),
    commissionExecIds: new Set(view.commissionExecIds),
    positions: new Map(view.positions.map((p) => [positionKey(p.account, p.conId), { ...p }])),
    ticketIds: new Set(view.ticketIds),
  };
}

export function viewFromModel(model: JournalModel): JournalView {
  return {
    orders: model.orders.map((o) => ({ ...o, state: { ...o.state } })),
    executions: [...model.executions.values()].map((e) => ({ ...e })),
    commissionExecIds: [...model.commissionExecIds],
    positions: [...model.positions.values()].filter((p) => p.qtyU !== 0).map((p) => ({ ...p })),
    ticketIds: [...model.ticketIds],
  };
}

export const emptyModel = (): JournalModel => ({
  orders: [],
  executions: new Map(),
  commissionExecIds: new Set(),
  positions: new Map(),
  ticketIds: new Set(),
});

/** Adds a signed quantity to the model's position in one contract. */
export function addPosition(model: JournalModel, account: string, conId: number, symbol: string, deltaU: number): void {
  const key = positionKey(account, conId);
  const p = model.positions.get(key);
  if (p) p.qtyU += deltaU;
  else model.positions.set(key, { account, conId, symbol, qtyU: deltaU });
}

/** The position change one execution stands for (a BAG line only summarises its legs). */
export function positionDelta(x: Pick<JournalExecution, 'secType' | 'side' | 'sharesU'>): number {
  if (x.secType === 'BAG') return 0;
  return x.side === 'BOT' ? x.sharesU : -x.sharesU;
}

/**
 * Finds the journal's order for a broker message: by permId first, then by the (clientId, orderId)
 * pair among orders whose permId is still unknown or equal (order ids can be reset in TWS, permIds not).
 */
export function findOrder<O extends { permId: number | null; clientId: number; orderId: number }>(
  orders: readonly O[],
  ref: { permId?: number | null; clientId: number; orderId: number },
): O | undefined {
  if (ref.permId) {
    const byPerm = orders.find((o) => o.permId === ref.permId);
    if (byPerm) return byPerm;
  }
  if (ref.orderId <= 0) return undefined; // manual TWS orders share orderId 0: only permId identifies them
  for (let i = orders.length - 1; i >= 0; i--) {
    const o = orders[i]!;
    if (o.clientId === ref.clientId && o.orderId === ref.orderId && (o.permId === null || !ref.permId || o.permId === ref.permId)) return o;
  }
  return undefined;
}

export function statusUpdateOf(e: OrderStatusEvent): OrderFillState {
  return {
    status: e.status,
    filledU: toMicros(e.filled),
    remainingU: toMicrosOrNull(e.remaining),
    avgFillU: toMicrosOrNull(e.avgFillPrice),
  };
}

/** Records the app's own order before it is sent (the write-ahead step). */
export function applySubmission(model: JournalModel, s: { ticketId: string; orderId: number; clientId: number; quantity: number }): JournalOrder {
  model.ticketIds.add(s.ticketId);
  const existing = findOrder(model.orders, { clientId: s.clientId, orderId: s.orderId });
  if (existing) return existing;
  const order: JournalOrder = {
    orderId: s.orderId,
    clientId: s.clientId,
    permId: null,
    orderRef: s.ticketId,
    ticketId: s.ticketId,
    origin: 'app',
    totalQtyU: toMicros(s.quantity),
    state: { status: 'PendingSubmit', filledU: 0, remainingU: toMicros(s.quantity), avgFillU: null },
  };
  model.orders.push(order);
  return order;
}

function applyOrderStatus(model: JournalModel, e: OrderStatusEvent): void {
  const order = findOrder(model.orders, e);
  if (order) {
    if (!order.permId && e.permId) order.permId = e.permId;
    order.state = mergeOrderStatus(order.state, statusUpdateOf(e));
    return;
  }
  model.orders.push({
    orderId: e.orderId,
    clientId: e.clientId,
    permId: e.permId || null,
    orderRef: null,
    ticketId: null,
    origin: 'unknown',
    totalQtyU: null,
    state: statusUpdateOf(e),
  });
}

function applyOpenOrder(model: JournalModel, e: OpenOrderEvent): void {
  const ticketId = e.orderRef && model.ticketIds.has(e.orderRef) ? e.orderRef : null;
  const order = findOrder(model.orders, e);
  if (order) {
    if (!order.permId && e.permId) order.permId = e.permId;
    if (e.orderRef && !order.orderRef) order.orderRef = e.orderRef;
    if (ticketId && !order.ticketId) order.ticketId = ticketId;
    if (order.origin === 'unknown') order.origin = ticketId ? 'app' : 'external';
    order.totalQtyU = toMicros(e.totalQuantity);
    order.state = mergeOpenOrderStatus(order.state, e.status);
    return;
  }
  model.orders.push({
    orderId: e.orderId,
    clientId: e.clientId,
    permId: e.permId || null,
    orderRef: e.orderRef ?? null,
    ticketId,
    origin: ticketId ? 'app' : 'external',
    totalQtyU: toMicros(e.totalQuantity),
    state: mergeOpenOrderStatus(null, e.status),
  });
}

export function executionRecordOf(e: ExecutionEvent): JournalExecution {
  const { base, revision } = parseExecId(e.execId);
  return {
    execId: e.execId,
    base,
    revision,
    replacedBy: null,
    orderId: e.orderId,
    clientId: e.clientId,
    permId: e.permId,
    account: e.acctNumber,
    conId: e.contract.conId,
    symbol: e.contract.symbol,
    secType: e.contract.secType,
    side: e.side,
    sharesU: toMicros(e.shares),
    priceU: toMicros(e.price),
    multiplier: normaliseMultiplier(e.contract.multiplier),
  };
}

/**
 * Adds an execution with correction handling: of all revisions of one base id, the highest is
 * current; the one it replaces points at it through `replacedBy` (kept, never deleted), and a late
 * lower revision arrives already pointing at the current one.
 * Returns the execId it replaced, if any, or 'duplicate'.
 */
export function applyExecution(model: JournalModel, e: ExecutionEvent): { replaced: string | null } | 'duplicate' {
  if (model.executions.has(e.execId)) return 'duplicate';
  // An execution also tells us the permId of an order we only knew by (clientId, orderId).
  const order = e.permId ? findOrder(model.orders, e) : undefined;
  if (order && !order.permId) order.permId = e.permId;
  const record = executionRecordOf(e);
  let current: JournalExecution | undefined;
  for (const x of model.executions.values()) if (x.base === record.base && x.replacedBy === null) current = x;
  if (current && current.revision > record.revision) {
    record.replacedBy = current.execId;
    model.executions.set(record.execId, record);
    return { replaced: null };
  }
  if (current) {
    current.replacedBy = record.execId;
    addPosition(model, current.account, current.conId, current.symbol, -positionDelta(current));
  }
  model.executions.set(record.execId, record);
  addPosition(model, record.account, record.conId, record.symbol, positionDelta(record));
  return { replaced: current?.execId ?? null };
}

/** Folds one broker event into the model; snapshot events (position, account, P&L) do not change this view. */
export function applyEvent(model: JournalModel, e: BrokerEvent): void {
  switch (e.type) {
    case 'orderStatus':
      applyOrderStatus(model, e);
      return;
    case 'openOrder':
      applyOpenOrder(model, e);
      return;
    case 'execution':
      applyExecution(model, e);
      return;
    case 'commissionReport':
      model.commissionExecIds.add(e.execId);
      return;
    case 'orderError':
    case 'position':
    case 'accountValue':
    case 'pnl':
      return;
  }
}

