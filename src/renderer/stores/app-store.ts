// The app store: what main told us (app info, settings, connection) plus the message log, fed by events.
import { create } from 'zustand';
import type { AppInfo, ConnectionStatus, ContractError, Settings, TradingStatus } from '../../core/contract';
import type { PlatformClient, TransportState } from '../platform/client';

export interface LogEntry {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  at: number;
  code?: number | string;
}

export interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  connection: ConnectionStatus | null;
  trading: TradingStatus | null;
  transport: TransportState;
  log: LogEntry[];
  toasts: LogEntry[];
  settingsOpen: boolean;
  addLog(entry: Omit<LogEntry, 'id'>, toast?: boolean): void;
  dismissToast(id: number): void;
  setSettingsOpen(open: boolean): void;
}

let logId = 1;

export const useAppStore = create<AppState>((set) => ({
  info: null,
  settings: null,
  connection: null,
  trading: null,
  transport: 'connecting',
  log: [],
  toasts: [],
  settingsOpen: false,
  addLog(entry, toast = entry.level !== 'info') {
    const e = { ...entry, id: logId++ };
    set((s) => ({ log: [...s.log.slice(-499), e], toasts: toast ? [...s.toasts.slice(-3), e] : s.toasts }));
  },
  dismissToast(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
  setSettingsOpen(open) {
    set({ settingsOpen: open });
  },
}));

export function reportError(error: ContractError, context: string): void {
  useAppStore.getState().addLog({ level: 'error', message: `${context}: ${error.message}`, at: Date.now(), code: error.code });
}

/** Wires the client's events into the store and loads the initial state; returns an unsubscribe. */
export function bindAppStore(client: PlatformClient): () => void {
  const offs = [
    client.on('settings.changed', (settings) => useAppStore.setState({ settings })),
    client.on('connection.status', (connection) => useAppStore.setState({ connection })),
    client.on('trading.status', (trading) => useAppStore.setState({ trading })),
    client.on('app.logged', (e) => useAppStore.getState().addLog({ level: e.level, message: e.message, at: e.at, ...(e.code !== undefined ? { code: e.code } : {}) })),
    client.onTransport((transport) => {
      useAppStore.setState({ transport });
      if (transport === 'open') void loadInitial(client);
    }),
  ];
  return () => offs.forEach((off) => off());
}

async function loadInitial(client: PlatformClient): Promise<void> {
  const [info, settings, connection, trading] = await Promise.all([
    client.invoke('app.info', {}),
    client.invoke('settings.get', {}),
    client.invoke('connection.get', {}),
    client.invoke('trading.get', {}),
  ]);
  if (trading.ok) useAppStore.setState({ trading: trading.value });
  else reportError(trading.error, 'Loading trading state');
  if (info.ok) useAppStore.setState({ info: info.value });
  else reportError(info.error, 'Loading app info');
  if (settings.ok) useAppStore.setState({ settings: settings.value });
  else reportError(settings.error, 'Loading settings');
  if (connection.ok) useAppStore.setState({ connection: connection.value });
  else reportError(connection.error, 'Loading connection status');
}
