// Contract for settings: connection profiles and UI preferences, persisted by main.
import { z } from 'zod';
import { method } from './define';
import { DEFAULT_SCAN_RATE, ScanPreset, ScannerForm, ScannerGridState, ScannerModel } from './scanner';

export const ProfileId = z.enum(['local-paper', 'tws-paper', 'tws-live', 'gateway-paper', 'gateway-live']);
export type ProfileId = z.infer<typeof ProfileId>;

const host = z
  .string()
  .trim()
  .min(1, 'Host is required')
  .max(253, 'Host is too long')
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'Host may contain only letters, digits, dots, colons and hyphens');

const ConnectionProfileFields = z.object({
  id: ProfileId,
  label: z.string().min(1).max(60),
  host,
  /** 0 only for the simulated profile, where it means "the app picks a free port". */
  port: z.number({ error: 'Port must be a number' }).int('Port must be a whole number').min(0, 'Port must be between 1 and 65535').max(65535, 'Port must be between 1 and 65535'),
  clientId: z.number({ error: 'Client id must be a number' }).int('Client id must be a whole number').min(0, 'Client id must be 0 or more').max(2_147_483_647),
  /** Live profiles trade real money and need explicit arming. */
  live: z.boolean(),
  /** Local paper: the built-in simulated exchange; host/port are chosen by the app. */
  simulated: z.boolean(),
  /**
   * Liveness probe: a socket quiet this long is probed with reqCurrentTime (one message of TWS's 50/s). Absent =
   * DEFAULT_PROBE.intervalSec. A frozen TWS is found within interval + timeout (10 s by default).
   */
  probeIntervalSec: z.number({ error: 'Probe interval must be a number' }).min(1, 'Probe at most every second').max(60, 'Probe at least every 60 s').optional(),
  /** Liveness probe: no message at all this long after a probe = TWS is frozen; trading halts and the app reconnects. Absent = DEFAULT_PROBE.timeoutSec. */
  probeTimeoutSec: z.number({ error: 'Probe timeout must be a number' }).min(2, 'A probe timeout under 2 s mistakes a busy TWS for a frozen one').max(60, 'Probe timeout is at most 60 s').optional(),
});

/** The liveness probe's defaults (seconds): a frozen TWS is detected within 10 s. */
export const DEFAULT_PROBE = { intervalSec: 5, timeoutSec: 5 } as const;
export const ConnectionProfile = ConnectionProfileFields.superRefine((p, ctx) => {
  if (!p.simulated && p.port === 0) ctx.addIssue({ code: 'custom', path: ['port'], message: 'Port must be between 1 and 65535' });
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export const UiPreferences = z.object({
  theme: z.enum(['dark']).default('dark'),
  colorBlindSafe: z.boolean().default(false),
  panelSizes: z.record(z.string(), z.array(z.number().min(0).max(100)).max(8)).default({}),
  /** Desktop notifications and their toasts, per kind (each defaults on, so settings saved before a kind existed keep working). */
  notifications: z
    .object({
      fills: z.boolean().default(true),
      rejects: z.boolean().default(true),
      riskDenials: z.boolean().default(true),
      disconnects: z.boolean().default(true),
      exits: z.boolean().default(true),
      breakers: z.boolean().default(true),
    })
    .default({ fills: true, rejects: true, riskDenials: true, disconnects: true, exits: true, breakers: true }),
  /** Scanner presets, saved by name (scan.savePreset). */
  scannerPresets: z.array(ScanPreset).max(50).default([]),
  /** The scanner form as last used, restored when the panel opens. */
  scannerForm: ScannerForm.optional(),
  /** The scanner grid's columns, sort and filters. */
  scannerGrid: ScannerGridState.optional(),
  /** The scanner's model inputs for POP, EV and edge: the risk-free rate and each underlying's dividend yield. */
  scannerModel: ScannerModel.default({ rate: DEFAULT_SCAN_RATE, divYields: {} }),
  /** Row height and padding of grids and panels (Settings → Preferences). */
  density: z.enum(['compact', 'comfortable']).default('compact'),
  /** Journal backups kept in `backups/`; older ones are deleted after each backup. */
  backupKeep: z.number({ error: 'Backups to keep must be a number' }).int('Backups to keep must be a whole number').min(1, 'Keep at least 1 backup').max(365, 'Keep at most 365 backups').default(10),
  /** Check for and download app updates (electron-updater); off unless the user turns it on. */
  autoUpdate: z.boolean().default(false),
});
export type UiPreferences = z.infer<typeof UiPreferences>;

export const Settings = z.object({
  schemaVersion: z.literal(1),
  activeProfile: ProfileId,
  profiles: z.array(ConnectionProfile).length(5),
  ui: UiPreferences,
});
export type Settings = z.infer<typeof Settings>;

/**
 * A partial of an object whose absent fields stay absent. `.partial()` alone still applies each field's `.default()`,
 * so a ui patch naming one field would reset every defaulted field it does not name (panel sizes, presets…).
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): ReturnType<z.ZodObject<S>['partial']> {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, ((v instanceof z.ZodDefault ? v.unwrap() : v) as z.ZodType).optional()]));
  return z.object(shape) as unknown as ReturnType<z.ZodObject<S>['partial']>;
}

/** A partial update: profiles are merged by id, ui fields are merged shallowly. */
export const SettingsPatch = z
  .object({
    activeProfile: ProfileId.optional(),
    profiles: z.array(ConnectionProfileFields.partial().required({ id: true }).strict()).max(5).optional(),
    ui: patchOf(UiPreferences).strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsMethods = {
  'settings.get': method('Current settings.', z.object({}).strict(), Settings),
  'settings.update': method('Validate, merge and persist a settings patch; returns the saved settings.', z.object({ patch: SettingsPatch }).strict(), Settings),
};

export const settingsEvents = {
  'settings.changed': Settings,
};
