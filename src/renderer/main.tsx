// Renderer entry: create the platform client once, bind the stores, render the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createPlatformClient } from './platform/client';
import { ClientContext } from './platform/context';
import { useScannerStore } from './features/scanner/scanner-store';
import { bindAccountSwitch, onAccountSwitch } from './stores/account-switch';
import { bindAppStore, useAppStore } from './stores/app-store';
import { useSelectionStore } from './stores/selection-store';
import './styles.css';

const client = createPlatformClient();
bindAppStore(client);
bindAccountSwitch();
// A profile or account switch clears the previous account's rows and selection (no simulated rows under LIVE).
onAccountSwitch((why) => {
  // The old profile's connection is being dropped: show nothing about it until main reports the new one.
  if (why === 'profile') useAppStore.setState({ connection: null, trading: null });
  const old = useScannerStore.getState().scanId;
  if (old) void client.invoke('scan.stop', { scanId: old });
  // A scan id no scan has: late progress or results of the old scan are ignored (the store drops other scan ids).
  useScannerStore.setState({ scanId: `cleared-${Date.now()}`, starting: false, progress: null, rows: [], evaluated: 0, passed: 0, final: false, resultsAt: null, refreshing: false });
  useSelectionStore.setState({ selected: null, ticketRequest: null });
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
