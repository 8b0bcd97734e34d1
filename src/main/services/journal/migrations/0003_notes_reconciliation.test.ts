import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './index';
import { applyMigrations } from '../migrate';
import { dbWithMigrations, isStrict, tableNames } from '../../../../../tests/support/journal-migrations';

let db: Database.Database;
afterEach(() => db?.close());

describe('migration 0003_notes_reconciliation', () => {
  it('adds notes, tags, reconciliations and position adjustments, STRICT', () => {
    db = dbWithMigrations(3);
    for (const t of ['trade_notes', 'trade_tags', 'reconciliations', 'position_adjustments']) {
      expect(tableNames(db)).toContain(t);
      expect(isStrict(db, t)).toBe(true);
    }
  });

  it('applies on top of 0002 and ties notes and tags to existing trades', () => {
    db = dbWithMigrations(2);
    const id = db.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, created_at)
                           VALUES ('SPY', 'bull_put', 'P', '20250321', 480000000, 485000000, 100, 1)`).run().lastInsertRowid;
    applyMigrations(db, [MIGRATIONS[2]!], 3);
    db.prepare('INSERT INTO trade_notes (spread_id, body, updated_at) VALUES (?, ?, 1)').run(id, 'took profit at 50%');
    expect(() => db.prepare('INSERT INTO trade_notes (spread_id, body, updated_at) VALUES (999, ?, 1)').run('x')).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO trade_tags (spread_id, tag) VALUES (?, '')").run(id)).toThrow(/CHECK/);
    db.prepare("INSERT INTO trade_tags (spread_id, tag) VALUES (?, 'earnings')").run(id);
    expect(() => db.prepare("INSERT INTO trade_tags (spread_id, tag) VALUES (?, 'earnings')").run(id)).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('requires every position adjustment to name its reconciliation', () => {
    db = dbWithMigrations(3);
    expect(() => db.prepare(`INSERT INTO position_adjustments (reconciliation_id, account, con_id, symbol, delta_u, reason, at) VALUES (1, 'DU1', 5, 'SPY', 1, 'r', 1)`).run()).toThrow(/FOREIGN KEY/);
    const rec = db.prepare(`INSERT INTO reconciliations (at, clean, diff, repairs, summary) VALUES (1, 0, '[]', '[]', 's')`).run().lastInsertRowid;
    db.prepare(`INSERT INTO position_adjustments (reconciliation_id, account, con_id, symbol, delta_u, reason, at) VALUES (?, 'DU1', 5, 'SPY', 1, 'r', 1)`).run(rec);
  });
});
