// Switching profile or account clears what the previous account put on screen (scan rows, selection), so simulated
// rows never sit under a LIVE banner.
import { useAppStore } from './app-store';

export type SwitchReason = 'profile' | 'account';

const resets = new Set<(why: SwitchReason) => void>();

/** Registers a reset run on every profile or account switch; returns an unregister. */
export function onAccountSwitch(reset: (why: SwitchReason) => void): () => void {
  resets.add(reset);
  return () => resets.delete(reset);
}

/** Watches the app store: a new active profile, or a different account on the connection, runs every reset. */
export function bindAccountSwitch(): () => void {
  let account: string | null = null;
  return useAppStore.subscribe((s, prev) => {
    const profileChanged = prev.settings !== null && s.settings !== null && prev.settings.activeProfile !== s.settings.activeProfile;
    const nowAccount = s.connection?.accounts[0] ?? null;
    const accountChanged = nowAccount !== null && account !== null && nowAccount !== account;
    if (nowAccount !== null) account = nowAccount;
    if (profileChanged) account = null;
    if (profileChanged || accountChanged) for (const r of resets) r(profileChanged ? 'profile' : 'account');
  });
}
