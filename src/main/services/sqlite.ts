// The one way the app opens a SQLite file: one Node-API better-sqlite3 binary for Node and Electron, files kept private (0600).
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

export type SqliteDatabase = Database.Database;
export type SqliteOptions = Database.Options;

/** SQLite's companion files: written beside the database and holding the same rows. */
const COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Opens (or creates) a SQLite database. better-sqlite3 13 is a Node-API addon: the binary in node_modules loads
 * under Node (tests, headless, CLIs) and Electron alike, and the packaged app unpacks it from the ASAR
 * (`asarUnpack` in electron-builder.yml), so no `nativeBinding` is passed. A new file is created 0600 before
 * SQLite touches it, and existing files (plus WAL/SHM) are tightened to 0600 — the journal holds account data.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqliteDatabase {
  const onDisk = file !== ':memory:' && file !== '' && !file.startsWith('file:');
  if (onDisk && !options.readonly && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file, options);
  if (onDisk && !options.readonly) privateFiles(file);
  return db;
}

/** chmod 0600 the database and any companion file that exists (no-op on Windows, where ACLs apply). */
export function privateFiles(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, ...COMPANIONS.map((s) => file + s)]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // A companion that does not exist yet is created by SQLite with the main file's mode.
    }
  }
}
