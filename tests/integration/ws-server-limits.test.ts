// The headless WebSocket server under load, over real sockets: a stalled client's buffer stays bounded and gets the
// newest progress when it reads again, a connection cap with a sentence, and reloads without the token in the URL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEventBus } from '../../src/main/services/events';
import { silentLogger } from '../../src/main/services/logging';
import { startWsServer, type WsServer } from '../../src/main/transport/ws-server';

const LIMITS = { maxBuffered: 64 * 1024, maxQueued: 4 << 20 };
const PAD = 'p'.repeat(4096);

function open(server: WsServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
    });
  });
}

describe('headless WebSocket server limits', () => {
  const bus = createEventBus();
  const dispatcher = { dispatch: () => Promise.resolve({ ok: true as const, value: {} }) };
  let server: WsServer;
  let dir: string;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sd-ws-'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    server = await startWsServer({ dispatcher, bus, logger: silentLogger(), staticDir: dir, port: 0, maxClients: 3, limits: LIMITS });
  });
  afterAll(async () => {
    for (const c of clients) c.terminate();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a stalled client’s send buffer bounded, merges its progress frames, and delivers the newest when it reads', async () => {
    const ws = await open(server);
    clients.push(ws);
    const socket = (ws as unknown as { _socket: Socket })._socket;
    let lastSeq = -1;
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as { type: string; name?: string; payload?: { seq: number } };
      if (f.name === 'scan.progress' && f.payload) lastSeq = f.payload.seq;
    });
    socket.pause(); // the client stops reading: kernel buffers fill, then ws's

    let maxBuffered = 0;
    const N = 6000; // ~25 MB of progress frames: far more than loopback's kernel buffers hold
    for (let seq = 0; seq < N; seq++) {
      bus.emit('scan.progress', { seq, pad: PAD } as never);
      if (seq % 100 === 0) {
        await new Promise((r) => setImmediate(r));
        for (const s of server.clientStats()) maxBuffered = Math.max(maxBuffered, s.buffered);
      }
    }
    const stats = server.clientStats();
    expect(stats).toHaveLength(1);
    // Bounded: ws's buffer never holds more than the limit plus one frame; at most one progress frame waits.
    expect(maxBuffered).toBeLessThanOrEqual(LIMITS.maxBuffered + PAD.length + 200);
    expect(stats[0]!.waitingFrames).toBeLessThanOrEqual(1);
    expect(stats[0]!.coalesced).toBeGreaterThan(0);

    socket.resume();
    await expect.poll(() => lastSeq, { timeout: 30_000 }).toBe(N - 1);
    ws.close();
  }, 60_000);

  it('refuses connections past the cap with 503 and a sentence, and accepts again when one closes', async () => {
    await expect.poll(() => server.clientCount(), { timeout: 10_000 }).toBe(0);
    const three = await Promise.all([open(server), open(server), open(server)]);
    clients.push(...three);
    await expect(open(server)).rejects.toThrow(/HTTP 503: SpreadDesk accepts at most 3 windows at once/);
    three[0]!.close();
    await expect.poll(() => server.clientCount(), { timeout: 10_000 }).toBe(2);
    clients.push(await open(server));
    expect(server.clientCount()).toBe(3);
  });

  it('sets an HttpOnly cookie on the tokened page so a reload without ?token= still loads; nothing else does', async () => {
    const first = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^spreaddesk_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/$`));
    const reload = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(reload.status).toBe(200);
    expect(reload.headers.get('set-cookie')).toBeNull();
    const wrong = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie: `spreaddesk_${server.port}=nope` } });
    expect(wrong.status).toBe(401);
  });
});

describe('headless static assets are compressed', () => {
  const bus = createEventBus();
  const dispatcher = { dispatch: () => Promise.resolve({ ok: true as const, value: {} }) };
  let server: WsServer;
  let dir: string;
  const js = `export const big = ${JSON.stringify('spreaddesk '.repeat(5000))};\n`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sd-gz-'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    writeFileSync(join(dir, 'app.js'), js);
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    server = await startWsServer({ dispatcher, bus, logger: silentLogger(), staticDir: dir, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, acceptEncoding: string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port: server.port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
    });

  it('brotli when accepted, else gzip, else identity; with Vary and the right length', async () => {
    const br = await get('/app.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(js.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(js);
    const gz = await get('/app.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(js);
    const plain = await get('/app.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    expect((await get('/app.js', 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
  });

  it('leaves already-compressed images alone', async () => {
    const png = await get('/logo.png', 'br, gzip');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.length).toBe(4);
  });
});
