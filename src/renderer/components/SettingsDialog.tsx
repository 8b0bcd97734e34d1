// The Settings dialog: connection profiles and Preferences, validated with the contract's schemas, saved through main.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ConnectionProfile, type ProfileId, type Settings } from '../../core/contract';
import { useClient } from '../platform/context';
import { useAppStore } from '../stores/app-store';
import { RiskSettings } from '../features/risk/RiskSettings';
import { Preferences, prefsPatch, toPrefsDraft, validatePrefs, type PrefsDraft } from './Preferences';

interface Draft {
  id: ProfileId;
  host: string;
  port: string;
  clientId: string;
}

type FieldErrors = Partial<Record<'host' | 'port' | 'clientId', string>>;

function toDrafts(settings: Settings): Draft[] {
  return settings.profiles.map((p) => ({ id: p.id, host: p.host, port: String(p.port), clientId: String(p.clientId) }));
}

/** Numbers typed by a person: digits only, else NaN so the schema reports it. */
function parseWhole(s: string): number {
  return /^\s*-?\d+\s*$/.test(s) ? Number(s) : Number.NaN;
}

export function validateDraft(draft: Draft, base: Settings['profiles'][number]): FieldErrors {
  // Local paper picks its own port, so its port field is not edited.
  const candidate = { ...base, host: draft.host, port: base.simulated ? base.port : parseWhole(draft.port), clientId: parseWhole(draft.clientId) };
  const parsed = ConnectionProfile.safeParse(candidate);
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if ((key === 'host' || key === 'port' || key === 'clientId') && !errors[key]) errors[key] = issue.message;
  }
  if (errors.port && Number.isNaN(candidate.port)) errors.port = 'Port must be a whole number between 1 and 65535';
  if (errors.clientId && Number.isNaN(candidate.clientId)) errors.clientId = 'Client id must be a whole number';
  return errors;
}

export function SettingsDialog() {
  const client = useClient();
  const settings = useAppStore((s) => s.settings);
  const open = useAppStore((s) => s.settingsOpen);
  const setOpen = useAppStore((s) => s.setSettingsOpen);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [active, setActive] = useState<ProfileId>('local-paper');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const [prefs, setPrefs] = useState<PrefsDraft | null>(null);

  useEffect(() => {
    if (open && settings) {
      setDrafts(toDrafts(settings));
      setActive(settings.activeProfile);
      setSaveError(null);
      setPrefs(toPrefsDraft(settings, null));
      // connection.tune with no change answers the current pacer rate and line budget.
      void client.invoke('connection.tune', { tuning: {} }).then((r) => {
        if (r.ok) setPrefs((p) => (p ? { ...p, pacerRate: String(r.value.pacerRate), lineBudget: String(r.value.lineBudget) } : p));
      });
    }
  }, [open, settings, client]);
  const prefErrors = useMemo(() => (prefs ? validatePrefs(prefs) : {}), [prefs]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const errors = useMemo(() => {
    if (!settings) return {} as Record<string, FieldErrors>;
    return Object.fromEntries(drafts.map((d) => [d.id, validateDraft(d, settings.profiles.find((p) => p.id === d.id)!)]));
  }, [drafts, settings]);
  const hasErrors = Object.values(errors).some((e) => Object.keys(e).length > 0) || Object.keys(prefErrors).length > 0;

  if (!settings) return null;

  const update = (id: ProfileId, field: keyof Omit<Draft, 'id'>, value: string) => setDrafts((ds) => ds.map((d) => (d.id === id ? { ...d, [field]: value } : d)));

  const save = async () => {
    if (hasErrors) return;
    setSaving(true);
    const profiles = drafts.map((d) => {
      const base = settings.profiles.find((p) => p.id === d.id)!;
      return { id: d.id, host: d.host.trim(), port: base.simulated ? base.port : parseWhole(d.port), clientId: parseWhole(d.clientId) };
    });
    const p = prefs ? prefsPatch(prefs) : null;
    if (p && Object.keys(p.tuning).length > 0) {
      const tuned = await client.invoke('connection.tune', { tuning: p.tuning });
      if (!tuned.ok) {
        setSaving(false);
        setSaveError(tuned.error.message);
        return;
      }
    }
    const res = await client.invoke('settings.update', { patch: { activeProfile: active, profiles, ...(p ? { ui: p.ui } : {}) } });
    setSaving(false);
    if (res.ok) {
      useAppStore.setState({ settings: res.value });
      setOpen(false);
    } else {
      setSaveError(res.error.message);
    }
  };

  return (
    <dialog ref={dialog} className="dialog" aria-label="Settings" data-testid="settings-dialog" onCancel={(e) => { e.preventDefault(); setOpen(false); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <h2>Connection profiles</h2>
        <p className="hint">
          Local paper runs the built-in simulated exchange (no IBKR account needed). The others connect to TWS or IB Gateway on this machine:
          enable the API socket there, add 127.0.0.1 to trusted IPs, and turn off read-only mode to trade.
        </p>
        <table className="profiles">
          <thead>
            <tr>
              <th>Active</th>
              <th>Profile</th>
              <th>Host</th>
              <th>Port</th>
              <th>Client id</th>
            </tr>
          </thead>
          <tbody>
            {drafts.map((d) => {
              const base = settings.profiles.find((p) => p.id === d.id)!;
              const e = errors[d.id] ?? {};
              return (
                <tr key={d.id} data-profile={d.id}>
                  <td>
                    <input type="radio" name="active" aria-label={`Use ${base.label}`} checked={active === d.id} onChange={() => setActive(d.id)} />
                  </td>
                  <td>
                    {base.label} {base.live ? <span className="tag tag-live">LIVE</span> : base.simulated ? <span className="tag tag-sim">SIM</span> : <span className="tag tag-paper">PAPER</span>}
                  </td>
                  <td>
                    <input aria-label={`${base.label} host`} name="host" value={d.host} disabled={base.simulated} onChange={(ev) => update(d.id, 'host', ev.target.value)} aria-invalid={!!e.host} />
                    {e.host ? <div className="field-error" role="alert">{e.host}</div> : null}
                  </td>
                  <td>
                    <input
                      aria-label={`${base.label} port`}
                      name="port"
                      inputMode="numeric"
                      value={base.simulated ? 'auto' : d.port}
                      disabled={base.simulated}
                      onChange={(ev) => update(d.id, 'port', ev.target.value)}
                      aria-invalid={!!e.port}
                    />
                    {e.port ? <div className="field-error" role="alert">{e.port}</div> : null}
                  </td>
                  <td>
                    <input aria-label={`${base.label} client id`} name="clientId" inputMode="numeric" value={d.clientId} onChange={(ev) => update(d.id, 'clientId', ev.target.value)} aria-invalid={!!e.clientId} />
                    {e.clientId ? <div className="field-error" role="alert">{e.clientId}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {prefs ? <Preferences draft={prefs} errors={prefErrors} onChange={setPrefs} /> : null}
        {saveError ? <div className="field-error" role="alert">Not saved: {saveError}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={hasErrors || saving} data-testid="save-settings">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      <RiskSettings />
    </dialog>
  );
}
