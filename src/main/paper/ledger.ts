// The paper account's state in memory (orders, executions, positions, cash, ids), mirrored to the books store.
import { applyFill, type BookPosition } from '../../core/sim/books';
import { hashString } from '../../core/sim/rng';
import { type Micros, toDollars, toMicros } from '../../core/spreads';
import type { BooksStore } from './store';
import type { WireContract, WireOrder } from './wire/types';

export type OrderStatus = 'PendingSubmit' | 'PreSubmitted' | 'Submitted' | 'PendingCancel' | 'Filled' | 'Cancelled' | 'Inactive';

export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(['PendingSubmit', 'PreSubmitted', 'Submitted']);

export interface OrderRec {
  permId: number;
  clientId: number;
  orderId: number;
  contract: WireContract;
  order: WireOrder;
  status: OrderStatus;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Per-leg cumulative quantity and average price (BAG orders), index-aligned with contract.comboLegs. */
  legFilled: number[];
  legAvg: number[];
  triggered: boolean;
  whyHeld: string;
  /** Commission already charged and the order's variable commission so far (per-order minimum bookkeeping). */
  commissionCharged: number;
  commissionVariable: number;
  /** Trading day the order was placed (DAY orders end with its session). */
  day: number;
  createdAt: number;
  lastEvalAt: number;
}

export interface ExecRec {
  execId: string;
  seq: number;
  permId: number;
  clientId: number;
  orderId: number;
  contract: WireContract;
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  time: number;
  day: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
  exchange: string;
  /** Dollars; realized is null when the execution closed nothing. */
  commission: number;
  realized: number | null;
  lastLiquidity: number;
  isCombo: boolean;
}

export interface PositionRec extends BookPosition {
  contract: WireContract;
  /** Realized P&L of this contract on `realizedDay` (dollars). */
  realizedToday: number;
  realizedDay: number;
}

/** Everything the account knows, with each change written through to SQLite before it is announced. */
export class Ledger {
  cash: Micros;
  readonly startingCash: number;
  readonly orders = new Map<number, OrderRec>();
  readonly byClient = new Map<number, Map<number, OrderRec>>();
  readonly executions: ExecRec[] = [];
  readonly positions = new Map<number, PositionRec>();
  readonly maxOrderId = new Map<number, number>();
  /** Realized P&L per trading day (dollars). */
  readonly realizedByDay = new Map<number, number>();
  nextPermId: number;
  execSeq: number;
  readonly execPrefix: string;
  readonly meta: Map<string, string>;

  constructor(
    readonly store: BooksStore,
    readonly accountId: string,
    startingCash: number,
  ) {
    const s = store.load();
    this.meta = s.meta;
    const storedAccount = s.meta.get('account');
    if (storedAccount && storedAccount !== accountId) throw new Error(`The books file belongs to account ${storedAccount}, not ${accountId}`);
    this.startingCash = Number(s.meta.get('starting_cash') ?? startingCash);
    this.cash = (s.meta.has('cash') ? Number(s.meta.get('cash')) : toMicros(this.startingCash)) as Micros;
    this.nextPermId = Number(s.meta.get('next_perm_id') ?? 1_000_001);
    this.execSeq = Number(s.meta.get('exec_seq') ?? 0);
    for (const [k, v] of s.meta) if (k.startsWith('realized:')) this.realizedByDay.set(Number(k.slice(9)), Number(v));
    for (const [c, id] of s.clientIds) this.maxOrderId.set(c, id);
    for (const body of s.orders) this.indexOrder(JSON.parse(body) as OrderRec);
    for (const body of s.executions) this.executions.push(JSON.parse(body) as ExecRec);
    for (const body of s.positions) {
      const p = JSON.parse(body) as PositionRec;
      this.positions.set(p.conId, p);
    }
    this.execPrefix = (hashString(accountId) >>> 0).toString(16).padStart(8, '0');
    if (!storedAccount) {
      store.tx(() => {
        store.setMeta('account', accountId);
        store.setMeta('starting_cash', String(this.startingCash));
        store.setMeta('cash', String(this.cash));
      });
    }
  }

  private indexOrder(o: OrderRec): void {
    this.orders.set(o.permId, o);
    const m = this.byClient.get(o.clientId) ?? new Map<number, OrderRec>();
    m.set(o.orderId, o);
    this.byClient.set(o.clientId, m);
  }

  /** The next order id TWS would announce to a client. */
  nextValidId(clientId: number): number {
    return (this.maxOrderId.get(clientId) ?? 0) + 1;
  }

  useOrderId(clientId: number, orderId: number): void {
    if (orderId > (this.maxOrderId.get(clientId) ?? 0)) {
      this.maxOrderId.set(clientId, orderId);
      this.store.useOrderId(clientId, orderId);
    }
  }

  order(clientId: number, orderId: number): OrderRec | undefined {
    return this.byClient.get(clientId)?.get(orderId);
  }

  allocatePermId(): number {
    const id = this.nextPermId++;
    this.store.setMeta('next_perm_id', String(this.nextPermId));
    return id;
  }

  saveOrder(o: OrderRec): void {
    this.indexOrder(o);
    this.store.saveOrder(o.permId, o.clientId, o.orderId, o.status, JSON.stringify(o));
  }

  openOrders(): OrderRec[] {
    return [...this.orders.values()].filter((o) => OPEN_STATUSES.has(o.status));
  }

  /** A new execution id: account prefix, sequence, then ".01.01" (a correction would bump the last part). */
  newExecId(): { execId: string; seq: number } {
    this.execSeq++;
    this.store.setMeta('exec_seq', String(this.execSeq));
    return { execId: `${this.execPrefix}.${this.execSeq.toString(16).padStart(8, '0')}.01.01`, seq: this.execSeq };
  }

  /**
   * Books one execution: position, cash and realized P&L move together. Returns the realized part (dollars)
   * or null. The caller wraps related writes in one store transaction.
   */
  book(conId: number, contract: WireContract, side: 'BUY' | 'SELL', qty: number, price: number, multiplier: number, commission: Micros, day: number): number | null {
    const pos = this.positions.get(conId) ?? null;
    const eff = applyFill(pos, conId, side, qty, price, multiplier, commission);
    this.cash = (this.cash + eff.cashDelta) as Micros;
    this.store.setMeta('cash', String(this.cash));
    const realized = eff.realized === null ? null : toDollars(eff.realized);
    if (realized !== null) {
      const r = (this.realizedByDay.get(day) ?? 0) + realized;
      this.realizedByDay.set(day, Math.round(r * 1e6) / 1e6);
      this.store.setMeta(`realized:${day}`, String(this.realizedByDay.get(day)));
    }
    if (!eff.position) {
      this.positions.delete(conId);
      this.store.savePosition(conId, null);
    } else {
      const prevToday = pos && (pos as PositionRec).realizedDay === day ? (pos as PositionRec).realizedToday : 0;
      const rec: PositionRec = { ...eff.position, contract, realizedToday: prevToday + (realized ?? 0), realizedDay: day };
      this.positions.set(conId, rec);
      this.store.savePosition(conId, JSON.stringify(rec));
    }
    return realized;
  }

  saveExecution(e: ExecRec): void {
    this.executions.push(e);
    this.store.saveExecution(e.execId, e.seq, e.permId, e.day, JSON.stringify(e));
    // The simulated clock must not run back behind a booked execution after a restart.
    this.store.setMeta('sim_time', String(e.time));
  }

  realizedOn(day: number): number {
    return this.realizedByDay.get(day) ?? 0;
  }

  get cashDollars(): number {
    return toDollars(this.cash);
  }
}
