// Migration 0001: sessions, tickets (intents), orders, the append-only broker event log, executions, commissions and spreads.
//
// Conventions for every journal table: STRICT; times are epoch ms INTEGER; every broker decimal
// (price, quantity, money) is INTEGER micro-units (value × 1,000,000) in a column ending in `_u`;
// JSON columns are checked with json_valid.
import type { Migration } from './types';

export const migration: Migration = {
  id: 1,
  name: '0001_init',
  up(db) {
    db.exec(`
      CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        app_version TEXT NOT NULL,
        profile     TEXT NOT NULL,
        account     TEXT,
        client_id   INTEGER,
        simulated   INTEGER NOT NULL CHECK (simulated IN (0, 1))
      ) STRICT;

      -- A vertical spread as one position: the grouping the broker forgets once the legs fill.
      -- status/open_qty_u/opened_at/closed_at are derived from spread_executions and rewritten in the
      -- same transaction as every fill that touches the spread.
      CREATE TABLE spread_positions (
        id             INTEGER PRIMARY KEY,
        underlying     TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('bull_call', 'bear_put', 'bull_put', 'bear_call')),
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
      CREATE INDEX spread_positions_status ON spread_positions (status, closed_at);
      CREATE INDEX spread_positions_underlying ON spread_positions (underlying);

      -- The intent, committed before the order may leave the process. The id is the orderRef.
      CREATE TABLE tickets (
        id             TEXT PRIMARY KEY,
        session_id     INTEGER REFERENCES sessions (id),
        spread_id      INTEGER NOT NULL REFERENCES spread_positions (id),
        purpose        TEXT NOT NULL CHECK (purpose IN ('open', 'close')),
        created_at     INTEGER NOT NULL,
        created_by     TEXT NOT NULL,
        account        TEXT,
        action         TEXT NOT NULL CHECK (action IN ('BUY', 'SELL')),
        quantity       INTEGER NOT NULL CHECK (quantity > 0),
        limit_u        INTEGER NOT NULL,
        mid_u          INTEGER,
        pricing_policy TEXT NOT NULL CHECK (json_valid(pricing_policy)),
        preview        TEXT NOT NULL CHECK (json_valid(preview)),
        pop_at_entry   REAL CHECK (pop_at_entry BETWEEN 0 AND 1),
        max_loss_u     INTEGER,
        max_profit_u   INTEGER,
        risk_verdict   TEXT NOT NULL CHECK (risk_verdict IN ('allow', 'warn')),
        risk_reasons   TEXT NOT NULL CHECK (json_valid(risk_reasons))
      ) STRICT;
      CREATE INDEX tickets_spread ON tickets (spread_id);

      CREATE TABLE ticket_legs (
        ticket_id TEXT NOT NULL REFERENCES tickets (id),
        leg_index INTEGER NOT NULL,
        con_id    INTEGER,
        action    TEXT NOT NULL CHECK (action IN ('BUY', 'SELL')),
        ratio     INTEGER NOT NULL CHECK (ratio > 0),
        expiry    TEXT NOT NULL CHECK (length(expiry) = 8),
        strike_u  INTEGER NOT NULL,
        right     TEXT NOT NULL CHECK (right IN ('C', 'P')),
        PRIMARY KEY (ticket_id, leg_index)
      ) STRICT, WITHOUT ROWID;

      -- One row per broker order: ours (ticket_id set, orderRef = ticket id) or seen from outside.
      CREATE TABLE orders (
        id              INTEGER PRIMARY KEY,
        ticket_id       TEXT REFERENCES tickets (id),
        origin          TEXT NOT NULL CHECK (origin IN ('app', 'external', 'unknown')),
        order_ref       TEXT,
        order_id        INTEGER NOT NULL,
        client_id       INTEGER NOT NULL,
        perm_id         INTEGER,
        account         TEXT,
        action          TEXT CHECK (action IN ('BUY', 'SELL')),
        order_type      TEXT,
        symbol          TEXT,
        sec_type        TEXT,
        total_qty_u     INTEGER,
        limit_u         INTEGER,
        status          TEXT NOT NULL,
        filled_u        INTEGER NOT NULL DEFAULT 0,
        remaining_u     INTEGER,
        avg_fill_u      INTEGER,
        last_error_code INTEGER,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX orders_perm ON orders (perm_id) WHERE perm_id IS NOT NULL;
      CREATE INDEX orders_client_order ON orders (client_id, order_id);
      CREATE INDEX orders_ticket ON orders (ticket_id);

      -- Every placeOrder we send for a ticket (the first and each price step), written before sending.
      CREATE TABLE order_submissions (
        id        INTEGER PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets (id),
        order_row INTEGER NOT NULL REFERENCES orders (id),
        limit_u   INTEGER NOT NULL,
        quantity  INTEGER NOT NULL CHECK (quantity > 0),
        at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX order_submissions_ticket ON order_submissions (ticket_id);

      -- Every order-stream message from the broker, parsed fields plus the raw payload. event_key
      -- makes ingestion idempotent; triggers make the table append-only.
      CREATE TABLE order_events (
        id          INTEGER PRIMARY KEY,
        event_key   TEXT NOT NULL UNIQUE,
        type        TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('live', 'reconcile')),
        session_id  INTEGER REFERENCES sessions (id),
        received_at INTEGER NOT NULL,
        order_id    INTEGER,
        client_id   INTEGER,
        perm_id     INTEGER,
        order_ref   TEXT,
        exec_id     TEXT,
        status      TEXT,
        filled_u    INTEGER,
        remaining_u INTEGER,
        price_u     INTEGER,
        error_code  INTEGER,
        raw         TEXT NOT NULL CHECK (json_valid(raw))
      ) STRICT;
      CREATE INDEX order_events_perm ON order_events (perm_id);
      CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
        BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
      CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
        BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;

      -- Fills. TWS corrects a fill by sending the same base id with a higher last number
      -- (…01.01 → …01.02): every revision is kept, replaced_by points at the revision that
      -- replaced it, and only one revision per base id may be current.
      CREATE TABLE executions (
        exec_id     TEXT PRIMARY KEY,
        exec_base   TEXT NOT NULL,
        revision    INTEGER NOT NULL,
        replaced_by TEXT,
        order_id    INTEGER NOT NULL,
        client_id   INTEGER NOT NULL,
        perm_id     INTEGER NOT NULL,
        order_ref   TEXT,
        account     TEXT NOT NULL,
        con_id      INTEGER NOT NULL,
        symbol      TEXT NOT NULL,
        sec_type    TEXT NOT NULL,
        expiry      TEXT,
        strike_u    INTEGER,
        right       TEXT,
        multiplier  INTEGER NOT NULL CHECK (multiplier > 0),
        exchange    TEXT,
        side        TEXT NOT NULL CHECK (side IN ('BOT', 'SLD')),
        shares_u    INTEGER NOT NULL,
        price_u     INTEGER NOT NULL,
        cum_qty_u   INTEGER,
        avg_price_u INTEGER,
        exec_time   TEXT NOT NULL,
        at          INTEGER NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX executions_current ON executions (exec_base) WHERE replaced_by IS NULL;
      CREATE INDEX executions_perm ON executions (perm_id);
      CREATE INDEX executions_base ON executions (exec_base);

      -- Keyed by execId alone: a commission report may arrive before its execution.
      -- (Tables keyed by execId are WITHOUT ROWID: one B-tree per lookup instead of two.)
      CREATE TABLE commissions (
        exec_id        TEXT PRIMARY KEY,
        commission_u   INTEGER NOT NULL,
        currency       TEXT NOT NULL,
        realized_pnl_u INTEGER,
        received_at    INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- Which executions form which spread, and in which role.
      CREATE TABLE spread_executions (
        exec_id   TEXT PRIMARY KEY REFERENCES executions (exec_id),
        spread_id INTEGER NOT NULL REFERENCES spread_positions (id),
        ticket_id TEXT NOT NULL REFERENCES tickets (id),
        role      TEXT NOT NULL CHECK (role IN ('open', 'close')),
        leg       TEXT NOT NULL CHECK (leg IN ('long', 'short', 'bag', 'other'))
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX spread_executions_spread ON spread_executions (spread_id);
    `);
  },
};
