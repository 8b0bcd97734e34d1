// Which better-sqlite3 binary to load: Node's build in node_modules, or Electron's build when running in Electron.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Options to pass to `new Database(file, options)`. Under plain Node (tests, headless) this is empty and
 * node_modules' build is used; under Electron the Electron-ABI build is loaded from the packaged resources
 * or from SPREADDESK_SQLITE_BINDING (set by `npm start`).
 */
export function sqliteNativeOptions(env: NodeJS.ProcessEnv = process.env): { nativeBinding?: string } {
  if (env.SPREADDESK_SQLITE_BINDING) return { nativeBinding: env.SPREADDESK_SQLITE_BINDING };
  if (!process.versions.electron) return {};
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const packaged = resources ? join(resources, 'native', 'better_sqlite3.node') : null;
  return packaged && existsSync(packaged) ? { nativeBinding: packaged } : {};
}
