// Broker event ingestion: each event folded into the journal's tables by the core rules, idempotently.
//
// Callers wrap calls in a transaction (Journal does: one per event, or one per batch). The event
// log's unique key makes a repeated message a no-op before anything else is touched.
import type Database from 'better-sqlite3';
import { type OrderFillState, executionRecordOf, mergeOpenOrderStatus, mergeOrderStatus, statusUpdateOf, toMicros, toMicrosOrNull } from '../../../core/journal';
import { type BrokerEvent, type CommissionReportEvent, type ExecutionEvent, type OpenOrderEvent, type OrderErrorEvent, type OrderStatusEvent, brokerEventKey, normaliseMultiplier, normaliseRight } from '../../../core/broker';
import { nyDate, parseTwsTime } from '../../../core/market';
import { type FillSource, type FillTerms, type SpreadLink, SpreadLinker, type TicketLink } from './links';

export type EventSource = 'live' | 'reconcile';
export type IngestOutcome = 'stored' | 'duplicate';

export interface OrderRow {
  id: number;
  ticket_id: string | null;
  origin: 'app' | 'external' | 'unknown';
  order_ref: string | null;
  order_id: number;
  client_id: number;
  perm_id: number | null;
  total_qty_u: number | null;
  status: string;
  filled_u: number;
  remaining_u: number | null;
  avg_fill_u: number | null;
}


interface SpreadAgg {
  n: number;
  long_net: number | null;
  short_net: number | null;
  opened_at: number | null;
  last_at: number | null;
}

/** Synthetic fills the journal writes itself carry their source in the exchange field (`SYN.` ids). */
export const SYNTHETIC_PREFIX = 'SYN.';
function outsideSource(e: ExecutionEvent): Exclude<FillSource, 'ticket'> {
  if (!e.execId.startsWith(SYNTHETIC_PREFIX)) return 'external';
  const x = (e.exchange ?? '').toLowerCase();
  return x === 'assignment' || x === 'exercise' ? x : 'expiry';
}
const hasMultiplier = (m: number | string | undefined): boolean => m !== undefined && m !== '' && Number.isFinite(Number(m)) && Number(m) >= 1;

const stateOf = (r: OrderRow): OrderFillState => ({ status: r.status, filledU: r.filled_u, remainingU: r.remaining_u, avgFillU: r.avg_fill_u });

/** Parsed fields the event log keeps beside the raw payload. */
interface EventColumns {
  orderId?: number;
  clientId?: number;
  permId?: number | null;
  orderRef?: string | null;
  execId?: string;
  status?: string;
  filledU?: number;
  remainingU?: number | null;
  priceU?: number | null;
  errorCode?: number;
}

const ORDER_COLUMNS = 'id, ticket_id, origin, order_ref, order_id, client_id, perm_id, total_qty_u, status, filled_u, remaining_u, avg_fill_u';

export class Ingestor {
  private readonly s;
  private readonly linker: SpreadLinker;

  constructor(
    private readonly db: Database.Database,
    private readonly sessionId: () => number | null,
    /** Told about every spread whose fills changed, so cached trade records can be refreshed. */
    private readonly spreadChanged: (spreadId: number) => void = () => {},
  ) {
    this.linker = new SpreadLinker(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      // Hot statements bind positionally: named binding costs more than the insert itself.
      logEvent: p(`INSERT OR IGNORE INTO order_events
        (event_key, type, source, session_id, received_at, order_id, client_id, perm_id, order_ref, exec_id, status, filled_u, remaining_u, price_u, error_code, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      orderByPerm: p(`SELECT ${ORDER_COLUMNS} FROM orders WHERE perm_id = ?`),
      orderByClientOrder: p(`SELECT ${ORDER_COLUMNS} FROM orders WHERE client_id = ? AND order_id = ? AND (perm_id IS NULL OR ? = 0 OR perm_id = ?) ORDER BY id DESC LIMIT 1`),
      insertOrder: p(`INSERT INTO orders
        (ticket_id, origin, order_ref, order_id, client_id, perm_id, account, action, order_type, symbol, sec_type, total_qty_u, limit_u, status, filled_u, remaining_u, avg_fill_u, created_at, updated_at)
        VALUES (@ticket_id, @origin, @order_ref, @order_id, @client_id, @perm_id, @account, @action, @order_type, @symbol, @sec_type, @total_qty_u, @limit_u, @status, @filled_u, @remaining_u, @avg_fill_u, @at, @at)`),
      updateOrderState: p(`UPDATE orders SET status = ?, filled_u = ?, remaining_u = ?, avg_fill_u = ?, perm_id = COALESCE(perm_id, ?), updated_at = ? WHERE id = ?`),
      updateOrderFromOpen: p(`UPDATE orders SET
        perm_id = COALESCE(perm_id, @perm_id), order_ref = COALESCE(order_ref, @order_ref), ticket_id = COALESCE(ticket_id, @ticket_id),
        origin = CASE WHEN origin = 'unknown' THEN @origin ELSE origin END, account = COALESCE(@account, account),
        action = @action, order_type = @order_type, symbol = @symbol, sec_type = @sec_type, total_qty_u = @total_qty_u,
        limit_u = COALESCE(@limit_u, limit_u), status = @status, filled_u = @filled_u, remaining_u = @remaining_u, avg_fill_u = @avg_fill_u, updated_at = @at
        WHERE id = @id`),
      setOrderPerm: p('UPDATE orders SET perm_id = ?, updated_at = ? WHERE id = ? AND perm_id IS NULL'),
      updateOrderError: p('UPDATE orders SET last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ?'),
      ticketExists: p('SELECT 1 FROM tickets WHERE id = ?').pluck(),
      ticketLink: p(`SELECT t.id, t.spread_id, t.purpose, t.action, s.multiplier, s.right, s.expiry, s.long_con_id, s.short_con_id, s.long_strike_u, s.short_strike_u
        FROM tickets t JOIN spread_positions s ON s.id = t.spread_id WHERE t.id = ?`),
      currentExec: p('SELECT exec_id, revision FROM executions WHERE exec_base = ? AND replaced_by IS NULL'),
      supersede: p('UPDATE executions SET replaced_by = ? WHERE exec_id = ?'),
      insertExec: p(`INSERT INTO executions
        (exec_id, exec_base, revision, replaced_by, order_id, client_id, perm_id, order_ref, account, con_id, symbol, sec_type, expiry, strike_u, right, multiplier,
         exchange, side, shares_u, price_u, cum_qty_u, avg_price_u, exec_time, at, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      linkExec: p('INSERT OR IGNORE INTO spread_executions (exec_id, spread_id, ticket_id, role, leg, source) VALUES (?, ?, ?, ?, ?, ?)'),
      linkOf: p(`SELECT se.spread_id AS spreadId, se.ticket_id AS ticketId, se.role, se.leg, se.source, s.multiplier
        FROM spread_executions se JOIN spread_positions s ON s.id = se.spread_id WHERE se.exec_id = ?`),
      spreadsOfBase: p(`SELECT DISTINCT se.spread_id FROM spread_executions se JOIN executions e ON e.exec_id = se.exec_id
        WHERE e.exec_base = (SELECT exec_base FROM executions WHERE exec_id = ?)`).pluck(),
      spreadAgg: p(`SELECT count(*) AS n,
          SUM(CASE WHEN se.leg = 'long' THEN (CASE e.side WHEN 'BOT' THEN e.shares_u ELSE -e.shares_u END) ELSE 0 END) AS long_net,
          SUM(CASE WHEN se.leg = 'short' THEN (CASE e.side WHEN 'SLD' THEN e.shares_u ELSE -e.shares_u END) ELSE 0 END) AS short_net,
          MIN(CASE WHEN se.role = 'open' THEN e.at END) AS opened_at,
          MAX(e.at) AS last_at
        FROM spread_executions se JOIN executions e ON e.exec_id = se.exec_id AND e.replaced_by IS NULL
        WHERE se.spread_id = ? AND se.leg != 'bag'`),
      updateSpread: p('UPDATE spread_positions SET status = ?, open_qty_u = ?, opened_at = ?, closed_at = ? WHERE id = ?'),
      insertCommission: p('INSERT OR IGNORE INTO commissions (exec_id, commission_u, currency, realized_pnl_u, received_at) VALUES (?, ?, ?, ?, ?)'),
      upsertPosition: p(`INSERT INTO broker_positions (account, con_id, symbol, sec_type, expiry, strike_u, right, multiplier, position_u, avg_cost_u, updated_at)
        VALUES (@account, @con_id, @symbol, @sec_type, @expiry, @strike_u, @right, @multiplier, @position_u, @avg_cost_u, @at)
        ON CONFLICT (account, con_id) DO UPDATE SET position_u = excluded.position_u, avg_cost_u = excluded.avg_cost_u, updated_at = excluded.updated_at
        WHERE broker_positions.position_u != excluded.position_u OR broker_positions.avg_cost_u IS NOT excluded.avg_cost_u`),
      upsertAccountValue: p(`INSERT INTO account_snapshots (account, day, tag, currency, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, day, tag, currency) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        WHERE account_snapshots.value != excluded.value`),
      upsertPnl: p(`INSERT INTO daily_pnl (account, day, daily_u, unrealized_u, realized_u, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, day) DO UPDATE SET daily_u = excluded.daily_u, unrealized_u = excluded.unrealized_u, realized_u = excluded.realized_u, updated_at = excluded.updated_at
        WHERE daily_pnl.daily_u != excluded.daily_u OR daily_pnl.unrealized_u IS NOT excluded.unrealized_u OR daily_pnl.realized_u IS NOT excluded.realized_u`),
    };
  }

  /** Folds one event into the journal. Call inside a transaction. */
  ingest(e: BrokerEvent, source: EventSource): IngestOutcome {
    switch (e.type) {
      case 'orderStatus':
        return this.orderStatus(e, source);
      case 'openOrder':
        return this.openOrder(e, source);
      case 'execution':
        return this.execution(e, source);
      case 'commissionReport':
        return this.commission(e, source);
      case 'orderError':
        return this.orderError(e, source);
      case 'position': {
        const c = e.contract;
        const changes = this.s.upsertPosition.run({
          account: e.account, con_id: c.conId, symbol: c.symbol, sec_type: c.secType, expiry: c.lastTradeDateOrContractMonth || null,
          strike_u: toMicrosOrNull(c.strike), right: normaliseRight(c.right), multiplier: normaliseMultiplier(c.multiplier),
          position_u: toMicros(e.position), avg_cost_u: toMicrosOrNull(e.avgCost), at: e.receivedAt,
        }).changes;
        return changes > 0 ? 'stored' : 'duplicate';
      }
      case 'accountValue': {
        const changes = this.s.upsertAccountValue.run(e.account, nyDate(e.receivedAt), e.key, e.currency, e.value, e.receivedAt).changes;
        return changes > 0 ? 'stored' : 'duplicate';
      }
      case 'pnl': {
        const changes = this.s.upsertPnl.run(e.account, nyDate(e.receivedAt), toMicros(e.dailyPnL), toMicrosOrNull(e.unrealizedPnL), toMicrosOrNull(e.realizedPnL), e.receivedAt).changes;
        return changes > 0 ? 'stored' : 'duplicate';
      }
    }
  }

  /** Appends to the event log; false when this exact event is already there. */
  private log(e: BrokerEvent, source: EventSource, c: EventColumns): boolean {
    return (
      this.s.logEvent.run(
        brokerEventKey(e), e.type, source, this.sessionId(), e.receivedAt,
        c.orderId ?? null, c.clientId ?? null, c.permId ?? null, c.orderRef ?? null, c.execId ?? null,
        c.status ?? null, c.filledU ?? null, c.remainingU ?? null, c.priceU ?? null, c.errorCode ?? null,
        JSON.stringify(e),
      ).changes === 1
    );
  }

  findOrder(ref: { permId?: number | null; clientId: number; orderId: number }): OrderRow | undefined {
    if (ref.permId) {
      const byPerm = this.s.orderByPerm.get(ref.permId) as OrderRow | undefined;
      if (byPerm) return byPerm;
    }
    if (ref.orderId <= 0) return undefined;
    const perm = ref.permId ?? 0;
    return this.s.orderByClientOrder.get(ref.clientId, ref.orderId, perm, perm) as OrderRow | undefined;
  }

  private orderStatus(e: OrderStatusEvent, source: EventSource): IngestOutcome {
    const update = statusUpdateOf(e);
    if (!this.log(e, source, { orderId: e.orderId, clientId: e.clientId, permId: e.permId || null, status: e.status, filledU: update.filledU, remainingU: update.remainingU, priceU: update.avgFillU })) {
      return 'duplicate';
    }
    const row = this.findOrder(e);
    if (row) {
      const merged = mergeOrderStatus(stateOf(row), update);
      this.s.updateOrderState.run(merged.status, merged.filledU, merged.remainingU, merged.avgFillU, e.permId || null, e.receivedAt, row.id);
    } else {
      this.s.insertOrder.run({
        ticket_id: null, origin: 'unknown', order_ref: null, order_id: e.orderId, client_id: e.clientId, perm_id: e.permId || null,
        account: null, action: null, order_type: null, symbol: null, sec_type: null, total_qty_u: null, limit_u: null,
        status: update.status, filled_u: update.filledU, remaining_u: update.remainingU, avg_fill_u: update.avgFillU, at: e.receivedAt,
      });
    }
    return 'stored';
  }

  private openOrder(e: OpenOrderEvent, source: EventSource): IngestOutcome {
    const limitU = toMicrosOrNull(e.lmtPrice);
    if (!this.log(e, source, { orderId: e.orderId, clientId: e.clientId, permId: e.permId || null, orderRef: e.orderRef ?? null, status: e.status, priceU: limitU })) {
      return 'duplicate';
    }
    const ticketId = e.orderRef && this.s.ticketExists.get(e.orderRef) ? e.orderRef : null;
    const row = this.findOrder(e);
    const state = mergeOpenOrderStatus(row ? stateOf(row) : null, e.status);
    const fields = {
      perm_id: e.permId || null, order_ref: e.orderRef ?? null, ticket_id: ticketId, origin: ticketId ? 'app' : 'external',
      account: e.account ?? null, action: e.action, order_type: e.orderType, symbol: e.contract.symbol, sec_type: e.contract.secType,
      total_qty_u: toMicros(e.totalQuantity), limit_u: limitU,
      status: state.status, filled_u: state.filledU, remaining_u: state.remainingU, avg_fill_u: state.avgFillU, at: e.receivedAt,
    };
    if (row) this.s.updateOrderFromOpen.run({ ...fields, id: row.id });
    else this.s.insertOrder.run({ ...fields, order_id: e.orderId, client_id: e.clientId });
    return 'stored';
  }

  private execution(e: ExecutionEvent, source: EventSource): IngestOutcome {
    const rec = executionRecordOf(e);
    if (!this.log(e, source, { orderId: e.orderId, clientId: e.clientId, permId: e.permId || null, orderRef: e.orderRef ?? null, execId: e.execId, filledU: rec.sharesU, priceU: rec.priceU })) {
      return 'duplicate';
    }
    // An execution also tells us the permId of an order we only knew by (clientId, orderId).
    const order = this.findOrder(e);
    if (order && order.perm_id === null && e.permId) this.s.setOrderPerm.run(e.permId, e.receivedAt, order.id);
    const current = this.s.currentExec.get(rec.base) as { exec_id: string; revision: number } | undefined;
    let replacedBy: string | null = null;
    if (current && current.revision > rec.revision) replacedBy = current.exec_id; // a late original after its correction
    else if (current) this.s.supersede.run(rec.execId, current.exec_id);
    const c = e.contract;
    const terms: FillTerms = {
      conId: c.conId, secType: c.secType, symbol: c.symbol.toUpperCase(), account: e.acctNumber, side: e.side,
      strikeU: toMicrosOrNull(c.strike), right: normaliseRight(c.right), expiry: c.lastTradeDateOrContractMonth || null,
    };
    // A correction belongs where the fill it replaces belonged (its spread may have closed since).
    const previous = current && replacedBy === null ? (this.s.linkOf.get(current.exec_id) as SpreadLink | undefined) : undefined;
    const ticket = previous ? undefined : this.ticketFor(e, order);
    const link: SpreadLink | null = previous ?? (ticket ? this.linker.forTicket(ticket, terms, e.receivedAt) : this.linker.forOutside(terms, outsideSource(e)));
    // A fill without a multiplier is not ×1: the spread's multiplier, else an equity option's 100.
    const multiplier = hasMultiplier(c.multiplier) || c.secType !== 'OPT' ? rec.multiplier : (link?.multiplier ?? 100);
    this.s.insertExec.run(
      rec.execId, rec.base, rec.revision, replacedBy, e.orderId, e.clientId, e.permId, e.orderRef ?? null, e.acctNumber,
      c.conId, c.symbol, c.secType, terms.expiry, terms.strikeU, terms.right, multiplier,
      e.exchange ?? null, e.side, rec.sharesU, rec.priceU, toMicrosOrNull(e.cumQty), toMicrosOrNull(e.avgPrice), e.time,
      parseTwsTime(e.time) ?? e.receivedAt, e.receivedAt,
    );
    if (link) {
      this.s.linkExec.run(rec.execId, link.spreadId, link.ticketId, link.role, link.leg, link.source);
      this.refreshSpread(link.spreadId);
    }
    return 'stored';
  }

  /** The ticket an execution belongs to: by its orderRef, else through the order row. */
  private ticketFor(e: ExecutionEvent, order: OrderRow | undefined): TicketLink | undefined {
    if (e.orderRef) {
      const byRef = this.s.ticketLink.get(e.orderRef) as TicketLink | undefined;
      if (byRef) return byRef;
    }
    return order?.ticket_id ? (this.s.ticketLink.get(order.ticket_id) as TicketLink | undefined) : undefined;
  }

  /** Rewrites a spread's derived state from its current executions (same rule as core buildTrade). */
  refreshSpread(spreadId: number): void {
    const a = this.s.spreadAgg.get(spreadId) as SpreadAgg;
    const longNet = a.long_net ?? 0;
    const shortNet = a.short_net ?? 0;
    const status = a.n === 0 ? 'pending' : longNet === 0 && shortNet === 0 ? 'closed' : longNet !== shortNet ? 'broken' : 'open';
    const openQty = Math.max(Math.abs(longNet), Math.abs(shortNet));
    this.s.updateSpread.run(status, openQty, a.opened_at, status === 'closed' ? a.last_at : null, spreadId);
    this.spreadChanged(spreadId);
  }

  private commission(e: CommissionReportEvent, source: EventSource): IngestOutcome {
    const commissionU = toMicros(e.commission);
    if (!this.log(e, source, { execId: e.execId, priceU: commissionU })) return 'duplicate';
    this.s.insertCommission.run(e.execId, commissionU, e.currency, toMicrosOrNull(e.realizedPNL), e.receivedAt);
    // A commission that arrives after its fill (always, with TWS; and from reconciliation) changes
    // the spread's P&L: its cached trade record must be rebuilt.
    for (const spreadId of this.s.spreadsOfBase.all(e.execId) as number[]) this.spreadChanged(spreadId);
    return 'stored';
  }

  private orderError(e: OrderErrorEvent, source: EventSource): IngestOutcome {
    if (!this.log(e, source, { orderId: e.orderId, clientId: e.clientId, errorCode: e.code })) return 'duplicate';
    const row = this.findOrder(e);
    if (row) this.s.updateOrderError.run(e.code, e.message, e.receivedAt, row.id);
    return 'stored';
  }
}
