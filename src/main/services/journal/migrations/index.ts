// The journal's known migrations, imported statically, in order. Append only: never edit or reorder a shipped one.
import { migration as m0001 } from './0001_init';
import { migration as m0002 } from './0002_snapshots';
import { migration as m0003 } from './0003_notes_reconciliation';
import { migration as m0004 } from './0004_kebab_spread_kinds';
import { migration as m0005 } from './0005_fill_sources';
import { migration as m0006 } from './0006_trade_records';
import { migration as m0007 } from './0007_exit_rules';
import { migration as m0008 } from './0008_journal_overview';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008];
export type { Migration, MigrationDb } from './types';
