// Electron helpers for the start and dist scripts: find the binary, build better-sqlite3 for Electron's ABI.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

/** The Electron executable, or null when its binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, no network). */
export function findElectronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function electronVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Where the Electron-ABI build of better-sqlite3 lives; the Node-ABI build in node_modules stays for tests. */
export function electronSqlitePath(version = electronVersion()) {
  return join(ROOT, '.native', `electron-${version}`, 'better_sqlite3.node');
}

/**
 * Builds better-sqlite3 against Electron's headers in a scratch copy, so node_modules keeps the Node build
 * that tests and headless mode use. Needs Electron's headers (downloaded once by node-gyp).
 */
export async function ensureElectronSqlite() {
  const version = electronVersion();
  const target = electronSqlitePath(version);
  if (existsSync(target)) return target;
  const scratch = join(ROOT, '.native', 'build');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, 'node_modules'), { recursive: true });
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'native-scratch', private: true, dependencies: { 'better-sqlite3': '*' } }));
  cpSync(join(ROOT, 'node_modules', 'better-sqlite3'), join(scratch, 'node_modules', 'better-sqlite3'), { recursive: true });
  const { rebuild } = await import('@electron/rebuild');
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  await rebuild({ buildPath: scratch, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(scratch, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(scratch, { recursive: true, force: true });
  return target;
}
