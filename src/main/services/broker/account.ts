// Account: summary values, positions, open orders and executions (each a single-flight request where TWS allows
// only one at a time), and reference-counted P&L streams that survive reconnects.
import type { ExecutionFilter } from '@stoqey/ib';
import type { AccountValueEvent, CommissionReportEvent, ExecutionEvent, OpenOrderEvent, OrderStatusEvent, PnlEvent, PositionEvent } from '../../../core/broker/events';
import { ExecutionBook } from './executions';
import * as map from './mapping';
import type { Session } from './session';
import type { BrokerViewSnapshot, ExecutionQuery, ExecutionsResult, Lease, OpenOrdersResult, PnlSingle } from './types';
import { safe } from './wire';

interface PnlSub {
  key: string;
  account: string;
  conId: number | null;
  reqId: number | null;
  listeners: Set<(v: PnlEvent | PnlSingle) => void>;
}

const SUMMARY_TAGS = ['NetLiquidation', 'TotalCashValue', 'BuyingPower', 'AvailableFunds', 'ExcessLiquidity', 'InitMarginReq', 'MaintMarginReq', 'GrossPositionValue', 'EquityWithLoanValue'];

export class Account {
  readonly execBook = new ExecutionBook<ExecutionEvent>();
  private readonly pnlSubs = new Map<string, PnlSub>();
  private readonly pnlByReqId = new Map<number, PnlSub>();
  private openOrdersFlight: { reqId: number; promise: Promise<OpenOrdersResult>; openOrders: OpenOrderEvent[]; statuses: OrderStatusEvent[] } | null = null;
  private positionsFlight: { reqId: number; promise: Promise<PositionEvent[]>; rows: PositionEvent[] } | null = null;
  private readonly execCollectors = new Map<number, { executions: ExecutionEvent[]; execIds: Set<string>; commissions: CommissionReportEvent[] }>();

  constructor(private readonly session: Session) {}

  // ——— lifecycle (session hooks) ———

  /** Re-request every P&L stream (after a handshake; `again` cancels the old request first, after 1101). */
  requestAllPnl(again = false): void {
    for (const sub of this.pnlSubs.values()) this.requestPnl(sub, again);
  }

  cancelAllPnlAtTws(): void {
    for (const sub of this.pnlSubs.values()) this.cancelPnlAtTws(sub);
  }

  /** Shutdown: cancel every P&L stream and forget the subscribers. */
  closeAll(): void {
    this.cancelAllPnlAtTws();
    this.pnlSubs.clear();
  }

  dropped(): void {
    this.execCollectors.clear();
    this.openOrdersFlight = null;
    this.positionsFlight = null;
    for (const sub of this.pnlSubs.values()) sub.reqId = null;
    this.pnlByReqId.clear();
  }

  /** After a reconnect: ask for open orders and today's executions, so nothing that happened meanwhile is missed. */
  async resync(): Promise<void> {
    try {
      await Promise.all([this.openOrders(), this.executions({})]);
    } catch (e) {
      this.session.log?.warn({ err: e }, 'resync after reconnect failed');
    }
  }

  // ——— inbound (called by the handler map) ———

  isPnlRequest(reqId: number): boolean {
    return this.pnlByReqId.has(reqId);
  }

  openOrderSeen(ev: OpenOrderEvent): void {
    this.openOrdersFlight?.openOrders.push(ev);
  }

  orderStatusSeen(ev: OrderStatusEvent): void {
    this.openOrdersFlight?.statuses.push(ev);
  }

  openOrdersEnded(): void {
    if (this.openOrdersFlight) this.session.registry.end(this.openOrdersFlight.reqId);
  }

  /** An execution: collected for the request that asked, emitted once (replays dropped, corrections counted). */
  execution(reqId: number, ev: ExecutionEvent): void {
    const collector = this.execCollectors.get(reqId);
    if (collector) {
      collector.executions.push(ev);
      collector.execIds.add(ev.execId);
    }
    const verdict = this.execBook.apply(ev.execId, ev);
    if (verdict === 'replay' || verdict === 'stale') {
      this.session.counters.replays++;
      return;
    }
    if (verdict === 'correction') this.session.counters.corrections++;
    this.session.emitEvent(ev);
  }

  commission(ev: CommissionReportEvent): void {
    for (const c of this.execCollectors.values()) if (c.execIds.has(ev.execId)) c.commissions.push(ev);
    if (this.execBook.applyCommission(ev.execId)) this.session.emitEvent(ev);
  }

  position(ev: PositionEvent): void {
    this.positionsFlight?.rows.push(ev);
    this.session.emitEvent(ev);
  }

  positionsEnded(): void {
    if (this.positionsFlight) this.session.registry.end(this.positionsFlight.reqId);
  }

  pnl(reqId: number, daily: number, unrealized: number | undefined, realized: number | undefined): void {
    const sub = this.pnlByReqId.get(reqId);
    if (!sub || sub.conId !== null) return;
    const ev = map.pnlEvent(sub.account, daily, unrealized, realized, this.session.timers.now());
    if (!ev) return;
    for (const l of sub.listeners) safe(() => l(ev));
    this.session.emitEvent(ev);
  }

  pnlSingle(reqId: number, pos: number, daily: number, unrealized: number | undefined, realized: number | undefined, value: number): void {
    const sub = this.pnlByReqId.get(reqId);
    if (!sub || sub.conId === null) return;
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e300 ? v : null);
    const row: PnlSingle = { account: sub.account, conId: sub.conId, position: n(pos), dailyPnL: n(daily), unrealizedPnL: n(unrealized), realizedPnL: n(realized), value: n(value), receivedAt: this.session.timers.now() };
    for (const l of sub.listeners) safe(() => l(row));
  }

  // ——— requests ———

  accountSummary(tags: string[] = SUMMARY_TAGS): Promise<AccountValueEvent[]> {
    let id = -1;
    return this.session.request<AccountValueEvent, AccountValueEvent[]>(
      'accountSummary',
      'quote',
      'the account summary',
      (api, reqId) => {
        id = reqId;
        api.reqAccountSummary(reqId, 'All', tags.join(','));
      },
      (rows) => {
        // One-shot: TWS allows two summary subscriptions at a time, so ours never stays open.
        if (id >= 0) this.session.send('quote', 'cancelAccountSummary', (api) => api.cancelAccountSummary(id)).promise.catch(() => undefined);
        return rows;
      },
    );
  }

  positions(): Promise<PositionEvent[]> {
    if (this.positionsFlight) return this.positionsFlight.promise;
    this.session.requireConnected();
    const reqId = this.session.registry.nextId();
    const flight = { reqId, rows: [] as PositionEvent[], promise: null as unknown as Promise<PositionEvent[]> };
    flight.promise = this.session.request<never, PositionEvent[]>(
      'positions',
      'quote',
      'the positions',
      (api) => api.reqPositions(),
      () => {
        this.session.send('quote', 'cancelPositions', (api) => api.cancelPositions()).promise.catch(() => undefined);
        return flight.rows;
      },
      { reqId },
    ).finally(() => {
      if (this.positionsFlight === flight) this.positionsFlight = null;
    });
    this.positionsFlight = flight;
    return flight.promise;
  }

  openOrders(): Promise<OpenOrdersResult> {
    if (this.openOrdersFlight) return this.openOrdersFlight.promise;
    this.session.requireConnected();
    const reqId = this.session.registry.nextId();
    const flight = { reqId, openOrders: [] as OpenOrderEvent[], statuses: [] as OrderStatusEvent[], promise: null as unknown as Promise<OpenOrdersResult> };
    flight.promise = this.session.request<never, OpenOrdersResult>('openOrders', 'quote', 'the open orders', (api) => api.reqOpenOrders(), () => ({ openOrders: flight.openOrders, orderStatuses: flight.statuses }), { reqId }).finally(() => {
      if (this.openOrdersFlight === flight) this.openOrdersFlight = null;
    });
    this.openOrdersFlight = flight;
    return flight.promise;
  }

  executions(query: ExecutionQuery = {}): Promise<ExecutionsResult> {
    const filter: ExecutionFilter = {};
    if (query.onlyThisClient && this.session.target) filter.clientId = String(this.session.target.clientId);
    if (query.account) filter.acctCode = query.account;
    if (query.time) filter.time = query.time;
    if (query.symbol) filter.symbol = query.symbol;
    if (query.secType) filter.secType = query.secType as never;
    if (query.side) filter.side = query.side;
    this.session.requireConnected();
    const reqId = this.session.registry.nextId();
    const collector = { executions: [] as ExecutionEvent[], execIds: new Set<string>(), commissions: [] as CommissionReportEvent[] };
    this.execCollectors.set(reqId, collector);
    return this.session.request<never, ExecutionsResult>('executions', 'quote', 'the executions', (api, id) => api.reqExecutions(id, filter), () => ({ executions: collector.executions, commissions: collector.commissions }), { reqId }).finally(() =>
      this.execCollectors.delete(reqId),
    );
  }

  async brokerView(): Promise<BrokerViewSnapshot> {
    const [orders, execs, positions] = await Promise.all([this.openOrders(), this.executions({}), this.positions()]);
    return { ...orders, ...execs, positions };
  }

  subscribePnl(account: string, listener: (pnl: PnlEvent) => void): Lease {
    return this.pnlLease(`pnl|${account}`, account, null, listener as (v: PnlEvent | PnlSingle) => void);
  }

  subscribePnlSingle(account: string, conId: number, listener: (pnl: PnlSingle) => void): Lease {
    return this.pnlLease(`pnls|${account}|${conId}`, account, conId, listener as (v: PnlEvent | PnlSingle) => void);
  }

  private pnlLease(key: string, account: string, conId: number | null, listener: (v: PnlEvent | PnlSingle) => void): Lease {
    let sub = this.pnlSubs.get(key);
    if (!sub) {
      sub = { key, account, conId, reqId: null, listeners: new Set() };
      this.pnlSubs.set(key, sub);
      if (this.session.isReady()) this.requestPnl(sub);
    }
    const s = sub;
    s.listeners.add(listener);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        s.listeners.delete(listener);
        if (s.listeners.size === 0 && this.pnlSubs.get(key) === s) {
          this.pnlSubs.delete(key);
          this.cancelPnlAtTws(s);
        }
      },
    };
  }

  private requestPnl(sub: PnlSub, again = false): void {
    if (again) this.cancelPnlAtTws(sub);
    const reqId = this.session.registry.nextId();
    sub.reqId = reqId;
    this.pnlByReqId.set(reqId, sub);
    const job = sub.conId === null ? this.session.send('quote', 'reqPnL', (api) => api.reqPnL(reqId, sub.account, '')) : this.session.send('quote', 'reqPnLSingle', (api) => api.reqPnLSingle(reqId, sub.account, '', sub.conId as number));
    job.promise.catch(() => undefined);
  }

  private cancelPnlAtTws(sub: PnlSub): void {
    const id = sub.reqId;
    if (id === null) return;
    sub.reqId = null;
    this.pnlByReqId.delete(id);
    const job = sub.conId === null ? this.session.send('order', 'cancelPnL', (api) => api.cancelPnL(id)) : this.session.send('order', 'cancelPnLSingle', (api) => api.cancelPnLSingle(id));
    job.promise.catch(() => undefined);
  }
}
