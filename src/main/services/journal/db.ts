// Opening the journal file: durability pragmas, a quick integrity check, a damaged file kept aside, then migrations.
import type Database from 'better-sqlite3';
import { openSqlite } from '../sqlite';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type JournalError, type Result, fail, ioFailure, ok } from './errors';
import { applyMigrations, checkOwnership, planMigrations, readApplied } from './migrate';
import { MIGRATIONS } from './migrations';

export const JOURNAL_FILE = 'journal.sqlite';

export interface OpenDbOptions {
  dataDir: string;
  fileName?: string;
  now: number;
  busyTimeoutMs?: number;
}

export type OpenStatus = 'created' | 'opened' | 'migrated' | 'recovered';

export interface OpenedDb {
  db: Database.Database;
  file: string;
  status: OpenStatus;
  /** Sentences for the user: shown in the UI and the log when the journal opens. */
  warnings: string[];
  /** Where a damaged file was moved, if it was. */
  movedAside: string | null;
  /** Migrations applied by this open. */
  applied: string[];
}

function isDamage(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

/** Connection settings that write nothing to the file. */
function connect(file: string, busyTimeoutMs: number): Database.Database {
  const db = openSqlite(file, { timeout: busyTimeoutMs });
  // Never run functions named by the schema with our privileges; enforce the REFERENCES we declare.
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  return db;
}

/** PRAGMA quick_check: null when ok, otherwise the problems SQLite lists. */
function integrityProblems(db: Database.Database): string[] | null {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
  return problems.length === 0 ? null : problems;
}

/** Renames the file and its WAL/SHM companions to `<file>.damaged-<time>` so SQLite tools can still open it. */
function moveAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let target = `${file}.damaged-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${file}.damaged-${stamp}-${n}`;
  renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  return target;
}

export function openJournalDb(opts: OpenDbOptions): Result<OpenedDb, JournalError> {
  const busy = opts.busyTimeoutMs ?? 5000;
  const file = join(opts.dataDir, opts.fileName ?? JOURNAL_FILE);
  try {
    mkdirSync(opts.dataDir, { recursive: true });
  } catch (e) {
    return ioFailure(`Cannot create the data directory ${opts.dataDir}`, e);
  }

  const warnings: string[] = [];
  let movedAside: string | null = null;
  let db: Database.Database | null = null;
  let damage: string | null = null;
  try {
    db = connect(file, busy);
    const problems = integrityProblems(db);
    if (problems) damage = problems.slice(0, 3).join('; ');
  } catch (e) {
    if (!isDamage(e)) {
      db?.close();
      return ioFailure(`Cannot open the journal ${file}`, e);
    }
    damage = e instanceof Error ? e.message : String(e);
  }

  if (damage !== null) {
    try {
      db?.close();
    } catch {
      // A connection to a damaged file may refuse to close cleanly; the file is moved aside regardless.
    }
    try {
      movedAside = moveAside(file, opts.now);
      db = connect(file, busy);
    } catch (e) {
      return ioFailure(`The journal ${file} is damaged (${damage}) and could not be moved aside`, e);
    }
    warnings.push(
      `The trade journal was damaged (${damage}). It was kept unchanged as ${basename(movedAside)} in ${opts.dataDir}, and a new, empty journal was started. ` +
        'Past trades in the damaged file are not shown; reconnecting to the broker restores its open orders, recent fills and positions.',
    );
  }
  const conn = db!;

  // Nothing below writes until the file is known to be ours and not from a newer version.
  const owned = checkOwnership(conn);
  if (!owned.ok) {
    conn.close();
    return owned;
  }
  const applied = readApplied(conn);
  const plan = planMigrations(applied);
  if (!plan.ok) {
    conn.close();
    return plan;
  }

  try {
    const mode = conn.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      conn.close();
      return fail('IO', `The journal ${file} cannot use write-ahead logging (SQLite chose "${String(mode)}"); is the directory on a network drive?`);
    }
    // FULL: every commit syncs the WAL, so an acknowledged intent survives power loss.
    conn.pragma('synchronous = FULL');
    const done = applyMigrations(conn, plan.value, opts.now);
    const status: OpenStatus = movedAside ? 'recovered' : applied.length === 0 ? 'created' : done.length > 0 ? 'migrated' : 'opened';
    return ok({ db: conn, file, status, warnings, movedAside, applied: done });
  } catch (e) {
    conn.close();
    return ioFailure(`Cannot prepare the journal ${file}`, e);
  }
}

/** An in-memory journal database for tests and tools (same pragmas and migrations, no durability). */
export function openMemoryDb(now: number): Database.Database {
  const db = openSqlite(':memory:');
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS, now);
  return db;
}
