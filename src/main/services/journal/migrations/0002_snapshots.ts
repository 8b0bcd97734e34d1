// Migration 0002: broker positions, account values, daily P&L and risk events.
import type { Migration } from './types';

export const migration: Migration = {
  id: 2,
  name: '0002_snapshots',
  up(db) {
    db.exec(`
      -- The broker's latest position per contract (reqPositions); one row per (account, conId).
      CREATE TABLE broker_positions (
        account     TEXT NOT NULL,
        con_id      INTEGER NOT NULL,
        symbol      TEXT NOT NULL,
        sec_type    TEXT NOT NULL,
        expiry      TEXT,
        strike_u    INTEGER,
        right       TEXT,
        multiplier  INTEGER NOT NULL CHECK (multiplier > 0),
        position_u  INTEGER NOT NULL,
        avg_cost_u  INTEGER,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (account, con_id)
      ) STRICT, WITHOUT ROWID;

      -- Account values as the broker's text, latest per New York trade day.
      CREATE TABLE account_snapshots (
        account    TEXT NOT NULL,
        day        TEXT NOT NULL CHECK (length(day) = 10),
        tag        TEXT NOT NULL,
        currency   TEXT NOT NULL,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account, day, tag, currency)
      ) STRICT, WITHOUT ROWID;

      -- The broker's account P&L (reqPnL), latest per New York trade day.
      CREATE TABLE daily_pnl (
        account      TEXT NOT NULL,
        day          TEXT NOT NULL CHECK (length(day) = 10),
        daily_u      INTEGER NOT NULL,
        unrealized_u INTEGER,
        realized_u   INTEGER,
        updated_at   INTEGER NOT NULL,
        PRIMARY KEY (account, day)
      ) STRICT, WITHOUT ROWID;

      -- Risk decisions worth remembering: denials with their reason, breaker trips, state changes.
      CREATE TABLE risk_events (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        session_id INTEGER REFERENCES sessions (id),
        ticket_id  TEXT,
        kind       TEXT NOT NULL,
        code       TEXT NOT NULL,
        message    TEXT NOT NULL,
        details    TEXT NOT NULL CHECK (json_valid(details))
      ) STRICT;
      CREATE INDEX risk_events_at ON risk_events (at);
    `);
  },
};
