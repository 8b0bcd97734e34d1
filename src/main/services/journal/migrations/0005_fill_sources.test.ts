import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../migrate';
import { MIGRATIONS } from './index';
import { dbWithMigrations, isStrict } from '../../../../../tests/support/journal-migrations';

let db: Database.Database;
afterEach(() => db?.close());

describe('migration 0005_fill_sources', () => {
  it('keeps existing fill links as ticket fills and allows ticketless ones only with another source', () => {
    db = dbWithMigrations(4);
    const spread = db.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, created_at)
      VALUES ('SPY', 'bull-call', 'C', '20250321', 405000000, 410000000, 100, 1)`).run().lastInsertRowid;
    db.prepare(`INSERT INTO tickets (id, spread_id, purpose, created_at, created_by, action, quantity, limit_u, pricing_policy, preview, risk_verdict, risk_reasons)
      VALUES ('t1', ?, 'open', 1, 'user', 'BUY', 1, 1500000, '{}', 'null', 'allow', '[]')`).run(spread);
    const exec = (id: string) => db.prepare(`INSERT INTO executions (exec_id, exec_base, revision, order_id, client_id, perm_id, account, con_id, symbol, sec_type, multiplier, side, shares_u, price_u, exec_time, at, received_at)
      VALUES (?, ?, 0, 1, 7, 9, 'DU1', 1, 'SPY', 'OPT', 100, 'BOT', 1000000, 3200000, 't', 1, 1)`).run(id, id);
    exec('e1');
    db.prepare("INSERT INTO spread_executions (exec_id, spread_id, ticket_id, role, leg) VALUES ('e1', ?, 't1', 'open', 'long')").run(spread);
    applyMigrations(db, [MIGRATIONS[4]!], 5);
    expect(isStrict(db, 'spread_executions')).toBe(true);
    expect(db.prepare('SELECT exec_id, ticket_id, source FROM spread_executions').all()).toEqual([{ exec_id: 'e1', ticket_id: 't1', source: 'ticket' }]);
    exec('e2');
    expect(() => db.prepare("INSERT INTO spread_executions (exec_id, spread_id, role, leg) VALUES ('e2', ?, 'close', 'long')").run(spread)).toThrow(/CHECK/);
    db.prepare("INSERT INTO spread_executions (exec_id, spread_id, role, leg, source) VALUES ('e2', ?, 'close', 'long', 'expiry')").run(spread);
  });
});
