// Worker entry: the local paper exchange on its own thread, so its receive clock is not stalled by the scanner's.
// A TWS process is separate from the app; measuring pacing and lines in the app's own event loop would count a
// stall of the app as a burst at the exchange. Driven by testing.ts (startPaperWorker).
import { parentPort, workerData } from 'node:worker_threads';
import { startPaperExchange, type PaperExchangeOptions } from '../../paper';

const port = parentPort;
if (!port) throw new Error('paper-worker.ts must run in a worker thread');

const ex = await startPaperExchange(workerData as PaperExchangeOptions);
port.on('message', (msg: { id: number; op: 'stats' | 'snapshotLatency' | 'close'; args?: number[] }) => {
  void (async () => {
    if (msg.op === 'stats') port.postMessage({ id: msg.id, value: { clients: ex.clients(), stats: ex.stats(), now: ex.now() } });
    else if (msg.op === 'snapshotLatency') {
      ex.faults.setSnapshotLatency(msg.args?.[0] ?? 500, msg.args?.[1] ?? 2000);
      port.postMessage({ id: msg.id, value: null });
    } else if (msg.op === 'close') {
      await ex.close();
      port.postMessage({ id: msg.id, value: null });
    }
  })();
});
port.postMessage({ ready: true, port: ex.port, host: ex.host });
