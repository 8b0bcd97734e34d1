import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractFailure, type Settings } from '../../../core/contract';
import { silentLogger } from '../logging';
import { createSettingsStore, SETTINGS_FILE } from './settings-store';

const dir = () => mkdtempSync(join(tmpdir(), 'sd-settings-'));

describe('settings store', () => {
  it('starts from defaults with Local paper active', () => {
    const s = createSettingsStore(dir(), silentLogger(), () => undefined);
    expect(s.get().activeProfile).toBe('local-paper');
    expect(s.get().profiles.map((p) => [p.id, p.port])).toEqual([
      ['local-paper', 0],
      ['tws-paper', 7497],
      ['tws-live', 7496],
      ['gateway-paper', 4002],
      ['gateway-live', 4001],
    ]);
    expect(s.loadWarning).toBeNull();
  });

  it('persists an update atomically and reloads it', () => {
    const d = dir();
    const changes: Settings[] = [];
    const s = createSettingsStore(d, silentLogger(), (x) => changes.push(x));
    s.update({ profiles: [{ id: 'tws-paper', port: 7498, clientId: 9 }] });
    expect(changes).toHaveLength(1);
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = createSettingsStore(d, silentLogger(), () => undefined);
    expect(again.get().profiles.find((p) => p.id === 'tws-paper')).toMatchObject({ port: 7498, clientId: 9 });
  });

  it('refuses an invalid update and keeps the file unchanged', () => {
    const d = dir();
    const s = createSettingsStore(d, silentLogger(), () => undefined);
    s.update({ activeProfile: 'tws-paper' });
    const before = readFileSync(join(d, SETTINGS_FILE), 'utf8');
    expect(() => s.update({ profiles: [{ id: 'tws-paper', port: 0 }] })).toThrow(ContractFailure);
    // The refusal is a sentence about the field, not a schema path.
    expect(() => s.update({ profiles: [{ id: 'tws-paper', port: 0 }] })).toThrow(/^Port\b[^.]*\.$/);
    expect(readFileSync(join(d, SETTINGS_FILE), 'utf8')).toBe(before);
    expect(s.get().profiles.find((p) => p.id === 'tws-paper')?.port).toBe(7497);
  });

  it('cannot turn a live profile into a paper one', () => {
    const s = createSettingsStore(dir(), silentLogger(), () => undefined);
    const saved = s.update({ profiles: [{ id: 'tws-live', live: false, simulated: true }] });
    expect(saved.profiles.find((p) => p.id === 'tws-live')).toMatchObject({ live: true, simulated: false });
  });

  it('keeps a corrupt file aside, warns and uses defaults', () => {
    const d = dir();
    writeFileSync(join(d, SETTINGS_FILE), '{"schemaVersion": 1, "activeProfile": "nope"');
    const s = createSettingsStore(d, silentLogger(), () => undefined);
    expect(s.get().activeProfile).toBe('local-paper');
    expect(s.loadWarning).toMatch(/could not be read.*kept as/);
    const aside = readdirSync(d).find((f) => f.startsWith(`${SETTINGS_FILE}.corrupt-`));
    expect(aside).toBeDefined();
    expect(readFileSync(join(d, aside!), 'utf8')).toContain('"nope"');
    expect(existsSync(join(d, SETTINGS_FILE))).toBe(false);
  });
});
