// Settings → Risk: every limit with its unit and what it blocks, validated by main's schema, saved with risk.update.
import { useEffect, useState } from 'react';
import type { RiskLimits } from '../../../core/contract';
import { RISK_LIMIT_INFO } from '../../../core/risk/limits';
import { useClient } from '../../platform/context';
import { useRiskStore } from './risk-store';
import './risk.css';

type Draft = Record<keyof RiskLimits, string>;
const NUMERIC = (Object.keys(RISK_LIMIT_INFO) as (keyof RiskLimits)[]).filter((k) => !['zeroDteCutoff', 'allowSymbols', 'denySymbols', 'requireRegularSession', 'dailyLossBasis', 'dailyLossAction'].includes(k));

function toDraft(l: RiskLimits): Draft {
  const d = {} as Draft;
  for (const k of Object.keys(l) as (keyof RiskLimits)[]) {
    const v = l[k];
    d[k] = v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return d;
}

/** Blank = the check is off; the schema in main says what is wrong with anything else. */
function fromDraft(d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of NUMERIC) out[k] = d[k].trim() === '' ? null : Number(d[k]);
  out.zeroDteCutoff = d.zeroDteCutoff.trim() === '' ? null : d.zeroDteCutoff.trim();
  out.allowSymbols = d.allowSymbols.split(/[,\s]+/).filter(Boolean);
  out.denySymbols = d.denySymbols.split(/[,\s]+/).filter(Boolean);
  out.requireRegularSession = d.requireRegularSession === 'true';
  out.dailyLossBasis = d.dailyLossBasis;
  out.dailyLossAction = d.dailyLossAction;
  return out;
}

export function RiskSettings() {
  const client = useClient();
  const limits = useRiskStore((s) => s.limits);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (limits) setDraft(toDraft(limits));
  }, [limits]);
  if (!draft) return null;
  const set = (k: keyof RiskLimits, v: string) => setDraft({ ...draft, [k]: v });
  const save = async () => {
    const res = await client.invoke('risk.update', { limits: fromDraft(draft) as never });
    if (res.ok) {
      useRiskStore.setState({ limits: res.value });
      setMessage({ ok: true, text: 'Risk limits saved.' });
    } else setMessage({ ok: false, text: res.error.message });
  };
  const row = (k: keyof RiskLimits, input: React.ReactNode) => {
    const info = RISK_LIMIT_INFO[k];
    return (
      <tr key={k} data-limit={k}>
        <td className="risk-label">{info.label}</td>
        <td className="risk-input">{input}</td>
        <td className="risk-unit">{info.unit}</td>
        <td className="risk-blocks">{info.blocks}</td>
      </tr>
    );
  };
  const text = (k: keyof RiskLimits, placeholder = 'off') => (
    <input aria-label={`${RISK_LIMIT_INFO[k].label} (${RISK_LIMIT_INFO[k].unit})`} value={draft[k]} placeholder={placeholder} onChange={(e) => set(k, e.target.value)} />
  );
  return (
    <section className="risk-settings" data-testid="risk-settings" aria-label="Risk limits">
      <h2>Risk</h2>
      <p className="hint">Every order is checked against these before it is sent. A limit is itself allowed; crossing it blocks. Leave a field blank to turn its check off.</p>
      <table className="risk-table">
        <tbody>
          {NUMERIC.filter((k) => k !== 'dailyLossLimitUsd' && k !== 'maxConsecutiveRejects').map((k) => row(k, text(k)))}
          {row('zeroDteCutoff', text('zeroDteCutoff', 'HH:MM'))}
          {row('allowSymbols', text('allowSymbols', 'any'))}
          {row('denySymbols', text('denySymbols', 'none'))}
          {row('requireRegularSession', <input type="checkbox" aria-label="Regular session only" checked={draft.requireRegularSession === 'true'} onChange={(e) => set('requireRegularSession', String(e.target.checked))} />)}
          <tr><td colSpan={4} className="risk-group">Breakers</td></tr>
          {row('dailyLossLimitUsd', text('dailyLossLimitUsd'))}
          {row('dailyLossBasis', <select aria-label="Daily loss measured at" value={draft.dailyLossBasis} onChange={(e) => set('dailyLossBasis', e.target.value)}><option value="mid">mid</option><option value="natural">natural</option></select>)}
          {row('dailyLossAction', <select aria-label="Daily loss action" value={draft.dailyLossAction} onChange={(e) => set('dailyLossAction', e.target.value)}><option value="REDUCING">REDUCING</option><option value="HALTED">HALTED</option></select>)}
          {row('maxConsecutiveRejects', text('maxConsecutiveRejects'))}
        </tbody>
      </table>
      {message ? <div className={message.ok ? 'risk-saved' : 'field-error'} role={message.ok ? 'status' : 'alert'}>{message.text}</div> : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="save-risk">Save risk limits</button>
      </div>
    </section>
  );
}
