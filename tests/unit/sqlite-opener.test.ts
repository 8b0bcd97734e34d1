// Every SQLite file the app opens goes through src/main/services/sqlite.ts, and data files are owner-only.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BooksStore } from '../../src/main/paper/store';
import { openJournalDb } from '../../src/main/services/journal/db';
import { createLogger } from '../../src/main/services/logging';
import { openSqlite } from '../../src/main/services/sqlite';

const root = join(import.meta.dirname, '..', '..');
const OPENER = 'src/main/services/sqlite.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('one SQLite opener', () => {
  it('no app source outside the opener imports better-sqlite3 as a value or calls new Database(', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const rel = relative(root, file).replaceAll('\\', '/');
      if (rel === OPENER) continue;
      const text = readFileSync(file, 'utf8');
      const valueImport = /import\s+(?!type\b)[^;]*from\s+['"]better-sqlite3['"]/.test(text) || /require\(\s*['"]better-sqlite3['"]\s*\)/.test(text);
      if (valueImport || /new\s+Database\w*\(/.test(text)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });

  it('the opener passes no nativeBinding: the one Node-API binary serves Node and Electron', () => {
    expect(readFileSync(join(root, OPENER), 'utf8')).not.toMatch(/nativeBinding:/);
  });
});

// POSIX modes: the project's tests run on Linux and macOS (Windows protects the profile folder with ACLs).
describe('data files are 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sd-perm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (f: string) => statSync(f).mode & 0o777;

  it('the journal file and its WAL', () => {
    const opened = openJournalDb({ dataDir: dir, now: 1 });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    opened.value.db.prepare('SELECT 1').get();
    expect(mode(opened.value.file)).toBe(0o600);
    for (const f of readdirSync(dir).filter((n) => n.startsWith('journal.sqlite'))) expect(mode(join(dir, f)), f).toBe(0o600);
    opened.value.db.close();
  });

  it('the paper store', () => {
    const store = new BooksStore(join(dir, 'paper.sqlite'));
    store.setMeta('k', 'v');
    for (const f of readdirSync(dir).filter((n) => n.startsWith('paper.sqlite'))) expect(mode(join(dir, f)), f).toBe(0o600);
    store.close();
  });

  it('an existing world-readable file is tightened when opened', () => {
    const f = join(dir, 'old.sqlite');
    writeFileSync(f, '');
    chmodSync(f, 0o644);
    openSqlite(f).close();
    expect(mode(f)).toBe(0o600);
  });

  it('the log files', async () => {
    const logger = await createLogger({ dataDir: dir });
    logger.info('hello');
    logger.flush();
    await expect.poll(() => readdirSync(join(dir, 'logs')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const logs = readdirSync(join(dir, 'logs'));
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    for (const f of logs) expect(mode(join(dir, 'logs', f)), f).toBe(0o600);
  });
});
