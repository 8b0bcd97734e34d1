// Journal exports: trades and executions as CSV (written atomically) and an online SQLite backup.
import type Database from 'better-sqlite3';
import { openSqlite, privateFiles } from '../sqlite';
import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { type CsvColumn, type TradeRecord, WEEKDAYS, microsToDecimalString as dec, toCsv } from '../../../core/journal';
import type { ExecutionExportRow } from './reads';

const iso = (t: number | null): string => (t === null ? '' : new Date(t).toISOString());
const decOrEmpty = (u: number | null): string => (u === null ? '' : dec(u));
/** Averages and ratios are not stored amounts; rounded for reading. */
const ratio = (x: number | null, places = 4): string => (x === null ? '' : x.toFixed(places));

export const TRADE_COLUMNS: readonly CsvColumn<TradeRecord>[] = [
  { header: 'spread_id', value: (t) => t.id },
  { header: 'underlying', value: (t) => t.underlying },
  { header: 'kind', value: (t) => t.kind },
  { header: 'expiry', value: (t) => t.expiry },
  { header: 'status', value: (t) => t.status },
  { header: 'opened_at', value: (t) => iso(t.openedAt) },
  { header: 'closed_at', value: (t) => iso(t.closedAt) },
  { header: 'quantity', value: (t) => t.quantity },
  { header: 'open_quantity', value: (t) => t.openQuantity },
  { header: 'entry_cash', value: (t) => dec(t.entryCashU) },
  { header: 'exit_cash', value: (t) => dec(t.exitCashU) },
  { header: 'gross_pnl', value: (t) => dec(t.grossPnlU) },
  { header: 'commissions', value: (t) => dec(t.commissionsU) },
  { header: 'net_pnl', value: (t) => dec(t.netPnlU) },
  { header: 'max_risk', value: (t) => decOrEmpty(t.maxRiskU) },
  { header: 'return_on_risk', value: (t) => ratio(t.returnOnRisk) },
  { header: 'holding_hours', value: (t) => (t.holdingMs === null ? '' : (t.holdingMs / 3_600_000).toFixed(2)) },
  { header: 'slippage_vs_mid', value: (t) => decOrEmpty(t.slippageU) },
  { header: 'price_steps', value: (t) => t.priceSteps },
  { header: 'pop_at_entry', value: (t) => ratio(t.popAtEntry) },
  { header: 'dte_at_entry', value: (t) => t.dteAtEntry },
  { header: 'entry_weekday', value: (t) => (t.weekday === null ? '' : WEEKDAYS[t.weekday]) },
  { header: 'tags', value: (t) => t.tags.join(' '), text: true },
  { header: 'note', value: (t) => t.note, text: true },
];

export const EXECUTION_COLUMNS: readonly CsvColumn<ExecutionExportRow>[] = [
  { header: 'exec_id', value: (r) => r.exec_id },
  { header: 'current', value: (r) => (r.replaced_by === null ? 'yes' : 'no') },
  { header: 'replaced_by', value: (r) => r.replaced_by },
  { header: 'time', value: (r) => iso(r.at) },
  { header: 'broker_time', value: (r) => r.exec_time },
  { header: 'account', value: (r) => r.account },
  { header: 'order_id', value: (r) => r.order_id },
  { header: 'perm_id', value: (r) => r.perm_id },
  { header: 'client_id', value: (r) => r.client_id },
  { header: 'order_ref', value: (r) => r.order_ref, text: true },
  { header: 'symbol', value: (r) => r.symbol },
  { header: 'sec_type', value: (r) => r.sec_type },
  { header: 'expiry', value: (r) => r.expiry },
  { header: 'strike', value: (r) => decOrEmpty(r.strike_u) },
  { header: 'right', value: (r) => r.right },
  { header: 'side', value: (r) => r.side },
  { header: 'quantity', value: (r) => dec(r.shares_u) },
  { header: 'price', value: (r) => dec(r.price_u) },
  { header: 'multiplier', value: (r) => r.multiplier },
  { header: 'commission', value: (r) => decOrEmpty(r.commission_u) },
  { header: 'currency', value: (r) => r.currency },
  { header: 'spread_id', value: (r) => r.spread_id },
  { header: 'role', value: (r) => r.role },
  { header: 'leg', value: (r) => r.leg },
];

export function tradesCsv(trades: readonly TradeRecord[]): string {
  return toCsv(trades, TRADE_COLUMNS);
}

export function executionsCsv(rows: readonly ExecutionExportRow[]): string {
  return toCsv(rows, EXECUTION_COLUMNS);
}

export interface BackupInfo {
  path: string;
  bytes: number;
  pages: number;
}

/**
 * Online backup with SQLite's backup API while the journal stays in use, then a quick_check of
 * the copy, so a backup that reports success can be restored.
 */
export async function backupTo(db: Database.Database, path: string): Promise<BackupInfo> {
  const tmp = `${path}.partial`;
  if (existsSync(tmp)) unlinkSync(tmp);
  const meta = await db.backup(tmp);
  const copy = openSqlite(tmp);
  try {
    // The copy inherits WAL mode; a backup is one self-contained file, with no -wal/-shm left beside it.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The backup copy failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
  privateFiles(tmp);
  renameSync(tmp, path);
  return { path, bytes: statSync(path).size, pages: meta.totalPages };
}
