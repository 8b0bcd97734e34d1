// The account mode the trader must never mistake: SIMULATED, PAPER or LIVE, from the active profile.
import type { ConnectionProfile, Settings } from '../../core/contract';

export type TradingMode = 'SIMULATED' | 'PAPER' | 'LIVE';

export function activeProfile(settings: Settings | null): ConnectionProfile | null {
  return settings?.profiles.find((p) => p.id === settings.activeProfile) ?? null;
}

export function modeOf(profile: Pick<ConnectionProfile, 'simulated' | 'live'> | null): TradingMode {
  if (!profile || profile.simulated) return 'SIMULATED';
  return profile.live ? 'LIVE' : 'PAPER';
}
