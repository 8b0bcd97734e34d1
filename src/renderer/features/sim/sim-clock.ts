// The simulated clock as the renderer shows it: sim.status polled once a second and run on between polls.
import { useEffect, useState } from 'react';
import type { SimStatus } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { useAppStore } from '../../stores/app-store';

/** The simulated instant at wall time `wallNow`: the sampled instant moved on at the clock's speed unless paused. */
export function simNowAt(st: SimStatus, wallNow: number): number | null {
  if (!st.active || st.now === null) return null;
  return st.paused ? st.now : st.now + Math.max(0, wallNow - st.sampledAt) * st.speed;
}

export interface SimClockView {
  /** The last status from the exchange (null until the first answer, or while no simulated profile is connected). */
  status: SimStatus | null;
  /** The simulated instant now, for display; null when the embedded exchange is not the data source. */
  now: number | null;
  /** Replaces the status with a control's answer (so the display follows a click at once). */
  apply(st: SimStatus): void;
}

/** Polls sim.status while the connected profile is the embedded exchange; the one owner of that timer. */
export function useSimClock(): SimClockView {
  const client = useClient();
  const connection = useAppStore((s) => s.connection);
  const simulated = connection?.isSimulated === true && connection.state === 'connected';
  const [status, setStatus] = useState<SimStatus | null>(null);
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    if (!simulated) {
      setStatus(null);
      return;
    }
    let disposed = false;
    const poll = () => {
      void client.invoke('sim.status', {}).then((r) => {
        if (!disposed && r.ok) setStatus(r.value.active ? r.value : null);
      });
      setWall(Date.now());
    };
    poll();
    const t = setInterval(poll, 1000);
    return () => {
      disposed = true;
      clearInterval(t);
    };
  }, [client, simulated]);
  return { status, now: status ? simNowAt(status, wall) : null, apply: (st) => setStatus(st.active ? st : null) };
}
