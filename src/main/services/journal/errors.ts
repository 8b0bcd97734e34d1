// Journal errors as values: every operation that can fail for a reason the user should hear returns one of these.
import type { Failure } from '../../../core/result';

export type JournalErrorCode =
  | 'NEWER_SCHEMA' // written by a newer SpreadDesk: refused, not modified
  | 'SCHEMA_MISMATCH' // migration history differs from ours: refused, not modified
  | 'NOT_A_JOURNAL' // some other SQLite file: refused, not modified
  | 'IO' // the file system said no (permissions, disk full, locked)
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RISK_DENIED'
  | 'INTERNAL';

/** A journal failure: the app's Failure shape with the journal's codes. */
export type JournalError = Failure<JournalErrorCode>;

export type { Result } from '../../../core/result';
export { ok } from '../../../core/result';
export const fail = (code: JournalErrorCode, message: string): { ok: false; error: JournalError } => ({ ok: false, error: { code, message } });

/** A SQLite or file-system exception as an error value, with a sentence a trader can act on. */
export function ioFailure(what: string, e: unknown): { ok: false; error: JournalError } {
  const code = (e as { code?: unknown })?.code;
  const detail = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return fail('IO', `${what}: the disk is full (${detail}).`);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return fail('IO', `${what}: the journal is locked by another process (${detail}).`);
  if (code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM') return fail('IO', `${what}: no permission to write (${detail}).`);
  if (typeof code === 'string' && (code.startsWith('SQLITE_') || code.startsWith('E'))) return fail('IO', `${what}: ${detail}`);
  return fail('INTERNAL', `${what}: ${detail}`);
}
