// Test and benchmark support for the scanner: a paper exchange on a worker thread, queried for its own statistics.
import { Worker } from 'node:worker_threads';
import type { ClientStats, PaperExchangeOptions } from '../../paper';

export interface PaperWorkerStats {
  clients: ClientStats[];
  stats: { linesInUse: number; lineBudget: number; clients: number; ticksSent: number };
  /** Simulated market time (epoch ms). */
  now: number;
}

export interface PaperWorker {
  port: number;
  host: string;
  stats(): Promise<PaperWorkerStats>;
  /** The exchange's view of one client: messages in, pacing violations, lines held. */
  client(clientId: number): Promise<ClientStats | undefined>;
  setSnapshotLatency(minMs: number, maxMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the paper exchange in a worker thread (TypeScript via tsx) and resolves once it listens. */
export async function startPaperWorker(options: PaperExchangeOptions = {}): Promise<PaperWorker> {
  // A .ts worker entry needs tsx's loader registered inside the worker before the entry is imported.
  const entry = new URL('./paper-worker.ts', import.meta.url).href;
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
  const { port, host } = await ready;
  const call = <T>(op: string, args?: number[]): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = next++;
      pending.set(id, resolve as (v: unknown) => void);
      worker.postMessage({ id, op, args });
    });
  return {
    port,
    host,
    stats: () => call<PaperWorkerStats>('stats'),
    async client(clientId) {
      return (await call<PaperWorkerStats>('stats')).clients.find((c) => c.clientId === clientId);
    },
    setSnapshotLatency: (a, b) => call<void>('snapshotLatency', [a, b]),
    async close() {
      await call<void>('close');
      await worker.terminate();
    },
  };
}
