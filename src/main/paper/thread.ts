// The paper exchange on a worker thread: its socket reads, pacing stamps and matching run off the caller's event loop.
//
// The app's Local paper profile runs the exchange this way (TWS is a separate process; an exchange on the app's own
// loop would see every UI or scanner stall as a burst of messages). From source (tsx, vitest) the worker loads
// worker.ts through tsx; from the build it loads dist/main/paper-worker.cjs (an entry of vite.config.ts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SimStatus } from '../../core/contract/sim';
import type { ClientStats, PaperExchangeOptions, SimCommand, SimControl } from './index';
import type { WorkerRequest } from './worker';

export interface PaperSnapshot {
  clients: ClientStats[];
  stats: { linesInUse: number; lineBudget: number; clients: number; ticksSent: number };
  /** Simulated market time (epoch ms). */
  now: number;
}

export interface PaperThread {
  port: number;
  host: string;
  /** The worker's thread id (the main thread is 0). */
  threadId: number;
  /** The exchange's statistics as last pushed by the thread (a few times a second). */
  stats(): PaperSnapshot['stats'];
  clients(): ClientStats[];
  /** Fresh statistics from the thread. */
  snapshot(): Promise<PaperSnapshot>;
  sim: SimControl;
  /** Blocks the exchange thread's event loop for `ms` (fault injection); resolves when it runs again. */
  stall(ms: number): Promise<void>;
  close(): Promise<void>;
}

export type PaperThreadOptions = Omit<PaperExchangeOptions, 'wallClock' | 'limiterClock' | 'log' | 'onStatsChanged'> & {
  log?: (line: string) => void;
  /** Wall ms between statistics pushes (default 250). */
  statsEveryMs?: number;
};

/** The worker's entry and how to start it: the built .cjs beside this bundle, else the TypeScript source via tsx. */
function workerEntry(): { file: string; eval: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL('./worker.ts', here).href;
    return { file: `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, eval: true };
  }
  // Bundled: this code sits in dist/main/*.cjs or in dist/main/chunks/*.cjs.
  const dir = dirname(fileURLToPath(here));
  const built = [join(dir, 'paper-worker.cjs'), join(dir, '..', 'paper-worker.cjs')].find((p) => existsSync(p));
  if (!built) throw new Error(`the paper exchange worker (paper-worker.cjs) is missing next to ${dir}`);
  return { file: built, eval: false };
}

/** Starts the exchange in a worker and resolves once it listens. */
export async function startPaperThread(options: PaperThreadOptions = {}): Promise<PaperThread> {
  const { log, statsEveryMs, ...exchange } = options;
  const entry = workerEntry();
  const worker = new Worker(entry.file, { eval: entry.eval, workerData: { options: exchange, logLines: log !== undefined, statsEveryMs: statsEveryMs ?? 250 } });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let last: PaperSnapshot = { clients: [], stats: { linesInUse: 0, lineBudget: exchange.lineBudget ?? 100, clients: 0, ticksSent: 0 }, now: 0 };
  let exited = false;
  type Msg = { ready?: boolean; failed?: string; port?: number; host?: string; id?: number; value?: unknown; error?: string; log?: string; snapshot?: PaperSnapshot };
  const ready = new Promise<{ port: number; host: string }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the paper exchange thread exited (${code}) before it listened`)));
    worker.on('message', (m: Msg) => {
      if (m.snapshot) last = m.snapshot;
      if (m.log !== undefined) log?.(m.log);
      if (m.ready) resolve({ port: m.port as number, host: m.host as string });
      else if (m.failed !== undefined) reject(new Error(m.failed));
      else if (m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new RangeError(m.error));
        else p?.resolve(m.value);
      }
    });
  });
  worker.on('exit', () => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error('The paper exchange thread has stopped.'));
    pending.clear();
  });
  const { port, host } = await ready.catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  worker.removeAllListeners('error');
  worker.on('error', (e) => log?.(`paper exchange thread error: ${e.message}`));
  const call = <T>(op: WorkerRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error('The paper exchange thread has stopped.'));
        return;
      }
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...op, id });
    });
  let closing: Promise<void> | null = null;
  return {
    port,
    host,
    threadId: worker.threadId,
    stats: () => last.stats,
    clients: () => last.clients,
    snapshot: () => call<PaperSnapshot>({ op: 'snapshot' }),
    sim: { control: (cmd: SimCommand) => call<SimStatus>({ op: 'sim', cmd }) },
    stall: (ms) => call<void>({ op: 'stall', ms }),
    close() {
      closing ??= (async () => {
        if (!exited) await call<void>({ op: 'close' }).catch(() => undefined);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
