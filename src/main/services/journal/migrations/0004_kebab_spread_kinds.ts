// Migration 0004: spread kinds stored in the contract's spelling ('bull-put'), the one vocabulary of the app.
//
// SQLite cannot alter a CHECK constraint, so spread_positions is rebuilt: rows are parked in a temp table, the
// table is dropped and recreated with the new constraint, and the rows come back under the same ids. Three
// tables reference spread_positions (tickets, spread_executions, trade_notes/tags); foreign_keys cannot be
// switched off inside the migration's transaction, so the check is deferred to commit instead: dropping the
// parent counts the children as pending violations and re-inserting the same ids clears them again.
import type { Migration } from './types';

const COLUMNS = 'id, underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, long_con_id, short_con_id, account, created_at, status, open_qty_u, opened_at, closed_at';

export const migration: Migration = {
  id: 4,
  name: '0004_kebab_spread_kinds',
  up(db) {
    db.exec(`
      PRAGMA defer_foreign_keys = ON;
      CREATE TEMP TABLE spread_positions_0004 AS SELECT ${COLUMNS} FROM spread_positions;
      DROP TABLE spread_positions;
      CREATE TABLE spread_positions (
        id             INTEGER PRIMARY KEY,
        underlying     TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('bull-call', 'bear-put', 'bull-put', 'bear-call')),
        right          TEXT NOT NULL CHECK (right IN ('C', 'P')),
        expiry         TEXT NOT NULL CHECK (length(expiry) = 8),
        long_strike_u  INTEGER NOT NULL,
        short_strike_u INTEGER NOT NULL,
        multiplier     INTEGER NOT NULL CHECK (multiplier > 0),
        long_con_id    INTEGER,
        short_con_id   INTEGER,
        account        TEXT,
        created_at     INTEGER NOT NULL,
        status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'closed', 'broken')),
        open_qty_u     INTEGER NOT NULL DEFAULT 0,
        opened_at      INTEGER,
        closed_at      INTEGER
      ) STRICT;
      INSERT INTO spread_positions (${COLUMNS})
        SELECT id, underlying, replace(kind, '_', '-'), right, expiry, long_strike_u, short_strike_u, multiplier, long_con_id, short_con_id,
               account, created_at, status, open_qty_u, opened_at, closed_at
        FROM temp.spread_positions_0004 ORDER BY id;
      DROP TABLE temp.spread_positions_0004;
      CREATE INDEX spread_positions_status ON spread_positions (status, closed_at);
      CREATE INDEX spread_positions_underlying ON spread_positions (underlying);
    `);
  },
};
