// App updates: electron-updater, only when the user turns it on (Settings → Preferences, `ui.autoUpdate`; off by default).
import type { Logger } from '../services/logging';

/** The part of electron-updater's `autoUpdater` the app uses. */
export interface Updater {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export type UpdateState = 'off' | 'development' | 'unavailable' | 'checking';

/**
 * Checks for an update once when enabled in settings and running packaged. The updater is loaded lazily by
 * name, so the app builds and runs without the `electron-updater` package; then it answers 'unavailable'.
 */
export async function startAutoUpdate(opts: { enabled: boolean; packaged: boolean; logger: Logger; load?: () => Promise<Updater | null> }): Promise<UpdateState> {
  if (!opts.enabled) return 'off';
  if (!opts.packaged) return 'development';
  const updater = await (opts.load ?? loadElectronUpdater)();
  if (!updater) {
    opts.logger.warn('automatic updates are on, but this build does not include electron-updater');
    return 'unavailable';
  }
  updater.checkForUpdatesAndNotify().catch((e: unknown) => opts.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'update check failed'));
  return 'checking';
}

async function loadElectronUpdater(): Promise<Updater | null> {
  const name = 'electron-updater';
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { autoUpdater?: Updater; default?: { autoUpdater?: Updater } };
    return mod.autoUpdater ?? mod.default?.autoUpdater ?? null;
  } catch {
    return null;
  }
}
