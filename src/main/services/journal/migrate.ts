// Forward-only migrations: the applied list must be a prefix of the known list, or the journal is refused untouched.
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';
import { type JournalError, type Result, fail, ok } from './errors';

/** Marks the file as a SpreadDesk journal (PRAGMA application_id, "SDJ1"). */
export const APPLICATION_ID = 0x53444a31;

export interface AppliedMigration {
  id: number;
  name: string;
}

/** Reads the applied list without writing anything (a missing table means none applied). */
export function readApplied(db: Database.Database): AppliedMigration[] {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return [];
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as AppliedMigration[];
}

const label = (m: AppliedMigration): string => m.name;

/** Decides what to apply; refuses when the database's history is not a prefix of `known`. */
export function planMigrations(applied: readonly AppliedMigration[], known: readonly Migration[] = MIGRATIONS): Result<Migration[], JournalError> {
  for (let i = 0; i < applied.length; i++) {
    const a = applied[i]!;
    const k = known[i];
    if (!k) {
      const newest = known[known.length - 1];
      return fail(
        'NEWER_SCHEMA',
        `This journal was written by a newer version of SpreadDesk (it has migration ${label(a)}; this version knows up to ${newest ? label(newest) : 'none'}). ` +
          'It has not been changed. Update SpreadDesk, or choose a different data directory.',
      );
    }
    if (k.id !== a.id || k.name !== a.name) {
      return fail(
        'SCHEMA_MISMATCH',
        `This journal's history does not match this version of SpreadDesk (step ${i + 1} is ${label(a)}, expected ${label(k)}). ` +
          'It has not been changed. It may come from a different build; keep it and contact support.',
      );
    }
  }
  return ok(known.slice(applied.length));
}

/**
 * Checks the file is ours (or empty) before anything is written: an application_id of another
 * program, or tables without our migration record, means some other database.
 */
export function checkOwnership(db: Database.Database): Result<'empty' | 'journal', JournalError> {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    return fail('NOT_A_JOURNAL', 'This file is not a SpreadDesk journal (it belongs to another program). It has not been changed.');
  }
  if (tables === 0) return ok('empty');
  if (readApplied(db).length === 0) {
    return fail('NOT_A_JOURNAL', 'This file is a database but not a SpreadDesk journal (it has no migration record). It has not been changed.');
  }
  return ok('journal');
}

/**
 * Applies pending migrations, each in its own transaction together with its record (the
 * bookkeeping table and the application id are written inside the first one, so a crash leaves
 * either an empty file or a journal, never something in between).
 */
export function applyMigrations(db: Database.Database, pending: readonly Migration[], now: number): string[] {
  const done: string[] = [];
  for (const m of pending) {
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
      if ((db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, now);
    })();
    done.push(m.name);
  }
  return done;
}
