// Test helper for migration tests: a fresh in-memory database with the first n migrations applied.
import type Database from 'better-sqlite3';
import { openSqlite } from '../../src/main/services/sqlite';
import { applyMigrations } from '../../src/main/services/journal/migrate';
import { MIGRATIONS } from '../../src/main/services/journal/migrations';

export function dbWithMigrations(count: number): Database.Database {
  const db = openSqlite(':memory:');
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS.slice(0, count), 1);
  return db;
}

export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((n) => !n.startsWith('sqlite_'));
}

export function isStrict(db: Database.Database, table: string): boolean {
  const row = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number } | undefined;
  return row?.strict === 1;
}
