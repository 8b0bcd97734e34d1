// The packaging config: fuses set as documented, native binaries unpacked from the ASAR, no second SQLite build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../support/yaml';

const root = join(import.meta.dirname, '..', '..');
const config = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('flips the Electron fuses a trading app needs', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs an ASAR with integrity and unpacks every native binary (better-sqlite3 loads the same Node-API build)', () => {
    expect(config.asar).toBe(true);
    expect((config.asarIntegrity as unknown) ?? null).toBeNull();
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(config.extraResources).toBeUndefined();
    expect(JSON.stringify(config.files)).not.toContain('.node');
  });

  it('builds NSIS, DMG + zip with the hardened runtime and notarization, and an AppImage', () => {
    const mac = config.mac as Record<string, unknown>;
    expect(mac.target).toEqual(['dmg', 'zip']);
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.notarize).toBe(true);
    expect((config.win as Record<string, unknown>).target).toEqual(['nsis']);
    expect((config.linux as Record<string, unknown>).target).toEqual(['AppImage']);
    for (const os of ['mac', 'win', 'linux']) expect((config[os] as Record<string, unknown>).icon).toBe('resources/icon.png');
  });

  it('no script still builds or points at a separate Electron-ABI binding', () => {
    for (const f of ['scripts/start.mjs', 'scripts/dist.mjs', 'scripts/electron-env.mjs', 'README.md']) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(text, f).not.toMatch(/SPREADDESK_SQLITE_BINDING|@electron\/rebuild|ensureElectronSqlite|sqliteNativeOptions/);
    }
  });
});
