// Migration 0003: notes and tags on trades, reconciliation runs and the position adjustments they adopt.
import type { Migration } from './types';

export const migration: Migration = {
  id: 3,
  name: '0003_notes_reconciliation',
  up(db) {
    db.exec(`
      CREATE TABLE trade_notes (
        spread_id  INTEGER PRIMARY KEY REFERENCES spread_positions (id),
        body       TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE trade_tags (
        spread_id INTEGER NOT NULL REFERENCES spread_positions (id),
        tag       TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
        PRIMARY KEY (spread_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX trade_tags_tag ON trade_tags (tag);

      -- One row per reconciliation with the broker: what differed and what was repaired.
      CREATE TABLE reconciliations (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        session_id INTEGER REFERENCES sessions (id),
        clean      INTEGER NOT NULL CHECK (clean IN (0, 1)),
        diff       TEXT NOT NULL CHECK (json_valid(diff)),
        repairs    TEXT NOT NULL CHECK (json_valid(repairs)),
        summary    TEXT NOT NULL
      ) STRICT;

      -- A broker position adopted by reconciliation (opened before the journal, or fills the
      -- broker no longer reports): journal position = executions + these.
      CREATE TABLE position_adjustments (
        id                INTEGER PRIMARY KEY,
        reconciliation_id INTEGER NOT NULL REFERENCES reconciliations (id),
        account           TEXT NOT NULL,
        con_id            INTEGER NOT NULL,
        symbol            TEXT NOT NULL,
        delta_u           INTEGER NOT NULL,
        reason            TEXT NOT NULL,
        at                INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
