import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { JOURNAL_FILE, openJournal } from './index';
import { applyMigrations } from './migrate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => join(dir, JOURNAL_FILE);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const NOW = Date.UTC(2025, 2, 3, 15, 4, 5, 6);

function openOk() {
  const r = openJournal({ dataDir: dir, clock: () => NOW });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('opening the journal', () => {
  it('creates a journal with the durability settings the issue asks for', () => {
    const o = openOk();
    expect(o.status).toBe('created');
    expect(o.migrationsApplied).toEqual(MIGRATIONS.map((m) => m.name));
    const db = o.journal.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    o.journal.close();
    const again = openOk();
    expect(again.status).toBe('opened');
    expect(again.migrationsApplied).toEqual([]);
    again.journal.close();
  });

  it('migrates an older journal forward', () => {
    const db = new Database(file());
    applyMigrations(db, MIGRATIONS.slice(0, 1), 1);
    db.close();
    const o = openOk();
    expect(o.status).toBe('migrated');
    expect(o.migrationsApplied).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
    o.journal.close();
  });

  it('refuses a journal from a newer version and leaves the file byte for byte as it was', () => {
    openOk().journal.close();
    const db = new Database(file());
    db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, '0099_future', 1)").run();
    db.close();
    const before = sha(file());
    const r = openJournal({ dataDir: dir, clock: () => NOW });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('NEWER_SCHEMA');
      expect(r.error.message).toContain('newer version of SpreadDesk');
      expect(r.error.message).toContain('0099_future');
      expect(r.error.message).toContain('has not been changed');
    }
    expect(sha(file())).toBe(before);
    expect(existsSync(file() + '-wal') ? statSync(file() + '-wal').size : 0).toBe(0);
  });

  it('refuses a journal whose history is not a prefix of ours', () => {
    openOk().journal.close();
    const db = new Database(file());
    db.prepare("UPDATE schema_migrations SET name = '0002_something_else' WHERE id = 2").run();
    db.close();
    const before = sha(file());
    const r = openJournal({ dataDir: dir });
    expect(!r.ok && r.error.code).toBe('SCHEMA_MISMATCH');
    expect(sha(file())).toBe(before);
  });

  it("refuses another program's database without touching it", () => {
    const db = new Database(file());
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    db.close();
    const before = sha(file());
    const r = openJournal({ dataDir: dir });
    expect(!r.ok && r.error.code).toBe('NOT_A_JOURNAL');
    expect(sha(file())).toBe(before);
  });

  it('moves a file that is not a database aside, says so, and starts a new journal', () => {
    writeFileSync(file(), 'this is not a database, it is a shopping list\n'.repeat(200));
    const before = sha(file());
    const o = openOk();
    expect(o.status).toBe('recovered');
    expect(o.movedAside).toBe(`${file()}.damaged-2025-03-03T15-04-05-006Z`);
    expect(sha(o.movedAside!)).toBe(before);
    expect(o.warnings).toHaveLength(1);
    expect(o.warnings[0]).toContain('damaged');
    expect(o.warnings[0]).toContain('journal.sqlite.damaged-2025-03-03T15-04-05-006Z');
    expect(o.journal.integrity().ok).toBe(true);
    o.journal.close();
  });

  it('moves a journal with a corrupted page aside', () => {
    const o = openOk();
    o.journal.startSession({ appVersion: '0.1.0', profile: 'local-paper', simulated: true });
    const insert = o.journal.db.prepare('INSERT INTO risk_events (at, kind, code, message, details) VALUES (?, ?, ?, ?, ?)');
    o.journal.db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(i, 'denied', 'MAX_LOSS', 'x'.repeat(200), '{}');
    })();
    o.journal.close();
    const pageSize = 4096;
    const fd = openSync(file(), 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, pageSize * 5); // scribble over a b-tree page
    closeSync(fd);
    const damaged = openOk();
    expect(damaged.status).toBe('recovered');
    expect(damaged.warnings[0]).toMatch(/damaged/);
    expect(readdirSync(dir).filter((f) => f.includes('.damaged-'))).toHaveLength(1);
    damaged.journal.close();
  });

  it('reports an unusable data directory as an error value', () => {
    writeFileSync(join(dir, 'blocker'), '');
    const r = openJournal({ dataDir: join(dir, 'blocker', 'sub') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('IO');
  });
});
