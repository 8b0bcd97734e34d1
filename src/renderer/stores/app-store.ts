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
  /** The backend answered once and is gone now: everything live on screen is stale (greyed, actions off). */
  lost: boolean;
  /** Validation errors from main, placed on the field that is wrong (key: the field's name, e.g. `symbols`). */
  fieldErrors: Record<string, string>;
  log: LogEntry[];
  toasts: LogEntry[];
  settingsOpen: boolean;
  shortcutsOpen: boolean;
  addLog(entry: Omit<LogEntry, 'id'>, toast?: boolean): void;
  dismissToast(id: number): void;
  setSettingsOpen(open: boolean): void;
  clearFieldError(field: string): void;
}

let logId = 1;

export const useAppStore = create<AppState>((set) => ({
  info: null,
  settings: null,
  connection: null,
  trading: null,
  transport: 'connecting',
  lost: false,
  fieldErrors: {},
  log: [],
  toasts: [],
  settingsOpen: false,
  shortcutsOpen: false,
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
  clearFieldError(field) {
    set((s) => {
      if (!(field in s.fieldErrors)) return s;
      const { [field]: _gone, ...rest } = s.fieldErrors;
      return { fieldErrors: rest };
    });
  },
}));

/** The field a validation issue belongs to: the last named segment of its path (`…scannerForm.symbols.1` → `symbols`). */
export function fieldOf(path: readonly string[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) if (!/^\d+$/.test(path[i]!)) return path[i]!;
  return null;
}

const recentToasts = new Map<string, number>();
const TOAST_DEDUPE_MS = 3_000;

/**
 * Logs an error; a validation error also goes onto its field. The same sentence twice within 3 s (one typo failing a
 * save and a scan) toasts once.
 */
export function reportError(error: ContractError, context: string): void {
  const now = Date.now();
  if (error.code === 'VALIDATION' && Array.isArray(error.details)) {
    const fields: Record<string, string> = {};
    for (const d of error.details as { path?: unknown; message?: unknown; sentence?: unknown }[]) {
      const field = Array.isArray(d.path) ? fieldOf(d.path.map(String)) : null;
      const text = typeof d.sentence === 'string' ? d.sentence : typeof d.message === 'string' ? d.message : null;
      if (field && text && !fields[field]) fields[field] = text;
    }
    if (Object.keys(fields).length) useAppStore.setState((s) => ({ fieldErrors: { ...s.fieldErrors, ...fields } }));
  }
  for (const [m, at] of recentToasts) if (now - at > TOAST_DEDUPE_MS) recentToasts.delete(m);
  const toast = !recentToasts.has(error.message);
  recentToasts.set(error.message, now);
  useAppStore.getState().addLog({ level: 'error', message: `${context}: ${error.message}`, at: now, code: error.code }, toast);
}

/** Wires the client's events into the store and loads the initial state; returns an unsubscribe. */
export function bindAppStore(client: PlatformClient): () => void {
  const offs = [
    client.on('settings.changed', (settings) => useAppStore.setState({ settings })),
    client.on('connection.status', (connection) => useAppStore.setState({ connection })),
    client.on('trading.status', (trading) => useAppStore.setState({ trading })),
    client.on('app.logged', (e) => useAppStore.getState().addLog({ level: e.level, message: e.message, at: e.at, ...(e.code !== undefined ? { code: e.code } : {}) })),
    client.onTransport((transport) => {
      if (transport === 'open') {
        useAppStore.setState({ transport, lost: false });
        void loadInitial(client);
        return;
      }
      // What main told us may no longer be true: forget it rather than show "connected" from a dead backend.
      const wasOpen = useAppStore.getState().transport === 'open' || useAppStore.getState().lost;
      useAppStore.setState(wasOpen ? { transport, lost: true, connection: null, trading: null } : { transport });
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
