import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';

const dir = mkdtempSync(join(tmpdir(), 'sd-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file whole, leaves no temp file and reports the bytes', () => {
    const path = join(dir, 'a.json');
    writeFileSync(path, 'old');
    expect(writeFileAtomic(path, '{"ü":1}')).toBe(Buffer.byteLength('{"ü":1}'));
    expect(readFileSync(path, 'utf8')).toBe('{"ü":1}');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates private files unless told otherwise', () => {
    if (process.platform === 'win32') return;
    const priv = join(dir, 'private.json');
    writeFileAtomic(priv, 'x');
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    const shared = join(dir, 'shared.csv');
    writeFileAtomic(shared, 'x', { mode: 0o644 });
    expect(statSync(shared).mode & 0o077).toBe(0o044 & ~process.umask());
  });

  it('keeps the old file and cleans up when the target cannot be replaced', () => {
    const target = join(dir, 'is-a-dir');
    writeFileAtomic(join(dir, 'keep.txt'), 'kept');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(join(target, 'child'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x')).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('kept');
  });
});
