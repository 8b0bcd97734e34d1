import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './index';
import { applyMigrations } from '../migrate';
import { dbWithMigrations, isStrict, tableNames } from '../../../../../tests/support/journal-migrations';

let db: Database.Database;
afterEach(() => db?.close());

describe('migration 0002_snapshots', () => {
  it('adds positions, account values, daily P&L and risk events, STRICT', () => {
    db = dbWithMigrations(2);
    for (const t of ['broker_positions', 'account_snapshots', 'daily_pnl', 'risk_events']) {
      expect(tableNames(db)).toContain(t);
      expect(isStrict(db, t)).toBe(true);
    }
  });

  it('applies on top of a 0001 journal without touching its rows', () => {
    db = dbWithMigrations(1);
    db.prepare(`INSERT INTO sessions (started_at, app_version, profile, simulated) VALUES (1, '0.1.0', 'local-paper', 1)`).run();
    applyMigrations(db, [MIGRATIONS[1]!], 2);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    expect(db.prepare('SELECT name FROM schema_migrations ORDER BY id').pluck().all()).toEqual(['0001_init', '0002_snapshots']);
  });

  it('keeps one position per account and contract, and one P&L row per account and day', () => {
    db = dbWithMigrations(2);
    const pos = db.prepare(`INSERT INTO broker_positions (account, con_id, symbol, sec_type, multiplier, position_u, updated_at) VALUES ('DU1', 5, 'SPY', 'OPT', 100, ?, 1)`);
    pos.run(1_000_000);
    expect(() => pos.run(2_000_000)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare(`INSERT INTO daily_pnl (account, day, daily_u, updated_at) VALUES ('DU1', '2025-3-3', 0, 1)`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO risk_events (at, kind, code, message, details) VALUES (1, 'denied', 'MAX_LOSS', 'too big', 'x')`).run()).toThrow(/CHECK/);
  });
});
