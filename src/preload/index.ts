// The preload bridge: exposes exactly invoke(method, args) and on(event, cb) for allow-listed contract names.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../core/contract/names';

const INVOKE_CHANNEL = 'spreaddesk:invoke';
const EVENT_CHANNEL = 'spreaddesk:event';
const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

const bridge = {
  invoke(method: string, args?: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !methods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method)}` } });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, args ?? {});
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event)) throw new Error(`Unknown event: ${String(event)}`);
    // The raw IpcRendererEvent never reaches the page: only the payload does.
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('spreaddesk', Object.freeze(bridge));
