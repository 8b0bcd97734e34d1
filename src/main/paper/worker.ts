// Worker entry: the local paper exchange on its own thread, so a busy host never bunches the messages it counts.
// Started by thread.ts (startPaperThread); answers small control requests from its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { startPaperExchange, type PaperExchangeOptions } from './index';

const port = parentPort;
if (!port) throw new Error('paper/worker.ts must run in a worker thread');

type Op = { id: number; op: 'stats' | 'stall' | 'snapshotLatency' | 'close'; args?: number[] };

const ex = await startPaperExchange(workerData as PaperExchangeOptions);
port.on('message', (msg: Op) => {
  void (async () => {
    if (msg.op === 'stats') port.postMessage({ id: msg.id, value: { clients: ex.clients(), stats: ex.stats(), now: ex.now() } });
    else if (msg.op === 'stall') {
      // Fault injection for tests: block this thread's event loop (a long synchronous task in the exchange).
      const until = Date.now() + (msg.args?.[0] ?? 0);
      while (Date.now() < until) {
        // busy: nothing else runs on this thread meanwhile
      }
      port.postMessage({ id: msg.id, value: null });
    } else if (msg.op === 'snapshotLatency') {
      ex.faults.setSnapshotLatency(msg.args?.[0] ?? 500, msg.args?.[1] ?? 2000);
      port.postMessage({ id: msg.id, value: null });
    } else if (msg.op === 'close') {
      await ex.close();
      port.postMessage({ id: msg.id, value: null });
    }
  })();
});
port.postMessage({ ready: true, port: ex.port, host: ex.host });
