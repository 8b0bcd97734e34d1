// Worker entry: the local paper exchange on its own thread, so a busy host never bunches the messages it counts.
// Started by thread.ts (startPaperThread); answers small control requests from its parent and pushes its
// statistics a few times a second (the parent's synchronous stats()/clients() read that copy).
// No top-level await: the build bundles this file as CommonJS (dist/main/paper-worker.cjs).
import { parentPort, workerData } from 'node:worker_threads';
import { startPaperExchange, type PaperExchangeHandle, type PaperExchangeOptions, type SimCommand } from './index';

export type WorkerRequest = { op: 'snapshot' | 'close' } | { op: 'stall'; ms: number } | { op: 'sim'; cmd: SimCommand };
export type WorkerOp = WorkerRequest & { id: number };

const port = parentPort;
if (!port) throw new Error('paper/worker.ts must run in a worker thread');
const { options, logLines, statsEveryMs } = workerData as { options: PaperExchangeOptions; logLines: boolean; statsEveryMs: number };

function snapshot(ex: PaperExchangeHandle) {
  return { clients: ex.clients(), stats: ex.stats(), now: ex.now() };
}

// Statistics go to the parent when lines or clients change (coalesced per turn of the loop) and on a timer.
let changed: (() => void) | null = null;
let queued = false;
const onStatsChanged = (): void => {
  if (queued || !changed) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    changed?.();
  });
};

startPaperExchange({ ...options, onStatsChanged, ...(logLines ? { log: (line: string) => port.postMessage({ log: line }) } : {}) }).then(
  (ex) => {
    changed = () => port.postMessage({ snapshot: snapshot(ex) });
    const push = setInterval(() => port.postMessage({ snapshot: snapshot(ex) }), statsEveryMs);
    port.on('message', (msg: WorkerOp) => {
      void (async () => {
        try {
          if (msg.op === 'snapshot') port.postMessage({ id: msg.id, value: snapshot(ex) });
          else if (msg.op === 'sim') port.postMessage({ id: msg.id, value: await ex.sim.control(msg.cmd) });
          else if (msg.op === 'stall') {
            // Fault injection for tests: block this thread's event loop (a long synchronous task in the exchange).
            const until = Date.now() + msg.ms;
            while (Date.now() < until) {
              // busy: nothing else runs on this thread meanwhile
            }
            port.postMessage({ id: msg.id, value: null });
          } else if (msg.op === 'close') {
            clearInterval(push);
            await ex.close();
            port.postMessage({ id: msg.id, value: null });
          }
        } catch (e) {
          port.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
        }
      })();
    });
    port.postMessage({ ready: true, port: ex.port, host: ex.host, snapshot: snapshot(ex) });
  },
  (e: unknown) => port.postMessage({ failed: e instanceof Error ? e.message : String(e) }),
);
