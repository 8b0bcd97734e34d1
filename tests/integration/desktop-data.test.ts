// The app's data on disk and the journal's answers while disconnected: backups kept to N with unique names, all 0600,
// and reconcile without a broker answers UNAVAILABLE with a sentence.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;
const FIXED = Date.UTC(2026, 11, 4, 15, 30);

describe('journal backups and reconcile (real services, disconnected)', () => {
  let services: Services;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sd-data-'));
    // A frozen clock: every backup below happens "in the same millisecond".
    services = await createServices({ mode: 'headless', dataDir: dir, version: '0.0.0-test', logger: silentLogger(), strictContract: true, now: () => FIXED });
  });
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconcile while disconnected answers UNAVAILABLE with a sentence, not INTERNAL with a stack', async () => {
    const res = await services.dispatcher.dispatch('journal.reconcile', {}, ctx);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('UNAVAILABLE');
    expect(res.error.message).toMatch(/^Not connected to the broker: connect first/);
    expect(res.error.message).not.toMatch(/\n\s+at /);
  });

  it('backups in the same millisecond get unique names, and only the newest N (setting) are kept', async () => {
    const upd = await services.dispatcher.dispatch('settings.update', { patch: { ui: { backupKeep: 3 } } }, ctx);
    expect(upd.ok).toBe(true);
    const paths: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await services.dispatcher.dispatch('journal.backup', {}, ctx);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) paths.push((r.value as { path: string }).path);
    }
    expect(new Set(paths).size).toBe(6);
    const kept = readdirSync(join(dir, 'backups')).sort();
    expect(kept, kept.join(" ")).toHaveLength(3);
    // The newest three survive: the last three paths returned.
    expect(kept.map((n) => join(dir, 'backups', n)).sort()).toEqual(paths.slice(3).sort());
    for (const n of kept) expect(statSync(join(dir, 'backups', n)).mode & 0o777, n).toBe(0o600);
  });

  it('refuses a retention outside its limits with a sentence', async () => {
    const r = await services.dispatcher.dispatch('settings.update', { patch: { ui: { backupKeep: 0 } } }, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/keep at least 1 backup\./i);
    expect(r.error.message).not.toContain('patch.');
  });
});
