// The status bar's simulation badge: SIMULATED TIME (or SIMULATED DATA when the clock is the wall clock), speed or PAUSED; opens the controls.
import { useState } from 'react';
import type { SimClockView } from './sim-clock';
import { SimControls } from './SimControls';
import './sim.css';

export function SimBadge({ sim }: { sim: SimClockView }) {
  const [open, setOpen] = useState(false);
  const st = sim.status;
  if (!st) return null;
  const label = st.simulatedTime ? 'SIMULATED TIME' : 'SIMULATED DATA';
  const pace = st.paused ? 'PAUSED' : st.speed === 1 ? '1×' : `${st.speed.toLocaleString('en-US')}×`;
  const scen = st.scenario;
  const active = scen ? [scen.volShift !== 0 ? 'vol' : '', scen.widen !== 1 ? 'wide' : '', scen.ivNoise > 0 ? 'noise' : '', scen.halted.length > 0 ? 'halt' : ''].filter(Boolean) : [];
  return (
    <>
      <button
        type="button"
        className={`status-item sim-badge${st.paused ? ' sim-paused' : ''}`}
        onClick={() => setOpen(true)}
        title={`The embedded paper exchange is the data source: prices are simulated (seed ${st.seed ?? '—'}); the market clock ${st.simulatedTime ? 'is not wall-clock time' : 'follows the wall clock'}. Click for simulation controls.`}
        data-testid="sim-badge"
      >
        <span className="sim-badge-label">{label}</span>
        <span className="mono">{pace}</span>
        {active.length > 0 ? <span className="sim-badge-scen">{active.join(' ')}</span> : null}
      </button>
      {open ? <SimControls sim={sim} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
