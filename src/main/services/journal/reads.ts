// Reading the journal back: the reconciliation view, trade records for analytics, executions for export.
import type Database from 'better-sqlite3';
import type {
  BrokerView,
  JournalExecution,
  JournalOrder,
  JournalPosition,
  JournalView,
  SpreadFillRow,
  SpreadRow,
  TradeRecord,
} from '../../../core/journal';
import type { SpreadKind } from '../../../core/contract';
import { buildTrades } from '../../../core/journal';
import { parseExecId } from '../../../core/broker';
import type { BrokerLeg, OpenSpreadLegs } from '../../../core/portfolio/positions';
import type { OrderRow } from './ingest';

const TERMINAL_SQL = "('Filled', 'Cancelled', 'ApiCancelled', 'Inactive')";

interface ExecRow {
  exec_id: string;
  exec_base: string;
  revision: number;
  replaced_by: string | null;
  order_id: number;
  client_id: number;
  perm_id: number;
  account: string;
  con_id: number;
  symbol: string;
  sec_type: string;
  side: 'BOT' | 'SLD';
  shares_u: number;
  price_u: number;
  multiplier: number;
}

const orderOf = (r: OrderRow): JournalOrder => ({
  orderId: r.order_id,
  clientId: r.client_id,
  permId: r.perm_id,
  orderRef: r.order_ref,
  ticketId: r.ticket_id,
  origin: r.origin,
  totalQtyU: r.total_qty_u,
  state: { status: r.status, filledU: r.filled_u, remainingU: r.remaining_u, avgFillU: r.avg_fill_u },
});

const executionOf = (r: ExecRow): JournalExecution => ({
  execId: r.exec_id,
  base: r.exec_base,
  revision: r.revision,
  replacedBy: r.replaced_by,
  orderId: r.order_id,
  clientId: r.client_id,
  permId: r.perm_id,
  account: r.account,
  conId: r.con_id,
  symbol: r.symbol,
  secType: r.sec_type,
  side: r.side,
  sharesU: r.shares_u,
  priceU: r.price_u,
  multiplier: r.multiplier,
});

const EXEC_COLUMNS = 'exec_id, exec_base, revision, replaced_by, order_id, client_id, perm_id, account, con_id, symbol, sec_type, side, shares_u, price_u, multiplier';

function positions(db: Database.Database): JournalPosition[] {
  const rows = db
    .prepare(
      `SELECT account, con_id, MAX(symbol) AS symbol, SUM(q) AS qty_u FROM (
         SELECT account, con_id, symbol, CASE side WHEN 'BOT' THEN shares_u ELSE -shares_u END AS q
           FROM executions WHERE replaced_by IS NULL AND sec_type != 'BAG'
         UNION ALL
         SELECT account, con_id, symbol, delta_u FROM position_adjustments
       ) GROUP BY account, con_id HAVING SUM(q) != 0 ORDER BY account, con_id`,
    )
    .all() as { account: string; con_id: number; symbol: string; qty_u: number }[];
  return rows.map((r) => ({ account: r.account, conId: r.con_id, symbol: r.symbol, qtyU: r.qty_u }));
}

/** Everything the journal believes (tests and diagnostics). */
export function fullView(db: Database.Database): JournalView {
  return {
    orders: (db.prepare('SELECT * FROM orders ORDER BY id').all() as OrderRow[]).map(orderOf),
    executions: (db.prepare(`SELECT ${EXEC_COLUMNS} FROM executions ORDER BY exec_id`).all() as ExecRow[]).map(executionOf),
    commissionExecIds: db.prepare('SELECT exec_id FROM commissions ORDER BY exec_id').pluck().all() as string[],
    positions: positions(db),
    ticketIds: db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[],
  };
}

/**
 * The part of the journal a reconciliation with `broker` can contradict: working orders, orders
 * and executions the broker mentions, fills of working orders, and all positions.
 */
export function scopedView(db: Database.Database, broker: BrokerView): JournalView {
  const permIds = new Set<number>();
  const pairs = new Set<string>();
  for (const o of [...broker.openOrders, ...broker.orderStatuses]) {
    if (o.permId) permIds.add(o.permId);
    if (o.orderId > 0) pairs.add(`${o.clientId}:${o.orderId}`);
  }
  const orders = (
    db
      .prepare(
        `SELECT * FROM orders WHERE status NOT IN ${TERMINAL_SQL}
           OR perm_id IN (SELECT value FROM json_each(?))
           OR (order_id > 0 AND (client_id || ':' || order_id) IN (SELECT value FROM json_each(?)))
         ORDER BY id`,
      )
      .all(JSON.stringify([...permIds]), JSON.stringify([...pairs])) as OrderRow[]
  ).map(orderOf);

  const bases = new Set(broker.executions.map((e) => parseExecId(e.execId).base));
  const workingPerms = new Set<number>();
  const workingPairs = new Set<string>();
  for (const o of orders) {
    if (o.permId) workingPerms.add(o.permId);
    if (o.orderId > 0) workingPairs.add(`${o.clientId}:${o.orderId}`);
  }
  const executions = (
    db
      .prepare(
        `SELECT ${EXEC_COLUMNS} FROM executions
         WHERE exec_base IN (SELECT value FROM json_each(?))
            OR perm_id IN (SELECT value FROM json_each(?))
            OR (client_id || ':' || order_id) IN (SELECT value FROM json_each(?))
         ORDER BY exec_id`,
      )
      .all(JSON.stringify([...bases]), JSON.stringify([...workingPerms]), JSON.stringify([...workingPairs])) as ExecRow[]
  ).map(executionOf);

  const commissionExecIds = db
    .prepare('SELECT exec_id FROM commissions WHERE exec_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify(broker.commissions.map((c) => c.execId))) as string[];
  const refs = broker.openOrders.map((o) => o.orderRef).filter((r): r is string => !!r);
  const ticketIds = db.prepare('SELECT id FROM tickets WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(refs)) as string[];
  return { orders, executions, commissionExecIds, positions: positions(db), ticketIds };
}


/**
 * A correction (…01.02) that came without its own commission report keeps the fee reported for the
 * revision it replaced: the commission was charged once, for the fill, not per revision.
 */
const FEE_OF_EARLIER_REVISION = `(SELECT c2.commission_u FROM executions e2 JOIN commissions c2 ON c2.exec_id = e2.exec_id
  WHERE e2.exec_base = e.exec_base AND e2.exec_id != e.exec_id ORDER BY e2.revision DESC LIMIT 1)`;

type SpreadJoinRow = [
  id: number, underlying: string, kind: SpreadKind, right: 'C' | 'P', expiry: string, longStrikeU: number, shortStrikeU: number,
  multiplier: number, createdAt: number, ticketId: string | null, action: 'BUY' | 'SELL' | null, quantity: number | null,
  midU: number | null, pop: number | null, maxLossU: number | null, submissions: number, note: string | null,
];
type FillJoinRow = [
  spreadId: number, execId: string, role: 'open' | 'close', leg: 'long' | 'short' | 'bag' | 'other', side: 'BOT' | 'SLD',
  sharesU: number, priceU: number, multiplier: number, at: number, commissionU: number, order: string,
];

/**
 * Spreads and their current fills as plain rows, folded into trade records by core. With `ids`,
 * only those spreads (the journal refreshes its cache with this). Rows come back as arrays:
 * for 100k trades, building row objects costs more than the query.
 */
export function loadTrades(db: Database.Database, ids?: readonly number[]): TradeRecord[] {
  const only = ids ? 'WHERE s.id IN (SELECT value FROM json_each(?))' : '';
  const params = ids ? [JSON.stringify(ids)] : [];
  const spreads = db
    .prepare(
      `SELECT s.id, s.underlying, s.kind, s.right, s.expiry, s.long_strike_u, s.short_strike_u, s.multiplier, s.created_at,
              t.id, t.action, t.quantity, t.mid_u, t.pop_at_entry, t.max_loss_u,
              (SELECT count(*) FROM order_submissions os WHERE os.ticket_id = t.id),
              n.body
         FROM spread_positions s
         LEFT JOIN tickets t ON t.spread_id = s.id AND t.purpose = 'open'
         LEFT JOIN trade_notes n ON n.spread_id = s.id
         ${only}
        ORDER BY s.id`,
    )
    .raw(true)
    .all(...params) as SpreadJoinRow[];
  const tags = new Map<number, string[]>();
  const tagRows = db
    .prepare(`SELECT spread_id, tag FROM trade_tags ${ids ? 'WHERE spread_id IN (SELECT value FROM json_each(?))' : ''} ORDER BY spread_id, tag`)
    .raw(true)
    .all(...params) as [number, string][];
  for (const [spreadId, tag] of tagRows) {
    const list = tags.get(spreadId);
    if (list) list.push(tag);
    else tags.set(spreadId, [tag]);
  }
  const rows: SpreadRow[] = spreads.map(([id, underlying, kind, right, expiry, longStrikeU, shortStrikeU, multiplier, createdAt, ticketId, action, quantity, midU, pop, maxLossU, submissions, note]) => ({
    id,
    underlying,
    kind,
    right,
    expiry,
    longStrikeU,
    shortStrikeU,
    multiplier,
    createdAt,
    openTicket:
      ticketId && action && quantity !== null
        ? { id: ticketId, action, quantity, midU, popAtEntry: pop, maxLossU, priceSteps: Math.max(0, submissions - 1) }
        : null,
    note: note ?? '',
    tags: tags.get(id) ?? [],
  }));
  const fillRows = db
    .prepare(
      `SELECT se.spread_id, e.exec_id, se.role, se.leg, e.side, e.shares_u, e.price_u, e.multiplier, e.at,
              COALESCE(c.commission_u, CASE WHEN e.revision > 0 THEN ${FEE_OF_EARLIER_REVISION} END, 0),
              CASE WHEN e.perm_id != 0 THEN 'p' || e.perm_id ELSE 'c' || e.client_id || ':' || e.order_id END
         FROM spread_executions se
         JOIN executions e ON e.exec_id = se.exec_id AND e.replaced_by IS NULL
         LEFT JOIN commissions c ON c.exec_id = e.exec_id
         ${ids ? 'WHERE se.spread_id IN (SELECT value FROM json_each(?))' : ''}`,
    )
    .raw(true)
    .all(...params) as FillJoinRow[];
  const fills = fillRows.map(
    ([spreadId, execId, role, leg, side, sharesU, priceU, multiplier, at, commissionU, order]): SpreadFillRow => ({ spreadId, execId, role, leg, side, sharesU, priceU, multiplier, at, commissionU, order }),
  );
  return buildTrades(rows, fills);
}

export interface ExecutionExportRow {
  exec_id: string;
  exec_base: string;
  revision: number;
  replaced_by: string | null;
  at: number;
  exec_time: string;
  account: string;
  order_id: number;
  perm_id: number;
  client_id: number;
  order_ref: string | null;
  symbol: string;
  sec_type: string;
  expiry: string | null;
  strike_u: number | null;
  right: string | null;
  side: string;
  shares_u: number;
  price_u: number;
  multiplier: number;
  commission_u: number | null;
  currency: string | null;
  spread_id: number | null;
  role: string | null;
  leg: string | null;
}

export function loadExecutionsForExport(db: Database.Database): ExecutionExportRow[] {
  return db
    .prepare(
      `SELECT e.exec_id, e.exec_base, e.revision, e.replaced_by, e.at, e.exec_time, e.account, e.order_id, e.perm_id, e.client_id, e.order_ref,
              e.symbol, e.sec_type, e.expiry, e.strike_u, e.right, e.side, e.shares_u, e.price_u, e.multiplier,
              c.commission_u, c.currency, se.spread_id, se.role, se.leg
         FROM executions e
         LEFT JOIN commissions c ON c.exec_id = e.exec_id
         LEFT JOIN spread_executions se ON se.exec_id = e.exec_id
        ORDER BY e.at, e.exec_id`,
    )
    .all() as ExecutionExportRow[];
}

/** The format of a stored trade record; bump it whenever buildTrade's output changes meaning. */
export const TRADE_RECORD_VERSION = 1;

/** Writes trade records to the store (one transaction). */
export function storeTrades(db: Database.Database, trades: readonly TradeRecord[]): void {
  if (trades.length === 0) return;
  const put = db.prepare('INSERT OR REPLACE INTO trade_records (spread_id, version, record) VALUES (?, ?, ?)');
  // The records are a cache folded from the fills (a lost one is rebuilt at the next open), so their commit skips the
  // fsync that FULL would add: it sat on the order path (the risk check reads trades) at ~5 ms a submit. WAL with
  // NORMAL stays consistent after a crash; the next FULL commit syncs these frames anyway.
  const was = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    db.transaction(() => {
      for (const t of trades) put.run(t.id, TRADE_RECORD_VERSION, JSON.stringify(t));
    })();
  } finally {
    db.pragma(`synchronous = ${was}`);
  }
}

/**
 * Every trade record: the stored ones as they are, the rest (new, changed, or from an older
 * format) folded from their fills and stored for the next open.
 */
export function loadStoredTrades(db: Database.Database): Map<number, TradeRecord> {
  const out = new Map<number, TradeRecord>();
  // One JSON.parse per record: V8 parses same-shaped objects faster than positional arrays (measured on 100k records).
  const texts = db.prepare('SELECT record FROM trade_records WHERE version = ?').pluck().all(TRADE_RECORD_VERSION) as string[];
  for (const text of texts) {
    const t = JSON.parse(text) as TradeRecord;
    out.set(t.id, t);
  }
  // Every spread has its record (the usual case after a restart): no need to look for the missing ones.
  const spreads = db.prepare('SELECT count(*) FROM spread_positions').pluck().get() as number;
  if (spreads === out.size) return out;
  const missing = db.prepare('SELECT id FROM spread_positions WHERE id NOT IN (SELECT spread_id FROM trade_records WHERE version = ?)').pluck().all(TRADE_RECORD_VERSION) as number[];
  if (missing.length === 0) return out;
  const fresh = missing.length === out.size + missing.length ? loadTrades(db) : loadTrades(db, missing);
  for (const t of fresh) out.set(t.id, t);
  storeTrades(db, fresh);
  return out;
}

/** Open spreads with each leg's open units, and the broker's last reported positions: the input to positions-as-spreads. */
export function loadHoldings(db: Database.Database): { spreads: OpenSpreadLegs[]; broker: BrokerLeg[] } {
  const spreads = db
    .prepare(
      `SELECT s.id AS spreadId, s.account, s.long_con_id AS longConId, s.short_con_id AS shortConId,
              COALESCE(SUM(CASE WHEN se.leg = 'long' THEN (CASE e.side WHEN 'BOT' THEN e.shares_u ELSE -e.shares_u END) END), 0) AS longOpenU,
              COALESCE(SUM(CASE WHEN se.leg = 'short' THEN (CASE e.side WHEN 'SLD' THEN e.shares_u ELSE -e.shares_u END) END), 0) AS shortOpenU
         FROM spread_positions s
         JOIN spread_executions se ON se.spread_id = s.id
         JOIN executions e ON e.exec_id = se.exec_id AND e.replaced_by IS NULL
        WHERE s.status IN ('open', 'broken')
        GROUP BY s.id ORDER BY s.id`,
    )
    .all() as OpenSpreadLegs[];
  const broker = db.prepare('SELECT account, con_id AS conId, symbol, position_u AS qtyU FROM broker_positions WHERE position_u != 0 ORDER BY account, con_id').all() as BrokerLeg[];
  return { spreads: spreads.map((x) => ({ ...x, longOpenU: Math.max(0, x.longOpenU), shortOpenU: Math.max(0, x.shortOpenU) })), broker };
}
