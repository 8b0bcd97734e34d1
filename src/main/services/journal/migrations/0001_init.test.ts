import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { dbWithMigrations, isStrict, tableNames } from '../../../../../tests/support/journal-migrations';

let db: Database.Database;
afterEach(() => db?.close());

const spread = (d: Database.Database) =>
  d.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, created_at)
             VALUES ('SPY', 'bull_call', 'C', '20250321', 500000000, 505000000, 100, 1)`).run().lastInsertRowid;

const ticket = (d: Database.Database, spreadId: number | bigint, verdict = 'allow') =>
  d.prepare(`INSERT INTO tickets (id, spread_id, purpose, created_at, created_by, action, quantity, limit_u, pricing_policy, preview, risk_verdict, risk_reasons)
             VALUES ('sd-1', ?, 'open', 1, 'test', 'BUY', 1, 1500000, '{}', '{}', ?, '[]')`).run(spreadId, verdict);

const exec = (d: Database.Database, execId: string, base: string, rev: number, replacedBy: string | null) =>
  d.prepare(`INSERT INTO executions (exec_id, exec_base, revision, replaced_by, order_id, client_id, perm_id, account, con_id, symbol, sec_type, multiplier, side, shares_u, price_u, exec_time, at, received_at)
             VALUES (?, ?, ?, ?, 1, 7, 9, 'DU1', 11, 'SPY', 'OPT', 100, 'BOT', 1000000, 3200000, 't', 1, 1)`).run(execId, base, rev, replacedBy);

describe('migration 0001_init', () => {
  it('creates the core tables, all STRICT', () => {
    db = dbWithMigrations(1);
    const tables = ['commissions', 'executions', 'order_events', 'order_submissions', 'orders', 'sessions', 'spread_executions', 'spread_positions', 'ticket_legs', 'tickets'];
    expect(tableNames(db)).toEqual([...tables, 'schema_migrations'].sort());
    for (const t of tables) expect(isStrict(db, t)).toBe(true);
  });

  it('rejects a float where money must be integer micro-units', () => {
    db = dbWithMigrations(1);
    expect(() =>
      db.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, created_at) VALUES ('SPY', 'bull_call', 'C', '20250321', 500.5, 505, 100, 1)`).run(),
    ).toThrow(/cannot store REAL value in INTEGER column/);
  });

  it('keeps tickets tied to spreads and refuses a denied verdict', () => {
    db = dbWithMigrations(1);
    expect(() => ticket(db, 999)).toThrow(/FOREIGN KEY/);
    const id = spread(db);
    expect(() => ticket(db, id, 'deny')).toThrow(/CHECK/);
    ticket(db, id);
    expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(1);
  });

  it('makes order_events append-only and unique per event key', () => {
    db = dbWithMigrations(1);
    const insert = db.prepare(`INSERT OR IGNORE INTO order_events (event_key, type, source, received_at, raw) VALUES (?, 'orderStatus', 'live', 1, '{}')`);
    expect(insert.run('k1').changes).toBe(1);
    expect(insert.run('k1').changes).toBe(0);
    expect(() => db.prepare("UPDATE order_events SET status = 'Filled'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM order_events').run()).toThrow(/append-only/);
    expect(() => db.prepare(`INSERT INTO order_events (event_key, type, source, received_at, raw) VALUES ('k2', 'x', 'live', 1, 'not json')`).run()).toThrow(/CHECK/);
  });

  it('allows one current revision per execution base id', () => {
    db = dbWithMigrations(1);
    exec(db, 'a.01.01', 'a.01', 1, null);
    expect(() => exec(db, 'a.01.02', 'a.01', 2, null)).toThrow(/UNIQUE/);
    db.prepare("UPDATE executions SET replaced_by = 'a.01.02' WHERE exec_base = 'a.01'").run();
    exec(db, 'a.01.02', 'a.01', 2, null);
    expect(db.prepare('SELECT exec_id FROM executions WHERE replaced_by IS NULL').pluck().all()).toEqual(['a.01.02']);
  });
});
