// Test support: start the built headless app as a real child process and read the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HeadlessApp {
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const HEADLESS_ENTRY = join(ROOT, 'dist', 'main', 'headless.cjs');

export async function startHeadless(options: { dataDir?: string; extraArgs?: string[] } = {}): Promise<HeadlessApp> {
  if (!existsSync(HEADLESS_ENTRY)) throw new Error('dist/main/headless.cjs is missing: run `npm run build` first (npm test does).');
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'spreaddesk-e2e-'));
  const child = spawn(process.execPath, [HEADLESS_ENTRY, '--port', '0', '--no-open', '--data-dir', dataDir, ...(options.extraArgs ?? [])], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`headless did not print its URL in 15 s:\n${out}`)), 15_000);
    const check = () => {
      const m = /serving the UI at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`headless exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token') ?? '',
    port: Number(u.port),
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return; // already gone (e.g. killed by a test)
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
    },
  };
}

/** What one contract call returns over the wire: a value or an error, never a throw. */
export interface MainCallResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** One contract call over a fresh WebSocket (a second client beside any page), for tests that check main's state directly. */
export async function callMain(app: HeadlessApp, method: string, args: unknown = {}): Promise<MainCallResult> {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws?token=${encodeURIComponent(app.token)}`);
  try {
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return await new Promise((res) => {
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { type: string; id?: number; result?: MainCallResult };
        if (f.type === 'result' && f.id === 1 && f.result) res(f.result);
      });
      ws.send(JSON.stringify({ type: 'call', id: 1, method, args }));
    });
  } finally {
    ws.close();
  }
}
