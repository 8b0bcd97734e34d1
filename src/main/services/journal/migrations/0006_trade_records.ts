// Migration 0006: each spread's trade record kept beside it, so opening the Journal does not refold every fill.
import type { Migration } from './types';

export const migration: Migration = {
  id: 6,
  name: '0006_trade_records',
  up(db) {
    db.exec(`
      -- A derived cache, never the truth: deleted in the same transaction as any write that changes
      -- the spread, rebuilt from its fills when next read. 'version' is the record format: a record
      -- written by an older rule is ignored and rebuilt.
      CREATE TABLE trade_records (
        spread_id INTEGER PRIMARY KEY REFERENCES spread_positions (id),
        version   INTEGER NOT NULL,
        record    TEXT NOT NULL CHECK (json_valid(record))
      ) STRICT;
    `);
  },
};
