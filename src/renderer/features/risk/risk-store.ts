// The renderer's copy of the risk status (risk.status events) and limits, loaded once and kept fresh.
import { create } from 'zustand';
import type { RiskLimits, RiskStatus } from '../../../core/contract';
import type { PlatformClient } from '../../platform/client';

interface RiskState {
  status: RiskStatus | null;
  limits: RiskLimits | null;
}

export const useRiskStore = create<RiskState>(() => ({ status: null, limits: null }));

/** Subscribes to risk.status and loads limits and status; returns the unsubscribe. */
export function bindRiskStore(client: PlatformClient): () => void {
  const off = client.on('risk.status', (status) => useRiskStore.setState({ status }));
  void client.invoke('risk.get', {}).then((r) => {
    if (r.ok) useRiskStore.setState({ status: r.value.status, limits: r.value.limits });
  });
  return off;
}
