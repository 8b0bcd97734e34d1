// Electron helpers for the start and dist scripts: where the project is and whether the Electron binary exists.
import { existsSync } from 'node:fs';
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
