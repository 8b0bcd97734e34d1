// Settings → Preferences: density, colour-blind P&L colours, notifications per kind, backups, updates, and the broker
// pacer rate and line budget with their limits explained. Validated with the contract's own schemas.
import { BrokerTuning, UiPreferences, type Settings } from '../../core/contract';

export interface PrefsDraft {
  density: 'compact' | 'comfortable';
  colorBlindSafe: boolean;
  notifications: Settings['ui']['notifications'];
  backupKeep: string;
  autoUpdate: boolean;
  pacerRate: string;
  lineBudget: string;
}

export type PrefsErrors = Partial<Record<'backupKeep' | 'pacerRate' | 'lineBudget', string>>;

export function toPrefsDraft(settings: Settings, tuning: { pacerRate: number; lineBudget: number } | null): PrefsDraft {
  return {
    density: settings.ui.density,
    colorBlindSafe: settings.ui.colorBlindSafe,
    notifications: { ...settings.ui.notifications },
    backupKeep: String(settings.ui.backupKeep),
    autoUpdate: settings.ui.autoUpdate,
    pacerRate: tuning ? String(tuning.pacerRate) : '',
    lineBudget: tuning ? String(tuning.lineBudget) : '',
  };
}

const whole = (s: string) => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : Number.NaN);

/** One sentence per wrong field, from the same schemas main applies. */
export function validatePrefs(d: PrefsDraft): PrefsErrors {
  const errors: PrefsErrors = {};
  const keep = UiPreferences.shape.backupKeep.unwrap().safeParse(whole(d.backupKeep));
  if (!keep.success) errors.backupKeep = Number.isNaN(whole(d.backupKeep)) ? 'Backups to keep must be a whole number' : keep.error.issues[0]!.message;
  if (d.pacerRate !== '') {
    const r = BrokerTuning.shape.pacerRate.safeParse(whole(d.pacerRate));
    if (!r.success) errors.pacerRate = Number.isNaN(whole(d.pacerRate)) ? 'Pacer rate must be a whole number of messages per second' : r.error.issues[0]!.message;
  }
  if (d.lineBudget !== '') {
    const r = BrokerTuning.shape.lineBudget.safeParse(whole(d.lineBudget));
    if (!r.success) errors.lineBudget = Number.isNaN(whole(d.lineBudget)) ? 'Line budget must be a whole number of lines' : r.error.issues[0]!.message;
  }
  return errors;
}

export function prefsPatch(d: PrefsDraft): { ui: Partial<Settings['ui']>; tuning: { pacerRate?: number; lineBudget?: number } } {
  return {
    ui: { density: d.density, colorBlindSafe: d.colorBlindSafe, notifications: d.notifications, backupKeep: whole(d.backupKeep), autoUpdate: d.autoUpdate },
    tuning: { ...(d.pacerRate !== '' ? { pacerRate: whole(d.pacerRate) } : {}), ...(d.lineBudget !== '' ? { lineBudget: whole(d.lineBudget) } : {}) },
  };
}

const NOTIFY_LABEL: Record<keyof Settings['ui']['notifications'], string> = { fills: 'Fills', rejects: 'Order rejects', riskDenials: 'Risk denials', disconnects: 'Disconnects', exits: 'Exits fired', breakers: 'Breakers' };

export function Preferences({ draft, errors, onChange }: { draft: PrefsDraft; errors: PrefsErrors; onChange(d: PrefsDraft): void }) {
  const set = <K extends keyof PrefsDraft>(k: K, v: PrefsDraft[K]) => onChange({ ...draft, [k]: v });
  return (
    <section aria-label="Preferences" data-testid="preferences">
      <h2>Preferences</h2>
      <div className="prefs">
        <label htmlFor="pref-density">Density</label>
        <select id="pref-density" value={draft.density} onChange={(e) => set('density', e.target.value as PrefsDraft['density'])}>
          <option value="compact">Compact (more rows)</option>
          <option value="comfortable">Comfortable (larger text)</option>
        </select>

        <label htmlFor="pref-cb">Colour-blind P&amp;L colours</label>
        <div>
          <input id="pref-cb" type="checkbox" checked={draft.colorBlindSafe} onChange={(e) => set('colorBlindSafe', e.target.checked)} />
          <span className="limit"> Gains in blue, losses in orange instead of green and red.</span>
        </div>

        <span>Notifications</span>
        <div>
          {(Object.keys(NOTIFY_LABEL) as (keyof PrefsDraft['notifications'])[]).map((k) => (
            <label key={k} style={{ marginRight: 12 }}>
              <input type="checkbox" checked={draft.notifications[k]} onChange={(e) => set('notifications', { ...draft.notifications, [k]: e.target.checked })} /> {NOTIFY_LABEL[k]}
            </label>
          ))}
        </div>

        <label htmlFor="pref-pacer">Pacer rate (messages/s)</label>
        <div>
          <input id="pref-pacer" name="pacerRate" inputMode="numeric" value={draft.pacerRate} aria-invalid={!!errors.pacerRate} onChange={(e) => set('pacerRate', e.target.value)} />
          <div className="limit">1–50. IBKR disconnects a client that sends more than 50 messages a second; 45 (the default) leaves headroom for orders.</div>
          {errors.pacerRate ? <div className="field-error" role="alert">{errors.pacerRate}</div> : null}
        </div>

        <label htmlFor="pref-lines">Market-data line budget</label>
        <div>
          <input id="pref-lines" name="lineBudget" inputMode="numeric" value={draft.lineBudget} aria-invalid={!!errors.lineBudget} onChange={(e) => set('lineBudget', e.target.value)} />
          <div className="limit">At least 1. Your IBKR account allows 100 simultaneous quote lines unless you bought more (quote booster packs); above your real allowance TWS refuses quotes with error 101.</div>
          {errors.lineBudget ? <div className="field-error" role="alert">{errors.lineBudget}</div> : null}
        </div>

        <label htmlFor="pref-backups">Journal backups to keep</label>
        <div>
          <input id="pref-backups" name="backupKeep" inputMode="numeric" value={draft.backupKeep} aria-invalid={!!errors.backupKeep} onChange={(e) => set('backupKeep', e.target.value)} />
          <div className="limit">1–365. After each backup the oldest beyond this number are deleted.</div>
          {errors.backupKeep ? <div className="field-error" role="alert">{errors.backupKeep}</div> : null}
        </div>

        <label htmlFor="pref-update">Check for updates</label>
        <div>
          <input id="pref-update" type="checkbox" checked={draft.autoUpdate} onChange={(e) => set('autoUpdate', e.target.checked)} />
          <span className="limit"> Installed desktop app only; off unless you turn it on.</span>
        </div>
      </div>
    </section>
  );
}
