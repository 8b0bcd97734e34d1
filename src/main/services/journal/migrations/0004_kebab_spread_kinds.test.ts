import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './index';
import { applyMigrations, readApplied } from '../migrate';
import { dbWithMigrations, isStrict } from '../../../../../tests/support/journal-migrations';

let db: Database.Database;
afterEach(() => db?.close());

describe('migration 0004_kebab_spread_kinds', () => {
  it('rewrites stored kinds to the contract spelling and keeps ids, children and indexes', () => {
    db = dbWithMigrations(3);
    const insert = db.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, created_at)
                               VALUES ('SPY', ?, ?, '20250321', 480000000, 485000000, 100, 1)`);
    const ids = [['bull_call', 'C'], ['bear_put', 'P'], ['bull_put', 'P'], ['bear_call', 'C']].map(([k, r]) => Number(insert.run(k, r).lastInsertRowid));
    db.prepare('INSERT INTO trade_notes (spread_id, body, updated_at) VALUES (?, ?, 1)').run(ids[2], 'kept');
    db.prepare(`INSERT INTO tickets (id, spread_id, purpose, created_at, created_by, action, quantity, limit_u, pricing_policy, preview, risk_verdict, risk_reasons)
                VALUES ('sd-1', ?, 'open', 1, 'test', 'BUY', 1, 1500000, '{}', '{}', 'allow', '[]')`).run(ids[0]);

    applyMigrations(db, [MIGRATIONS[3]!], 4);

    expect(db.prepare('SELECT id, kind FROM spread_positions ORDER BY id').all()).toEqual([
      { id: ids[0], kind: 'bull-call' }, { id: ids[1], kind: 'bear-put' }, { id: ids[2], kind: 'bull-put' }, { id: ids[3], kind: 'bear-call' },
    ]);
    expect(db.prepare('SELECT body FROM trade_notes WHERE spread_id = ?').pluck().get(ids[2])).toBe('kept');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(isStrict(db, 'spread_positions')).toBe(true);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'spread_positions' ORDER BY name").pluck().all())
      .toEqual(['spread_positions_status', 'spread_positions_underlying']);
    expect(readApplied(db).map((m) => m.name)).toContain('0004_kebab_spread_kinds');
    expect(() => insert.run('bull_put', 'P')).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO trade_notes (spread_id, body, updated_at) VALUES (999, ?, 1)').run('x')).toThrow(/FOREIGN KEY/);
  });
});
