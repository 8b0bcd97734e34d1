// The paper exchange on a worker thread: its socket reads, pacing stamps and matching run off the caller's event loop.
import { Worker } from 'node:worker_threads';
import type { ClientStats, PaperExchangeOptions } from './index';

export interface PaperThreadStats {
  clients: ClientStats[];
  stats: { linesInUse: number; lineBudget: number; clients: number; ticksSent: number };
  /** Simulated market time (epoch ms). */
  now: number;
}

export interface PaperThread {
  port: number;
  host: string;
  stats(): Promise<PaperThreadStats>;
  /** The exchange's view of one client: messages in, pacing violations, lines held. */
  client(clientId: number): Promise<ClientStats | undefined>;
  setSnapshotLatency(minMs: number, maxMs: number): Promise<void>;
  /** Blocks the exchange thread's event loop for `ms` (fault injection); resolves when it runs again. */
  stall(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the exchange in a worker (TypeScript entry loaded through tsx, as tests and the CLI run) and resolves once it listens. */
export async function startPaperThread(options: Omit<PaperExchangeOptions, 'wallClock' | 'limiterClock' | 'log'> = {}): Promise<PaperThread> {
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: options });
  let next = 1;
  const pending = new Map<number, (v: unknown) => void>();
  const ready = new Promise<{ port: number; host: string }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { ready?: boolean; port?: number; host?: string; id?: number; value?: unknown }) => {
      if (m.ready) resolve({ port: m.port as number, host: m.host as string });
      else if (m.id !== undefined) {
        pending.get(m.id)?.(m.value);
        pending.delete(m.id);
      }
    });
  });
  const { port, host } = await ready.catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  const call = <T>(op: string, args?: number[]): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = next++;
      pending.set(id, resolve as (v: unknown) => void);
      worker.postMessage({ id, op, args });
    });
  return {
    port,
    host,
    stats: () => call<PaperThreadStats>('stats'),
    async client(clientId) {
      return (await call<PaperThreadStats>('stats')).clients.find((c) => c.clientId === clientId);
    },
    setSnapshotLatency: (a, b) => call<void>('snapshotLatency', [a, b]),
    stall: (ms) => call<void>('stall', [ms]),
    async close() {
      await call<void>('close');
      await worker.terminate();
    },
  };
}
