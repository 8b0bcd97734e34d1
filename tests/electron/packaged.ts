// Where electron-builder put the unpacked app on this platform, and the fuses its Electron binary really carries.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../support/yaml';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The packaged executable under `releaseDir` (linux-unpacked, win-unpacked, mac-…/SpreadDesk.app), or null. */
export function packagedExecutable(releaseDir: string, platform: NodeJS.Platform = process.platform): string | null {
  if (!existsSync(releaseDir)) return null;
  const dirs = readdirSync(releaseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const candidates =
    platform === 'darwin'
      ? dirs.filter((d) => d.startsWith('mac')).map((d) => join(releaseDir, d, 'SpreadDesk.app', 'Contents', 'MacOS', 'SpreadDesk'))
      : platform === 'win32'
        ? dirs.filter((d) => d.startsWith('win') && d.endsWith('unpacked')).map((d) => join(releaseDir, d, 'SpreadDesk.exe'))
        : dirs.filter((d) => d.startsWith('linux') && d.endsWith('unpacked')).map((d) => join(releaseDir, d, 'spreaddesk'));
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** electron-builder.yml's `electronFuses` keyed by @electron/fuses' FuseV1Options names. */
export function configuredFuses(): Record<string, boolean> {
  const cfg = parseYaml(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
  return Object.fromEntries(Object.entries(cfg.electronFuses).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));
}
