// Migration 0007: exit rules set on a held spread, and every exit that fired with the quote that fired it.
import type { Migration } from './types';

export const migration: Migration = {
  id: 7,
  name: '0007_exit_rules',
  up(db) {
    db.exec(`
      -- One row per spread with exits; 'fired_*' is set once a rule fired, so it fires once across restarts.
      CREATE TABLE exit_rules (
        spread_id     INTEGER PRIMARY KEY REFERENCES spread_positions (id),
        rules         TEXT NOT NULL CHECK (json_valid(rules)),
        peak_u        INTEGER,
        fired_kind    TEXT CHECK (fired_kind IN ('target', 'stop', 'trailing', 'time')),
        fired_at      INTEGER,
        fired_message TEXT,
        order_id      INTEGER,
        updated_at    INTEGER NOT NULL
      ) STRICT;

      -- The audit trail: which rule fired, why, on which quote, and the closing order it sent (if auto).
      CREATE TABLE exit_events (
        id         INTEGER PRIMARY KEY,
        spread_id  INTEGER NOT NULL REFERENCES spread_positions (id),
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        message    TEXT NOT NULL,
        quote      TEXT NOT NULL CHECK (json_valid(quote)),
        order_id   INTEGER,
        ticket_id  TEXT
      ) STRICT;
      CREATE INDEX exit_events_spread ON exit_events (spread_id, at);
    `);
  },
};
