// The terminal shell: header, Scanner and Ticket over the bottom tabs, status bar, mode-coloured frame.
import { useCallback } from 'react';
import { FieldErrors } from './components/FieldErrors';
import { Header } from './components/Header';
import { activeProfile, modeOf } from './components/mode';
import { NotResponding } from './components/NotResponding';
import { SettingsDialog } from './components/SettingsDialog';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { SplitPane } from './components/SplitPane';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { BottomTabs } from './features/shell/BottomTabs';
import { ScannerPanel } from './features/scanner/ScannerPanel';
import { TicketPanel } from './features/ticket/TicketPanel';
import { SimBadge } from './features/sim/SimBadge';
import { useSimClock } from './features/sim/sim-clock';
import { useClient } from './platform/context';
import { reportError, useAppStore } from './stores/app-store';

export function App() {
  const client = useClient();
  const settings = useAppStore((s) => s.settings);
  const mode = modeOf(activeProfile(settings));
  const sizes = settings?.ui.panelSizes;
  const lost = useAppStore((s) => s.lost);
  const sim = useSimClock();
  const prefs = `density-${settings?.ui.density ?? 'compact'}${settings?.ui.colorBlindSafe ? ' cb-safe' : ''}`;

  const persistSizes = useCallback(
    (id: string, value: number[]) => {
      const current = useAppStore.getState().settings?.ui.panelSizes ?? {};
      void client.invoke('settings.update', { patch: { ui: { panelSizes: { ...current, [id]: value } } } }).then((r) => {
        if (r.ok) useAppStore.setState({ settings: r.value });
        else reportError(r.error, 'Saving panel sizes');
      });
    },
    [client],
  );

  return (
    <div className={`app-frame frame-${mode.toLowerCase()} ${prefs}${lost ? ' app-lost' : ''}`} data-testid="app-frame">
      <Header />
      <NotResponding />
      {/* inert: no click, key or focus reaches a stale screen while the backend is gone. */}
      <main className="workspace" inert={lost}>
        <SplitPane id="main-vertical" direction="column" initial={64} saved={sizes?.['main-vertical']} onCommit={persistSizes}>
          <SplitPane id="top-horizontal" direction="row" initial={66} saved={sizes?.['top-horizontal']} onCommit={persistSizes}>
            <ScannerPanel />
            <TicketPanel />
          </SplitPane>
          <BottomTabs />
        </SplitPane>
      </main>
      <StatusBar clockBadge={<SimBadge sim={sim} />} clockNow={sim.now} />
      <SettingsDialog />
      <ShortcutsDialog />
      <FieldErrors />
      <Toasts />
    </div>
  );
}
