// Reconciliation: the typed difference between the journal and the broker's truth, and the repairs that close it.
//
// Pure: the service gathers the broker's open orders, executions, commissions and positions, reads
// the journal's view, calls `reconcile`, and applies the repairs in one transaction. The broker
// wins wherever it speaks: its executions, its open orders, its positions. Executions the broker no
// longer reports (it keeps only recent days) are not a difference.
import {
  type CommissionReportEvent,
  type ExecutionEvent,
  type OpenOrderEvent,
  type OrderStatusEvent,
  type PositionEvent,
  isTerminalStatus,
  orderKey,
  parseExecId,
} from '../broker/events';
import {
  type JournalExecution,
  type JournalModel,
  type JournalOrder,
  type JournalView,
  applyEvent,
  addPosition,
  findOrder,
  modelFromView,
  positionKey,
} from './model';
import { toMicros } from './units';

/** What the broker says now (reqOpenOrders, reqExecutions with commissions, reqPositions). */
export interface BrokerView {
  openOrders: OpenOrderEvent[];
  orderStatuses: OrderStatusEvent[];
  executions: ExecutionEvent[];
  commissions: CommissionReportEvent[];
  positions: PositionEvent[];
}

export interface OrderSnapshot {
  status: string;
  filledU: number;
}

export type ReconDiff =
  /** The broker reports a fill the journal never stored (or only an older revision of it). */
  | { kind: 'missingExecution'; execId: string; orderKey: string; orderRef: string | null; replaces: string | null }
  | { kind: 'missingCommission'; execId: string }
  /** A working order the journal knows, in a different state than the broker's. */
  | { kind: 'orderStateChanged'; orderKey: string; orderRef: string | null; journal: OrderSnapshot; broker: OrderSnapshot }
  /** A working order carrying one of our ticket ids that the journal never linked (crash after send). */
  | { kind: 'untrackedAppOrder'; orderKey: string; orderRef: string; broker: OrderSnapshot }
  /** A working order placed outside the app (TWS, another client, the mobile app). */
  | { kind: 'externalOrder'; orderKey: string; orderRef: string | null; symbol: string; broker: OrderSnapshot }
  /** The journal thinks an order is working; the broker no longer lists it. */
  | { kind: 'orderNoLongerOpen'; orderKey: string; orderRef: string | null; journal: OrderSnapshot; inferred: OrderSnapshot }
  /** After the missing fills, the journal's position still differs from the broker's. */
  | { kind: 'positionMismatch'; account: string; conId: number; symbol: string; journalU: number; brokerU: number };

export type ReconRepair =
  | { kind: 'ingestExecution'; event: ExecutionEvent }
  | { kind: 'ingestCommission'; event: CommissionReportEvent }
  | { kind: 'ingestOpenOrder'; event: OpenOrderEvent; status: OrderStatusEvent | null }
  | { kind: 'setOrderState'; orderKey: string; permId: number | null; clientId: number; orderId: number; status: string; filledU: number; reason: string }
  | { kind: 'adjustPosition'; account: string; conId: number; symbol: string; deltaU: number; reason: string };

export interface ReconReport {
  clean: boolean;
  diffs: ReconDiff[];
  repairs: ReconRepair[];
  counts: Record<ReconDiff['kind'], number>;
}

/** Combo units filled according to executions: BAG-level fills when present, else the fullest leg. */
export function filledFromExecutions(executions: readonly Pick<JournalExecution, 'conId' | 'secType' | 'sharesU'>[]): number {
  let bag = 0;
  let hasBag = false;
  const perLeg = new Map<number, number>();
  for (const x of executions) {
    if (x.secType === 'BAG') {
      hasBag = true;
      bag += x.sharesU;
    } else perLeg.set(x.conId, (perLeg.get(x.conId) ?? 0) + x.sharesU);
  }
  if (hasBag) return bag;
  let max = 0;
  for (const v of perLeg.values()) max = Math.max(max, v);
  return max;
}

function belongsTo(order: Pick<JournalOrder, 'permId' | 'clientId' | 'orderId'>, x: Pick<JournalExecution, 'permId' | 'clientId' | 'orderId'>): boolean {
  if (order.permId && x.permId) return order.permId === x.permId;
  return order.orderId > 0 && order.clientId === x.clientId && order.orderId === x.orderId;
}

const emptyCounts = (): ReconReport['counts'] => ({
  missingExecution: 0,
  missingCommission: 0,
  orderStateChanged: 0,
  untrackedAppOrder: 0,
  externalOrder: 0,
  orderNoLongerOpen: 0,
  positionMismatch: 0,
});

export function reconcile(view: JournalView, broker: BrokerView): ReconReport {
  const diffs: ReconDiff[] = [];
  const repairs: ReconRepair[] = [];
  const ticketIds = new Set(view.ticketIds);

  // 1. Executions: the broker's current revision of each base id must be in the journal.
  const journalRevision = new Map<string, number>();
  for (const x of view.executions) journalRevision.set(x.base, Math.max(journalRevision.get(x.base) ?? -1, x.revision));
  const journalExecIds = new Set(view.executions.map((x) => x.execId));
  const brokerLatest = new Map<string, ExecutionEvent>();
  for (const e of broker.executions) {
    const { base, revision } = parseExecId(e.execId);
    const seen = brokerLatest.get(base);
    if (!seen || parseExecId(seen.execId).revision < revision) brokerLatest.set(base, e);
  }
  for (const [base, e] of brokerLatest) {
    if (journalExecIds.has(e.execId)) continue;
    const { revision } = parseExecId(e.execId);
    const known = journalRevision.get(base);
    if (known !== undefined && known > revision) continue; // the journal already holds a later correction
    const replaced = known === undefined ? null : view.executions.find((x) => x.base === base && x.replacedBy === null)?.execId ?? null;
    diffs.push({ kind: 'missingExecution', execId: e.execId, orderKey: orderKey(e), orderRef: e.orderRef ?? null, replaces: replaced });
    repairs.push({ kind: 'ingestExecution', event: e });
  }

  // 2. Commissions.
  const journalCommissions = new Set(view.commissionExecIds);
  const seenCommission = new Set<string>();
  for (const c of broker.commissions) {
    if (journalCommissions.has(c.execId) || seenCommission.has(c.execId)) continue;
    seenCommission.add(c.execId);
    diffs.push({ kind: 'missingCommission', execId: c.execId });
    repairs.push({ kind: 'ingestCommission', event: c });
  }

  // The journal's executions once the missing ones are in: the basis for fills and positions.
  const model: JournalModel = modelFromView(view);
  for (const r of repairs) if (r.kind === 'ingestExecution') applyEvent(model, r.event);
  const currentExecutions = [...model.executions.values()].filter((x) => x.replacedBy === null);

  // 3. Working orders: match each broker open order to the journal's order.
  const statusByKey = new Map<string, OrderStatusEvent>();
  for (const s of broker.orderStatuses) {
    const key = orderKey(s);
    const prev = statusByKey.get(key);
    if (!prev || toMicros(s.filled) >= toMicros(prev.filled)) statusByKey.set(key, s);
  }
  const matchedJournal = new Set<JournalOrder>();
  for (const o of broker.openOrders) {
    const key = orderKey(o);
    const status = statusByKey.get(key) ?? null;
    const brokerState: OrderSnapshot = { status: status?.status ?? o.status, filledU: status ? toMicros(status.filled) : 0 };
    const jo = findOrder(view.orders, o);
    if (!jo) {
      if (o.orderRef && ticketIds.has(o.orderRef)) diffs.push({ kind: 'untrackedAppOrder', orderKey: key, orderRef: o.orderRef, broker: brokerState });
      else diffs.push({ kind: 'externalOrder', orderKey: key, orderRef: o.orderRef ?? null, symbol: o.contract.symbol, broker: brokerState });
      repairs.push({ kind: 'ingestOpenOrder', event: o, status });
      repairs.push({ kind: 'setOrderState', orderKey: key, permId: o.permId || null, clientId: o.clientId, orderId: o.orderId, status: brokerState.status, filledU: brokerState.filledU, reason: 'working at the broker' });
      continue;
    }
    matchedJournal.add(jo);
    // The open-order list can predate a fill that the executions (asked for after it) already show: the order filled
    // between the two answers. Executions are the record of fills, so the broker's state is never taken as less filled
    // than they are — else the journal would be moved back from Filled to Submitted, and the next comparison (the order
    // no longer open) would differ again and keep trading halted. Found by the order-flow crash trials.
    const executedU = filledFromExecutions(currentExecutions.filter((x) => belongsTo(jo, x)));
    if (executedU > brokerState.filledU) {
      brokerState.filledU = executedU;
      if (jo.totalQtyU !== null && executedU >= jo.totalQtyU) brokerState.status = 'Filled';
    }
    const linkMissing = !jo.permId || (!!o.orderRef && !jo.orderRef);
    const stateDiffers = jo.state.status !== brokerState.status || jo.state.filledU !== brokerState.filledU;
    if (stateDiffers) {
      diffs.push({ kind: 'orderStateChanged', orderKey: key, orderRef: jo.orderRef ?? o.orderRef ?? null, journal: { status: jo.state.status, filledU: jo.state.filledU }, broker: brokerState });
    }
    if (linkMissing) repairs.push({ kind: 'ingestOpenOrder', event: o, status });
    if (stateDiffers) {
      repairs.push({ kind: 'setOrderState', orderKey: key, permId: o.permId || null, clientId: o.clientId, orderId: o.orderId, status: brokerState.status, filledU: brokerState.filledU, reason: 'broker state differs' });
    }
  }

  // 4. Orders the journal thinks are working that the broker no longer lists: they ended while we
  //    were away. Their fills come from executions; without a full fill they count as cancelled.
  for (const jo of view.orders) {
    if (matchedJournal.has(jo) || isTerminalStatus(jo.state.status)) continue;
    const fromExecutions = filledFromExecutions(currentExecutions.filter((x) => belongsTo(jo, x)));
    const filledU = Math.max(fromExecutions, jo.state.filledU);
    const complete = filledU > 0 && (jo.totalQtyU === null || filledU >= jo.totalQtyU);
    const inferred: OrderSnapshot = { status: complete ? 'Filled' : 'Cancelled', filledU };
    const key = orderKey(jo);
    diffs.push({ kind: 'orderNoLongerOpen', orderKey: key, orderRef: jo.orderRef, journal: { status: jo.state.status, filledU: jo.state.filledU }, inferred });
    repairs.push({
      kind: 'setOrderState',
      orderKey: key,
      permId: jo.permId,
      clientId: jo.clientId,
      orderId: jo.orderId,
      status: inferred.status,
      filledU,
      reason: complete ? 'not working at the broker; executions show it filled' : 'not working at the broker; ended unfilled or part-filled (cancelled, rejected or never sent)',
    });
  }

  // 5. Positions, after the missing executions: whatever still differs is adopted from the broker
  //    (positions opened before the journal existed, fills older than the broker reports).
  const brokerPositions = new Map<string, { account: string; conId: number; symbol: string; u: number }>();
  for (const p of broker.positions) {
    brokerPositions.set(positionKey(p.account, p.contract.conId), { account: p.account, conId: p.contract.conId, symbol: p.contract.symbol, u: toMicros(p.position) });
  }
  const keys = new Set([...model.positions.keys(), ...brokerPositions.keys()]);
  for (const key of [...keys].sort()) {
    const j = model.positions.get(key);
    const b = brokerPositions.get(key);
    const journalU = j?.qtyU ?? 0;
    const brokerU = b?.u ?? 0;
    if (journalU === brokerU) continue;
    const account = (b ?? j)!.account;
    const conId = (b ?? j)!.conId;
    const symbol = b?.symbol ?? j?.symbol ?? '';
    diffs.push({ kind: 'positionMismatch', account, conId, symbol, journalU, brokerU });
    repairs.push({ kind: 'adjustPosition', account, conId, symbol, deltaU: brokerU - journalU, reason: 'adopted the broker position' });
  }

  const counts = emptyCounts();
  for (const d of diffs) counts[d.kind]++;
  // Repairs run in this order: fills, then order rows, then states, then positions.
  const rank: Record<ReconRepair['kind'], number> = { ingestExecution: 0, ingestCommission: 1, ingestOpenOrder: 2, setOrderState: 3, adjustPosition: 4 };
  repairs.sort((a, b) => rank[a.kind] - rank[b.kind]);
  return { clean: diffs.length === 0, diffs, repairs, counts };
}

/** Sets an order to the broker's state, bypassing the merge rules (the broker's word is final here). */
export function forceOrderState(order: JournalOrder, status: string, filledU: number): void {
  order.state = { ...order.state, status, filledU };
}

/** Applies repairs to the in-memory model: the reference for what the service does in SQL. */
export function applyRepairs(model: JournalModel, repairs: readonly ReconRepair[]): void {
  for (const r of repairs) {
    switch (r.kind) {
      case 'ingestExecution':
      case 'ingestCommission':
        applyEvent(model, r.event);
        break;
      case 'ingestOpenOrder':
        applyEvent(model, r.event);
        if (r.status) applyEvent(model, r.status);
        break;
      case 'setOrderState': {
        const order = findOrder(model.orders, r);
        if (order) forceOrderState(order, r.status, r.filledU);
        break;
      }
      case 'adjustPosition':
        addPosition(model, r.account, r.conId, r.symbol, r.deltaU);
        break;
    }
  }
}

