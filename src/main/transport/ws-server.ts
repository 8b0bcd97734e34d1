// Headless transport: the renderer over HTTP and the contract over a WebSocket, loopback only, token required.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../services/events';
import type { Logger } from '../services/logging';
import type { Dispatcher } from './dispatch';
import { createClientSender, DEFAULT_LIMITS, type ClientSender, type SenderLimits } from './client-sender';
import { CallFrame, contentSecurityPolicy } from './protocol';

export interface WsServerOptions {
  dispatcher: Dispatcher;
  bus: EventBus;
  logger: Logger;
  /** Directory with the built renderer (index.html + assets); null serves no UI. */
  staticDir: string | null;
  port: number;
  /** Always a loopback address; anything else is refused. */
  host?: '127.0.0.1' | '::1';
  token?: string;
  /** At most this many WebSocket clients at once (default 16); more are refused with 503 and a sentence. */
  maxClients?: number;
  /** Per-client back-pressure limits (bytes). */
  limits?: SenderLimits;
}

export interface WsServer {
  readonly port: number;
  readonly token: string;
  readonly url: string;
  clientCount(): number;
  /** Per-client send state: bytes in ws's buffer, frames waiting, frames coalesced away. */
  clientStats(): { buffered: number; waitingFrames: number; waitingBytes: number; coalesced: number }[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

/** The encoding to answer with: brotli, then gzip, when the client accepts it (q=0 refuses). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}

export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWsServer(options: WsServerOptions): Promise<WsServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.logger;
  const maxClients = options.maxClients ?? 16;
  let port = 0;
  // The page sets this HttpOnly cookie on its first (tokened) load, so a reload works after the renderer has removed
  // the token from the address bar. Named per port: cookies are per host, not per port.
  const cookieName = () => `spreaddesk_${port}`;
  const cookieToken = (req: IncomingMessage): string | null => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === cookieName()) return v.join('=');
    }
    return null;
  };

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  // Static assets compressed once per file version (hashed names: each build is new files) and kept in memory.
  // Brotli quality 4 / gzip 6: the first request pays the compression, so fast levels beat the last few percent.
  const compressed = new Map<string, Buffer>();
  const compressedBody = (file: string, mtimeMs: number, enc: 'br' | 'gzip'): Buffer => {
    const key = `${enc}:${file}:${mtimeMs}`;
    let body = compressed.get(key);
    if (!body) {
      const raw = readFileSync(file);
      body = enc === 'br' ? brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }) : gzipSync(raw, { level: 6 });
      compressed.set(key, body);
    }
    return body;
  };

  const server: Server = createServer((req, res) => {
    try {
      serveHttp(req, res);
    } catch (e) {
      log.error({ err: e }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    }
  });

  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    // A Host check defeats DNS-rebinding pages that would otherwise reach this loopback port.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const security = {
      'content-security-policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain', ...security }).end('ok');
      return;
    }
    if (!options.staticDir) {
      res.writeHead(404, security).end();
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    const tokenInUrl = tokensEqual(url.searchParams.get('token'), token);
    if (isPage && !tokenInUrl && !tokensEqual(cookieToken(req), token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', ...security }).end('SpreadDesk: this URL needs the token printed when the app started (…/?token=…).\n');
      return;
    }
    const root = resolve(options.staticDir);
    const file = normalize(join(root, isPage ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain', ...security }).end('Not found');
      return;
    }
    const enc = COMPRESSIBLE.has(extname(file)) ? pickEncoding(req.headers['accept-encoding']) : null;
    const body = enc ? compressedBody(file, statSync(file).mtimeMs, enc) : null;
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      ...(COMPRESSIBLE.has(extname(file)) ? { vary: 'accept-encoding' } : {}),
      ...(enc && body ? { 'content-encoding': enc, 'content-length': String(body.length) } : {}),
      'cache-control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
      ...(isPage && tokenInUrl ? { 'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {}),
      ...security,
    });
    if (req.method === 'HEAD') res.end();
    else if (body) res.end(body);
    else createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const originOk = origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
    if (url.pathname !== '/ws' || !allowedHosts().has(req.headers.host ?? '') || !originOk || !tokensEqual(url.searchParams.get('token'), token)) {
      log.warn({ path: url.pathname, originOk }, 'websocket refused');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (wss.clients.size >= maxClients) {
      log.warn({ clients: wss.clients.size }, 'websocket refused: connection cap');
      const body = `SpreadDesk accepts at most ${maxClients} windows at once; close one and reload.`;
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const senders = new Map<WebSocket, ClientSender>();
  wss.on('connection', (ws: WebSocket) => {
    // A client too far behind is not reading, so a close frame would never reach it: terminate frees its buffers now.
    const frameSocket = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (data: string, cb?: (err?: Error) => void) => ws.send(data, cb),
      close: (code: number, reason: string) => {
        log.warn({ code, reason }, 'websocket client dropped');
        ws.terminate();
      },
    };
    const sender = createClientSender(frameSocket, options.limits ?? DEFAULT_LIMITS);
    senders.set(ws, sender);
    ws.on('close', () => senders.delete(ws));
    const send: ClientSender['send'] = (frame) => {
      if (ws.readyState === ws.OPEN) sender.send(frame);
    };
    // A late subscriber first receives the current state of every event.
    for (const { name, payload } of options.bus.latest()) send({ type: 'event', name, payload });
    const unsubscribe = options.bus.subscribe((name, payload) => send({ type: 'event', name, payload }));
    ws.on('close', unsubscribe);
    ws.on('error', (e) => log.warn({ err: e }, 'websocket error'));
    ws.on('message', (data, isBinary) => {
      let frame: CallFrame;
      try {
        if (isBinary) throw new Error('binary');
        const parsed = CallFrame.safeParse(JSON.parse(String(data)));
        if (!parsed.success) throw new Error('shape');
        frame = parsed.data;
      } catch {
        send({ type: 'result', id: null, result: { ok: false, error: { code: 'VALIDATION', message: 'Malformed frame: expected {"type":"call","id":…,"method":…,"args":{…}}' } } });
        return;
      }
      options.dispatcher
        .dispatch(frame.method, frame.args, { transport: 'ws' })
        .then((result) => send({ type: 'result', id: frame.id, result }))
        .catch((e: unknown) => {
          log.error({ err: e }, 'dispatch failed');
          send({ type: 'result', id: frame.id, result: { ok: false, error: { code: 'INTERNAL', message: 'Dispatch failed' } } });
        });
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  return {
    port,
    token,
    url,
    clientCount: () => wss.clients.size,
    clientStats: () =>
      [...senders].map(([ws, sd]) => ({ buffered: ws.bufferedAmount, waitingFrames: sd.pending().frames, waitingBytes: sd.pending().bytes, coalesced: sd.coalesced() })),
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
