// The preload bridge as a factory over a narrow ipc interface: exactly invoke(method, args) and on(event, cb), allow-listed.
import { EVENT_NAMES, METHOD_NAMES } from '../core/contract/names';

export const INVOKE_CHANNEL = 'spreaddesk:invoke';
export const EVENT_CHANNEL = 'spreaddesk:event';

/** What the bridge needs from Electron's ipcRenderer (a test passes an in-memory one). */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface Bridge {
  invoke(method: string, args?: unknown): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

/**
 * The page gets two frozen functions and nothing of Electron: no ipcRenderer, no channel names of its choosing, never
 * the raw IpcRendererEvent (its `sender` would hand the page ipcRenderer itself).
 */
export function createBridge(ipc: BridgeIpc): Readonly<Bridge> {
  return Object.freeze({
    invoke(method: string, args?: unknown): Promise<unknown> {
      if (typeof method !== 'string' || !methods.has(method)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method)}` } });
      }
      return ipc.invoke(INVOKE_CHANNEL, method, args ?? {});
    },
    on(event: string, callback: (payload: unknown) => void): () => void {
      if (typeof event !== 'string' || !events.has(event)) throw new Error(`Unknown event: ${String(event)}`);
      const listener = (_e: unknown, name: unknown, payload: unknown) => {
        if (name === event) callback(payload);
      };
      ipc.on(EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },
  });
}
