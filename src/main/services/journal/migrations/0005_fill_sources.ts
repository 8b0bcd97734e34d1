// Migration 0005: fills linked to a spread without a ticket (closed in TWS, expiry, assignment), and rolls.
import type { Migration } from './types';

export const migration: Migration = {
  id: 5,
  name: '0005_fill_sources',
  up(db) {
    db.exec(`
      -- A spread can be closed by fills no ticket of ours sent: an order placed in TWS, or the
      -- synthetic closing fills the journal writes for an expiry, assignment or exercise (which reach
      -- the broker's positions with no execution). ticket_id becomes optional and source says why.
      CREATE TABLE spread_executions_0005 (
        exec_id   TEXT PRIMARY KEY REFERENCES executions (exec_id),
        spread_id INTEGER NOT NULL REFERENCES spread_positions (id),
        ticket_id TEXT REFERENCES tickets (id),
        role      TEXT NOT NULL CHECK (role IN ('open', 'close')),
        leg       TEXT NOT NULL CHECK (leg IN ('long', 'short', 'bag', 'other')),
        source    TEXT NOT NULL DEFAULT 'ticket' CHECK (source IN ('ticket', 'external', 'expiry', 'assignment', 'exercise')),
        CHECK (ticket_id IS NOT NULL OR source != 'ticket')
      ) STRICT, WITHOUT ROWID;
      INSERT INTO spread_executions_0005 (exec_id, spread_id, ticket_id, role, leg) SELECT exec_id, spread_id, ticket_id, role, leg FROM spread_executions;
      DROP TABLE spread_executions;
      ALTER TABLE spread_executions_0005 RENAME TO spread_executions;
      CREATE INDEX spread_executions_spread ON spread_executions (spread_id);

      -- A one-ticket roll (close the old legs, open new ones) opens a new spread from its new legs.
      ALTER TABLE spread_positions ADD COLUMN rolled_from_ticket TEXT REFERENCES tickets (id);
      CREATE INDEX spread_positions_rolled_from ON spread_positions (rolled_from_ticket) WHERE rolled_from_ticket IS NOT NULL;

      -- Finding the open spread a fill from outside the app closes, and a contract's last known terms.
      CREATE INDEX spread_positions_long_con ON spread_positions (long_con_id) WHERE long_con_id IS NOT NULL;
      CREATE INDEX spread_positions_short_con ON spread_positions (short_con_id) WHERE short_con_id IS NOT NULL;
      CREATE INDEX executions_con ON executions (con_id);
    `);
  },
};
