// Simulation controls for practice: pause/resume, speed, jumps in simulated time, and market scenarios.
import { useEffect, useRef, useState } from 'react';
import type { MethodArgs, SimScenario, SimStatus } from '../../../core/contract';
import { fromNewYork, nyDate } from '../../../core/market/timezone';
import { marketSession } from '../../components/market-session';
import { useClient } from '../../platform/context';
import { reportError } from '../../stores/app-store';
import type { SimClockView } from './sim-clock';

const SPEEDS = [1, 10, 60, 600, 3600];
const MIN = 60_000;

function fmtTime(ms: number): string {
  const s = marketSession(ms);
  return `${nyDate(ms)} ${s.clock} NY · ${s.label}`;
}

export function SimControls({ sim, onClose }: { sim: SimClockView; onClose: () => void }) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [symbol, setSymbol] = useState('SPY');
  const [pct, setPct] = useState('-3');
  const [volPts, setVolPts] = useState('5');
  const [widen, setWiden] = useState('2');
  const [noise, setNoise] = useState('1');
  const [dropSec, setDropSec] = useState('10');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const st = sim.status;
  const now = sim.now;

  const run = async <M extends 'sim.setSpeed' | 'sim.pause' | 'sim.resume' | 'sim.jump' | 'sim.scenario'>(method: M, args: MethodArgs<M>) => {
    setBusy(true);
    setError(null);
    const r = await client.invoke(method, args);
    setBusy(false);
    if (r.ok) sim.apply(r.value as SimStatus);
    else {
      setError(r.error.message);
      reportError(r.error, 'Simulation control');
    }
  };
  const scenario = (s: SimScenario) => void run('sim.scenario', { scenario: s });
  const num = (s: string) => Number(s.replace(',', '.'));
  const at1550 = now !== null ? fromNewYork(nyDate(now), 15 * 60 + 50) : null;
  const scen = st?.scenario;

  return (
    <dialog ref={ref} className="dialog dialog-narrow sim-dialog" onClose={onClose} data-testid="sim-controls">
      <h2>Simulation controls</h2>
      <p className="sim-note">
        The embedded paper exchange is the data source: every price is simulated (seed {st?.seed ?? '—'}). Controls change this market only.
      </p>
      <div className="sim-clock mono" data-testid="sim-clock">
        {now !== null ? fmtTime(now) : '—'} · {st?.paused ? 'PAUSED' : `${st?.speed ?? 1}×`} · {st?.mode === 'open' ? 'always-open sessions (nights skipped)' : 'NYSE hours'}
      </div>
      <section className="sim-section">
        <h3>Time</h3>
        <div className="sim-row">
          {st?.paused ? (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run('sim.resume', {})}>
              Resume
            </button>
          ) : (
            <button type="button" className="btn" disabled={busy} onClick={() => void run('sim.pause', {})}>
              Pause
            </button>
          )}
          <span className="label">speed</span>
          {SPEEDS.map((s) => (
            <button key={s} type="button" className={`btn${st?.speed === s ? ' sim-on' : ''}`} disabled={busy} onClick={() => void run('sim.setSpeed', { speed: s })}>
              {s}×
            </button>
          ))}
        </div>
        <div className="sim-row">
          <span className="label">jump</span>
          <button type="button" className="btn" disabled={busy} onClick={() => void run('sim.jump', { by: 15 * MIN })}>
            +15 min
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void run('sim.jump', { by: 60 * MIN })}>
            +1 h
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void run('sim.jump', { by: 24 * 60 * MIN })}>
            +1 day
          </button>
          <button type="button" className="btn" disabled={busy || at1550 === null || now === null || at1550 <= now} onClick={() => at1550 !== null && void run('sim.jump', { to: at1550 })} title="Today's 15:50 New York: ten minutes before the close (and before expiry-day settlement)">
            to 15:50 today
          </button>
        </div>
      </section>
      <section className="sim-section">
        <h3>Market</h3>
        <div className="sim-row">
          <span className="label">symbol</span>
          <input className="sim-input" value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} aria-label="Symbol" />
          <input className="sim-input" value={pct} onChange={(e) => setPct(e.target.value)} aria-label="Gap percent" />
          <span className="risk-unit">%</span>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'gap', symbol, pct: num(pct) })}>
            Gap
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'halt', symbol, halted: !(scen?.halted.includes(symbol) ?? false) })}>
            {scen?.halted.includes(symbol) ? 'Resume trading' : 'Halt'}
          </button>
        </div>
        <div className="sim-row">
          <span className="label">vol shock</span>
          <input className="sim-input" value={volPts} onChange={(e) => setVolPts(e.target.value)} aria-label="Vol shock points" />
          <span className="risk-unit">vol pts</span>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'volShock', points: num(volPts) })}>
            Apply
          </button>
          <span className="label">widen</span>
          <input className="sim-input" value={widen} onChange={(e) => setWiden(e.target.value)} aria-label="Widen factor" />
          <span className="risk-unit">×</span>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'widen', factor: num(widen) })}>
            Apply
          </button>
        </div>
        <div className="sim-row">
          <span className="label">IV noise ±</span>
          <input className="sim-input" value={noise} onChange={(e) => setNoise(e.target.value)} aria-label="IV noise points" />
          <span className="risk-unit">vol pts</span>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'ivNoise', points: num(noise) })}>
            Apply
          </button>
          <span className="label">drop link</span>
          <input className="sim-input" value={dropSec} onChange={(e) => setDropSec(e.target.value)} aria-label="Connection loss seconds" />
          <span className="risk-unit">s</span>
          <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'connectionLoss', seconds: num(dropSec), dataLost: false })}>
            Drop
          </button>
        </div>
        <div className="sim-row">
          <span className="label">TWS faults for {dropSec} s</span>
          <button type="button" className="btn" disabled={busy} title="TWS stops answering but keeps the socket open; the liveness probe finds it" onClick={() => scenario({ kind: 'freeze', seconds: num(dropSec) })}>
            Freeze
          </button>
          <button type="button" className="btn" disabled={busy} title="The connection drops and the client id stays in use: reconnects get error 326" onClick={() => scenario({ kind: 'clientIdInUse', seconds: num(dropSec) })}>
            Client id in use
          </button>
          <button type="button" className="btn" disabled={busy} title="TWS's daily restart: every client drops, connections are refused" onClick={() => scenario({ kind: 'dailyRestart', seconds: num(dropSec) })}>
            Daily restart
          </button>
        </div>
        <div className="sim-state" data-testid="sim-scenario">
          In force: vol {scen ? `${scen.volShift >= 0 ? '+' : '−'}${Math.abs(scen.volShift * 100).toFixed(1)} pts` : '—'} · width {scen ? `${scen.widen}×` : '—'} · IV noise ±{scen ? (scen.ivNoise * 100).toFixed(1) : '—'} pts · halted {scen && scen.halted.length > 0 ? scen.halted.join(', ') : 'none'}
          {scen && scen.gaps.length > 0 ? ` · gaps ${scen.gaps.map((g) => `${g.symbol} ${g.pct > 0 ? '+' : '−'}${Math.abs(g.pct).toFixed(1)}%`).join(', ')}` : ''}
        </div>
      </section>
      {error ? <p className="sim-error" role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" disabled={busy} onClick={() => scenario({ kind: 'reset' })}>
          Reset scenarios
        </button>
        <button type="button" className="btn btn-primary" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
