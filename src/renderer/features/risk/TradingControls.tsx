// Header controls for order safety: the kill switch (button and Ctrl+Shift+K, confirmed, with its report), arming of a LIVE account, and reset of a halt.
import { useEffect, useRef, useState } from 'react';
import type { KillReport } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { useAppStore } from '../../stores/app-store';
import { bindRiskStore, useRiskStore } from './risk-store';
import './risk.css';

type Open = 'kill' | 'arm' | 'reset' | null;

function useModal(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}

export function TradingControls() {
  const client = useClient();
  const status = useRiskStore((s) => s.status);
  const trading = useAppStore((s) => s.trading);
  const [open, setOpen] = useState<Open>(null);
  const [flatten, setFlatten] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<KillReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const killRef = useModal(open === 'kill');
  const armRef = useModal(open === 'arm');
  const resetRef = useModal(open === 'reset');

  useEffect(() => bindRiskStore(client), [client]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && (e.key === 'K' || e.key === 'k')) {
        e.preventDefault();
        setReport(null);
        setError(null);
        setOpen('kill');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const show = (o: Open) => {
    setTyped('');
    setError(null);
    setReport(null);
    setOpen(o);
  };
  const kill = async () => {
    setBusy(true);
    const r = await client.invoke('trading.kill', { flatten });
    setBusy(false);
    if (r.ok) setReport(r.value);
    else setError(r.error.message);
  };
  const confirmTyped = async (method: 'trading.arm' | 'trading.reset') => {
    const r = await client.invoke(method, { confirm: typed });
    if (r.ok) {
      useRiskStore.setState({ status: r.value });
      setOpen(null);
    } else setError(r.error.message);
  };
  const latched = status?.breaker ?? null;
  const state = trading?.state ?? 'HALTED';

  return (
    <div className="trading-controls">
      {status?.armRequired ? (
        status.armed ? (
          <button type="button" className="btn btn-armed" data-testid="disarm" title="Orders can be sent on this LIVE account; click to disarm" onClick={() => void client.invoke('trading.disarm', {}).then((r) => r.ok && useRiskStore.setState({ status: r.value }))}>
            ARMED
          </button>
        ) : (
          <button type="button" className="btn btn-arm" data-testid="arm" title="LIVE account: read-only until armed for this session" onClick={() => show('arm')}>
            Arm live
          </button>
        )
      ) : null}
      {latched ? (
        <button type="button" className="btn" data-testid="reset-halt" title={latched.reason} onClick={() => show('reset')}>
          Reset {latched.state}
        </button>
      ) : null}
      <button type="button" className="btn btn-kill" data-testid="kill-switch" title="Kill switch: cancel every order, optionally flatten, HALT (Ctrl+Shift+K)" onClick={() => show('kill')}>
        KILL
      </button>

      <dialog ref={killRef} className="dialog risk-dialog" aria-label="Kill switch" data-testid="kill-dialog" onCancel={(e) => { e.preventDefault(); setOpen(null); }}>
        <h2>Kill switch</h2>
        {!report ? (
          <>
            <p>Cancel <b>every working order</b> of this account, then halt trading until you reset it. Trading is now <b>{state}</b>.</p>
            <label className="risk-check">
              <input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.target.checked)} data-testid="kill-flatten" /> Also flatten every open spread, each as one combo order
            </label>
            {error ? <div className="field-error" role="alert">{error}</div> : null}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => setOpen(null)}>Cancel</button>
              <button type="button" className="btn btn-kill" disabled={busy} onClick={() => void kill()} data-testid="kill-confirm">{busy ? 'Killing…' : 'Kill now'}</button>
            </div>
          </>
        ) : (
          <>
            <p data-testid="kill-summary">
              Cancels sent in {report.cancelsSentAt - report.pressedAt} ms; done in {report.finishedAt - report.pressedAt} ms. Trading is <b>{report.trading.state}</b>.
            </p>
            <ol className="kill-report" data-testid="kill-report">
              {report.actions.map((a, i) => (
                <li key={i} className={a.ok ? 'ok' : 'failed'}>
                  <span className="kill-kind">{a.kind}</span> {a.orderId !== null ? <span className="mono">#{a.orderId}</span> : null} {a.spread ? <span>{a.spread}</span> : null} — {a.message}
                </li>
              ))}
            </ol>
            <div className="dialog-actions">
              <button type="button" className="btn btn-primary" onClick={() => setOpen(null)}>Close</button>
            </div>
          </>
        )}
      </dialog>

      <dialog ref={armRef} className="dialog risk-dialog" aria-label="Arm live account" data-testid="arm-dialog" onCancel={(e) => { e.preventDefault(); setOpen(null); }}>
        <h2>Arm LIVE account</h2>
        <p>Orders on account <b className="mono">{status?.account ?? '—'}</b> use real money. Type the account id to allow sending orders in this session. A disconnect or restart disarms it.</p>
        <input aria-label="Account id" className="risk-typed" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={status?.account ?? ''} data-testid="arm-input" />
        {error ? <div className="field-error" role="alert">{error}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setOpen(null)}>Cancel</button>
          <button type="button" className="btn btn-arm" disabled={typed.trim() !== status?.account} onClick={() => void confirmTyped('trading.arm')} data-testid="arm-confirm">Arm</button>
        </div>
      </dialog>

      <dialog ref={resetRef} className="dialog risk-dialog" aria-label="Reset halt" data-testid="reset-dialog" onCancel={(e) => { e.preventDefault(); setOpen(null); }}>
        <h2>Reset {latched?.state ?? 'halt'}</h2>
        <p>{latched?.reason}</p>
        <p>Type <b>RESET</b> to allow trading again.</p>
        <input aria-label="Type RESET" className="risk-typed" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="reset-input" />
        {error ? <div className="field-error" role="alert">{error}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setOpen(null)}>Cancel</button>
          <button type="button" className="btn btn-primary" disabled={typed.trim() !== 'RESET'} onClick={() => void confirmTyped('trading.reset')} data-testid="reset-confirm">Reset</button>
        </div>
      </dialog>
    </div>
  );
}
