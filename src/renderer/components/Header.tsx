// The header: app name, profile, account, connection state and the mode banner that cannot be missed.
import { useAppStore } from '../stores/app-store';
import { activeProfile, modeOf } from './mode';
import { TradingControls } from '../features/risk/TradingControls';

const MODE_HINT = {
  SIMULATED: 'Local paper exchange: simulated market, simulated money',
  PAPER: 'IBKR paper account: real market data, simulated money',
  LIVE: 'LIVE account: real money. Trading needs arming.',
} as const;

export function Header() {
  const settings = useAppStore((s) => s.settings);
  const connection = useAppStore((s) => s.connection);
  const setSettingsOpen = useAppStore((s) => s.setSettingsOpen);
  const lost = useAppStore((s) => s.lost);
  const profile = activeProfile(settings);
  const mode = modeOf(profile);
  return (
    <header className="app-header">
      <div className="brand">SpreadDesk</div>
      <div className={`mode-badge mode-${mode.toLowerCase()}`} data-testid="mode-badge" title={MODE_HINT[mode]}>
        {mode}
      </div>
      <div className="header-field" data-testid="header-profile">
        <span className="label">Profile</span>
        <span>{profile?.label ?? '…'}</span>
      </div>
      <div className="header-field">
        <span className="label">Account</span>
        <span className="mono">{connection?.accounts[0] ?? '—'}</span>
      </div>
      <div className="header-field" data-testid="header-connection">
        <span className="label">Connection</span>
        <span className={`conn conn-${lost ? 'lost' : (connection?.state ?? 'disconnected')}`}>{lost ? 'not responding' : (connection?.state ?? 'disconnected')}</span>
      </div>
      <div className="spacer" />
      <TradingControls />
      <button type="button" className="btn btn-ghost" onClick={() => useAppStore.setState({ shortcutsOpen: true })} title="Keyboard shortcuts (?)" data-testid="open-shortcuts">
        ?
      </button>
      <button type="button" className="btn" disabled={lost} onClick={() => setSettingsOpen(true)} data-testid="open-settings" title="Connection profiles and preferences">
        Settings
      </button>
    </header>
  );
}
