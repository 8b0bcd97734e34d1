// The journal service's entry: open (or create, migrate, recover) the journal in a data directory.
import { openJournalDb, openMemoryDb, type OpenStatus } from './db';
import { type JournalError, type Result, ok } from './errors';
import { Journal, type JournalDeps } from './journal';

export interface OpenJournalOptions extends JournalDeps {
  dataDir: string;
  fileName?: string;
  busyTimeoutMs?: number;
}

export interface OpenedJournal {
  journal: Journal;
  file: string;
  status: OpenStatus;
  /** Plain sentences for the trader (e.g. a damaged file was moved aside). */
  warnings: string[];
  movedAside: string | null;
  migrationsApplied: string[];
}

/**
 * Opens the journal. Errors are values: a journal from a newer version, another program's file or
 * an unwritable directory come back as `{ ok: false }` with a message to show; nothing is modified.
 */
export function openJournal(opts: OpenJournalOptions): Result<OpenedJournal, JournalError> {
  const clock = opts.clock ?? Date.now;
  const opened = openJournalDb({ dataDir: opts.dataDir, fileName: opts.fileName, now: clock(), busyTimeoutMs: opts.busyTimeoutMs });
  if (!opened.ok) return opened;
  const { db, file, status, warnings, movedAside, applied } = opened.value;
  return ok({ journal: new Journal(db, file, opts), file, status, warnings, movedAside, migrationsApplied: applied });
}

/** A journal in memory (tests, tools): same schema and rules, no file, no durability. */
export function openMemoryJournal(deps: JournalDeps = {}): Journal {
  return new Journal(openMemoryDb((deps.clock ?? Date.now)()), null, deps);
}

export { Journal } from './journal';
export type { JournalDeps, SessionInfo, IntentRecorded, SubmissionInput, BatchOutcome, RiskEventInput, ReconciliationResult, ReconcileOptions } from './journal';
export type { JournalError, JournalErrorCode } from './errors';
export type { OpenStatus } from './db';
export { JOURNAL_FILE } from './db';
