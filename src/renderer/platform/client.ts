// The platform client: the renderer's only door to main — the preload bridge in Electron, a WebSocket headless.
import type { ContractError, EventName, EventPayload, MethodArgs, MethodName, MethodResult, Result } from '../../core/contract';

export type TransportState = 'connecting' | 'open' | 'closed';

export interface PlatformClient {
  readonly kind: 'electron' | 'ws';
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Result<MethodResult<M>, ContractError>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  onTransport(cb: (state: TransportState) => void): () => void;
}

interface Bridge {
  invoke(method: string, args?: unknown): Promise<unknown>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    spreaddesk?: Bridge;
  }
}

const CALL_TIMEOUT_MS = 30_000;

function bridgeClient(bridge: Bridge): PlatformClient {
  return {
    kind: 'electron',
    invoke: (method, args) => bridge.invoke(method, args) as Promise<Result<never, ContractError>>,
    on: (event, cb) => bridge.on(event, cb as (p: unknown) => void),
    onTransport: (cb) => {
      cb('open');
      return () => undefined;
    },
  };
}

/** A WebSocket client that reconnects with backoff and fails pending calls when the socket drops. */
function wsClient(url: string): PlatformClient {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let backoff = 250;
  const pending = new Map<number, { resolve: (r: Result<never, ContractError>) => void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const transportListeners = new Set<(s: TransportState) => void>();
  const queue: string[] = [];
  let state: TransportState = 'connecting';

  const setState = (s: TransportState) => {
    state = s;
    for (const l of transportListeners) l(s);
  };

  const connect = () => {
    setState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      backoff = 250;
      setState('open');
      for (const frame of queue.splice(0)) sock.send(frame);
    };
    sock.onmessage = (msg) => {
      let frame: { type: string; id?: number | null; result?: unknown; name?: string; payload?: unknown };
      try {
        frame = JSON.parse(String(msg.data)) as typeof frame;
      } catch {
        return;
      }
      if (frame.type === 'result' && typeof frame.id === 'number') {
        const p = pending.get(frame.id);
        if (p) {
          pending.delete(frame.id);
          clearTimeout(p.timer);
          p.resolve(frame.result as Result<never, ContractError>);
        }
      } else if (frame.type === 'event' && typeof frame.name === 'string') {
        for (const l of listeners.get(frame.name) ?? []) l(frame.payload);
      }
    };
    sock.onclose = () => {
      setState('closed');
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Lost the connection to SpreadDesk; retrying.' } });
        pending.delete(id);
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5_000);
    };
  };
  connect();

  return {
    kind: 'ws',
    invoke(method, args) {
      const id = nextId++;
      const frame = JSON.stringify({ type: 'call', id, method, args });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `${method} did not answer in ${CALL_TIMEOUT_MS / 1000} s.` } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve, timer });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.push(frame);
      });
    },
    on(event, cb) {
      const set = listeners.get(event) ?? new Set();
      set.add(cb as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(cb as (p: unknown) => void);
    },
    onTransport(cb) {
      transportListeners.add(cb);
      cb(state);
      return () => transportListeners.delete(cb);
    },
  };
}

export function createPlatformClient(win: Window = window): PlatformClient {
  if (win.spreaddesk) return bridgeClient(win.spreaddesk);
  const token = takeToken(win);
  const proto = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return wsClient(`${proto}//${win.location.host}/ws?token=${encodeURIComponent(token)}`);
}

const TOKEN_KEY = 'spreaddesk.token';

/**
 * The headless token: read from `?token=` once, kept in this tab's sessionStorage (a reload reconnects), and removed
 * from the address bar and the history entry so it is not shown, bookmarked or shared with the URL.
 */
export function takeToken(win: Window): string {
  const params = new URLSearchParams(win.location.search);
  const fromUrl = params.get('token');
  if (fromUrl === null) return win.sessionStorage.getItem(TOKEN_KEY) ?? '';
  win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
  params.delete('token');
  const rest = params.toString();
  win.history.replaceState(win.history.state, '', `${win.location.pathname}${rest ? `?${rest}` : ''}${win.location.hash}`);
  return fromUrl;
}
