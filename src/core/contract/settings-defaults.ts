// Default settings and the pure merge of a settings patch; main persists, this decides.
import { Settings, type ConnectionProfile, type SettingsPatch } from './settings';

export const DEFAULT_PROFILES: readonly ConnectionProfile[] = [
  { id: 'local-paper', label: 'Local paper (simulated)', host: '127.0.0.1', port: 0, clientId: 1, live: false, simulated: true },
  { id: 'tws-paper', label: 'TWS paper', host: '127.0.0.1', port: 7497, clientId: 1, live: false, simulated: false },
  { id: 'tws-live', label: 'TWS live', host: '127.0.0.1', port: 7496, clientId: 1, live: true, simulated: false },
  { id: 'gateway-paper', label: 'IB Gateway paper', host: '127.0.0.1', port: 4002, clientId: 1, live: false, simulated: false },
  { id: 'gateway-live', label: 'IB Gateway live', host: '127.0.0.1', port: 4001, clientId: 1, live: true, simulated: false },
];

export function defaultSettings(): Settings {
  return Settings.parse({
    schemaVersion: 1,
    activeProfile: 'local-paper',
    profiles: DEFAULT_PROFILES.map((p) => ({ ...p })),
    ui: {},
  });
}

/**
 * Applies a patch to settings. Identity fields (`live`, `simulated`) of a profile are fixed by its id:
 * a patch cannot turn a live profile into a paper one. Local paper's port 0 means "the app picks one".
 * Returns the merged settings, validated; throws the zod error when the result is invalid.
 */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const profiles = current.profiles.map((p) => {
    const change = patch.profiles?.find((c) => c.id === p.id);
    if (!change) return p;
    const fixed = DEFAULT_PROFILES.find((d) => d.id === p.id);
    return { ...p, ...change, live: fixed?.live ?? p.live, simulated: fixed?.simulated ?? p.simulated };
  });
  const ui = patch.ui ? { ...current.ui, ...patch.ui } : current.ui;
  return Settings.parse({ ...current, activeProfile: patch.activeProfile ?? current.activeProfile, profiles, ui });
}
