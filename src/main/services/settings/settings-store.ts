// The settings store: a JSON file in the data directory, validated on load, written atomically.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ZodError } from 'zod';
import { ContractFailure, Settings, defaultSettings, mergeSettings, type SettingsPatch } from '../../../core/contract';
import { writeFileAtomic } from '../../fs/atomic-write';
import { issuesSentence } from '../../transport/issues';
import type { Logger } from '../logging';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  /** A message for the user when the file on disk was unreadable at start-up, else null. */
  readonly loadWarning: string | null;
}

export function createSettingsStore(dataDir: string, log: Logger, onChange: (s: Settings) => void): SettingsStore {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SETTINGS_FILE);
  let loadWarning: string | null = null;
  let current: Settings;

  if (!existsSync(path)) {
    current = defaultSettings();
  } else {
    const raw = readFileSync(path, 'utf8');
    let parsed: ReturnType<typeof Settings.safeParse> | null;
    try {
      parsed = Settings.safeParse(JSON.parse(raw));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      current = parsed.data;
    } else {
      // Keep the unreadable file for the user to inspect; never silently overwrite it.
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, aside);
      loadWarning = `Your settings file could not be read, so defaults are in use. The old file was kept as ${aside}.`;
      log.warn({ aside }, 'settings file unreadable; defaults in use');
      current = defaultSettings();
    }
  }

  return {
    get: () => current,
    get loadWarning() {
      return loadWarning;
    },
    update(patch) {
      let merged: Settings;
      try {
        merged = mergeSettings(current, patch);
      } catch (e) {
        if (e instanceof ZodError) throw new ContractFailure('VALIDATION', issuesSentence(e.issues, undefined));
        throw e;
      }
      writeFileAtomic(path, JSON.stringify(merged, null, 2));
      current = merged;
      onChange(current);
      return current;
    },
  };
}
