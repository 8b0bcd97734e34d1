// The Journal's unfiltered overview: analytics, the whole equity curve and the newest trades, kept in one row (migration 0008).
//
// Opening the Journal or P&L tab asks for exactly this. Built from the trade records the first time and after any change
// (the table's triggers delete the row in the writer's transaction), then read as one row: a restart with 100k spreads
// does not read 100k records to paint the first screen. Filtered views still go through the records.
import type Database from 'better-sqlite3';
import { type Analytics, type TradeRecord, computeAnalytics } from '../../../core/journal';
import { TRADE_RECORD_VERSION } from './reads';

/** The newest trades kept by id: the Journal tab's first page (it asks for at most this many). */
export const OVERVIEW_PAGE = 5000;
/** The row's format: bump when Analytics or the page rule changes (an older row is rebuilt). */
const OVERVIEW_VERSION = TRADE_RECORD_VERSION * 1000 + 1;

export interface Overview {
  analytics: Analytics;
  /** Spread ids of the newest trades first (open by entry, closed by exit), at most OVERVIEW_PAGE. */
  newest: number[];
  total: number;
  openTrades: number;
}

/** Newest first: open trades by entry, closed ones by exit; ties by id, newest first. */
export const newestFirst = (a: TradeRecord, b: TradeRecord): number => (b.closedAt ?? b.openedAt ?? 0) - (a.closedAt ?? a.openedAt ?? 0) || b.id - a.id;

/** The last overview read on a connection, valid while the connection has written nothing and no other connection has either. */
const memo = new WeakMap<Database.Database, { changes: number; dataVersion: number; overview: Overview }>();

/** The stored overview, or one built from `trades()` (every record, current) and stored for the next open. */
export function readOverview(db: Database.Database, trades: () => TradeRecord[]): Overview {
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number;
  const dataVersion = db.pragma('data_version', { simple: true }) as number;
  const m = memo.get(db);
  if (m && m.changes === changes && m.dataVersion === dataVersion) return m.overview;
  const row = db.prepare('SELECT version, body FROM journal_overview WHERE id = 1').get() as { version: number; body: string } | undefined;
  let overview: Overview;
  if (row?.version === OVERVIEW_VERSION) overview = JSON.parse(row.body) as Overview;
  else {
    const all = trades();
    overview = {
      analytics: computeAnalytics(all),
      newest: [...all].sort(newestFirst).slice(0, OVERVIEW_PAGE).map((t) => t.id),
      total: all.length,
      openTrades: all.filter((t) => t.status === 'open' || t.status === 'broken').length,
    };
    // JSON has no Infinity or NaN: an overview holding one is not stored (it is rebuilt next time instead of read back wrong).
    let finite = true;
    const body = JSON.stringify(overview, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) finite = false;
      return v;
    });
    try {
      if (finite) db.prepare('INSERT OR REPLACE INTO journal_overview (id, version, body) VALUES (1, ?, ?)').run(OVERVIEW_VERSION, body);
    } catch {
      // A journal that cannot be written now (read-only, disk full) still answers; the overview is built again next time.
    }
  }
  memo.set(db, { changes: db.prepare('SELECT total_changes()').pluck().get() as number, dataVersion, overview });
  return overview;
}

/** Trade records by id from the stored records, in the order asked; null when one is missing (then read them the long way). */
export function readRecords(db: Database.Database, ids: readonly number[]): TradeRecord[] | null {
  // One primary-key lookup each: the first page is 5,000 rows of 100k, and an IN over a json_each list may scan the table.
  const get = db.prepare('SELECT record FROM trade_records WHERE spread_id = ? AND version = ?').pluck();
  const out: TradeRecord[] = [];
  for (const id of ids) {
    const text = get.get(id, TRADE_RECORD_VERSION) as string | undefined;
    if (text === undefined) return null;
    out.push(JSON.parse(text) as TradeRecord);
  }
  return out;
}
