// The journal's side of the portfolio: open spreads with their terms, spreads closed since a time, and exit rules with their audit trail.
import type Database from 'better-sqlite3';
import type { SpreadKind } from '../../../core/contract';
import type { ExitKind } from '../../../core/portfolio/exits';
import type { TradeRecord } from '../../../core/journal';
import { loadHoldings, loadTrades } from './reads';
import type { OpenSpreadLegs } from '../../../core/portfolio/positions';

export interface OpenSpreadTerms {
  spreadId: number;
  account: string | null;
  underlying: string;
  kind: SpreadKind;
  right: 'C' | 'P';
  expiry: string;
  longStrikeU: number;
  shortStrikeU: number;
  multiplier: number;
  longConId: number | null;
  shortConId: number | null;
  status: 'open' | 'broken';
}

export interface OpenBook {
  spreads: Array<{ terms: OpenSpreadTerms; legs: OpenSpreadLegs; trade: TradeRecord }>;
}

/** Every open (or broken) spread with its terms, each leg's open units, and its trade record, fresh from the database. */
export function loadOpenBook(db: Database.Database): OpenBook {
  const terms = db
    .prepare(
      `SELECT id AS spreadId, account, underlying, kind, right, expiry, long_strike_u AS longStrikeU, short_strike_u AS shortStrikeU,
              multiplier, long_con_id AS longConId, short_con_id AS shortConId, status
         FROM spread_positions WHERE status IN ('open', 'broken') ORDER BY id`,
    )
    .all() as OpenSpreadTerms[];
  if (terms.length === 0) return { spreads: [] };
  const legs = new Map(loadHoldings(db).spreads.map((l) => [l.spreadId, l]));
  const trades = new Map(loadTrades(db, terms.map((t) => t.spreadId)).map((t) => [t.id, t]));
  const spreads: OpenBook['spreads'] = [];
  for (const t of terms) {
    const l = legs.get(t.spreadId);
    const trade = trades.get(t.spreadId);
    if (l && trade) spreads.push({ terms: t, legs: l, trade });
  }
  return { spreads };
}

/** Trade records of spreads closed at or after `since` (epoch ms). */
export function loadClosedSince(db: Database.Database, since: number): TradeRecord[] {
  const ids = db.prepare("SELECT id FROM spread_positions WHERE status = 'closed' AND closed_at >= ?").pluck().all(since) as number[];
  return ids.length === 0 ? [] : loadTrades(db, ids);
}

export interface StoredExit {
  spreadId: number;
  rules: unknown;
  peakU: number | null;
  firedKind: ExitKind | null;
  firedAt: number | null;
  firedMessage: string | null;
  orderId: number | null;
}

export function loadExits(db: Database.Database): Map<number, StoredExit> {
  const rows = db
    .prepare('SELECT spread_id AS spreadId, rules, peak_u AS peakU, fired_kind AS firedKind, fired_at AS firedAt, fired_message AS firedMessage, order_id AS orderId FROM exit_rules')
    .all() as (Omit<StoredExit, 'rules'> & { rules: string })[];
  return new Map(rows.map((r) => [r.spreadId, { ...r, rules: JSON.parse(r.rules) as unknown }]));
}

/** Sets (replaces) a spread's rules and re-arms them; false when the journal has no such spread. */
export function saveExit(db: Database.Database, spreadId: number, rules: unknown, at: number): boolean {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM spread_positions WHERE id = ?').get(spreadId)) return false;
    db.prepare(
      `INSERT INTO exit_rules (spread_id, rules, peak_u, fired_kind, fired_at, fired_message, order_id, updated_at) VALUES (?, ?, NULL, NULL, NULL, NULL, NULL, ?)
       ON CONFLICT (spread_id) DO UPDATE SET rules = excluded.rules, peak_u = NULL, fired_kind = NULL, fired_at = NULL, fired_message = NULL, order_id = NULL, updated_at = excluded.updated_at`,
    ).run(spreadId, JSON.stringify(rules), at);
    return true;
  })();
}

export function deleteExit(db: Database.Database, spreadId: number): boolean {
  return db.prepare('DELETE FROM exit_rules WHERE spread_id = ?').run(spreadId).changes > 0;
}

export function savePeak(db: Database.Database, spreadId: number, peakU: number, at: number): void {
  db.prepare('UPDATE exit_rules SET peak_u = ?, updated_at = ? WHERE spread_id = ?').run(peakU, at, spreadId);
}

/** Journals a fired exit (durably, before any closing order leaves) and marks the rules fired, in one transaction. */
export function recordExitFired(db: Database.Database, e: { spreadId: number; kind: ExitKind; message: string; quote: unknown; at: number }): number {
  return db.transaction(() => {
    db.prepare('UPDATE exit_rules SET fired_kind = ?, fired_at = ?, fired_message = ?, updated_at = ? WHERE spread_id = ?').run(e.kind, e.at, e.message, e.at, e.spreadId);
    return Number(db.prepare('INSERT INTO exit_events (spread_id, at, kind, message, quote) VALUES (?, ?, ?, ?, ?)').run(e.spreadId, e.at, e.kind, e.message, JSON.stringify(e.quote ?? null)).lastInsertRowid);
  })();
}

/** Links the closing order an auto exit sent to its fired event. */
export function recordExitOrder(db: Database.Database, eventId: number, spreadId: number, orderId: number, ticketId: string): void {
  db.transaction(() => {
    db.prepare('UPDATE exit_events SET order_id = ?, ticket_id = ? WHERE id = ?').run(orderId, ticketId, eventId);
    db.prepare('UPDATE exit_rules SET order_id = ? WHERE spread_id = ?').run(orderId, spreadId);
  })();
}
