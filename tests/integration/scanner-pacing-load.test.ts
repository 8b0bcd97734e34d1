// Pacing under load: a watchlist scan against the paper exchange (its own thread, real socket, real @stoqey/ib) while
// this process's event loop is stalled again and again and a second thread burns a core. The invariant: TWS's
// 50 msg/s is never exceeded — zero error 100 at the app, zero refusals counted by the exchange — and the scan ends.
// No timing is asserted: the stalls only make bunching possible; the counts must hold however the machine behaves.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../src/core/contract';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker } from '../support/broker';
import { createScannerService, type ScannerService } from '../../src/main/services/scanner/service';
import { startPaperExchange } from '../../src/main/paper';
import { startPaperWorker } from '../../src/main/services/scanner/testing';
import type { ClientStats } from '../../src/main/paper';

const CLIENT = 47;

const REQUEST: ScanRequest = {
  symbols: ['SPY', 'AAPL'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 10 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 5 } },
  scoring: { by: 'ror', basis: 'mid' },
  top: 30,
};

/** Blocks this event loop for 80–300 ms every ~250 ms (seeded, so the pattern is the same each run). */
function stallLoop(): { stop(): void; stalls: number; longestMs: number } {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out = { stalls: 0, longestMs: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const ms = 80 + rnd() * 220;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // busy: the event loop is blocked, as by a long render or a GC pause
    }
    out.stalls++;
    out.longestMs = Math.max(out.longestMs, ms);
  }, 250);
  return out;
}

interface Exchange {
  port: number;
  client(id: number): Promise<ClientStats | undefined>;
  close(): Promise<void>;
}

/** Where the exchange runs: its own thread (as TWS is another process), or this process (the app's Local paper today). */
const PLACES: Array<[string, () => Promise<Exchange>]> = [
  ['on its own thread', () => startPaperWorker({ seed: 7, snapshotLatencyMs: { min: 20, max: 200 } })],
  [
    "on the scanner's own event loop",
    async () => {
      const h = await startPaperExchange({ seed: 7, snapshotLatencyMs: { min: 20, max: 200 } });
      return { port: h.port, client: async (id) => h.clients().find((c) => c.clientId === id), close: () => h.close() };
    },
  ],
];

describe.each(PLACES)('scanner pacing under load (paper exchange %s, real socket)', (_where, start) => {
  let ex: Exchange;
  let broker: IbBroker;
  let svc: ScannerService;
  let hog: Worker | null = null;

  beforeAll(async () => {
    ex = await start();
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    svc = createScannerService({ broker, bus: { emit: () => undefined } });
  });
  afterAll(async () => {
    await hog?.terminate();
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  it('a scan with a stalled event loop and a CPU hog beside it gets zero error 100', async () => {
    // A second thread spinning for the whole test: the exchange thread and this one compete for the cores.
    hog = new Worker('for (;;) {}', { eval: true });
    const stalls = stallLoop();
    let out;
    try {
      const handle = await svc.start(REQUEST);
      out = await handle.done;
    } finally {
      stalls.stop();
      await hog.terminate();
      hog = null;
    }
    await new Promise((r) => setTimeout(r, 300));
    const c = (await ex.client(CLIENT))!;
    const d = broker.diagnostics();
    console.log(
      `[pacing under load] ${out.progress.quoted}/${out.progress.planned} quotes, ${c.totalIn} messages at the exchange, ` +
        `busiest second ${Math.max(...c.perSecond.map((p) => p.count))}, ${stalls.stalls} stalls (longest ${stalls.longestMs.toFixed(0)} ms), ` +
        `error 100 × ${d.errorsByCode['100'] ?? 0}, exchange refusals ${c.pacingViolations}`,
    );
    expect(stalls.stalls).toBeGreaterThan(0);
    expect(out.progress.state).toBe('complete');
    expect(out.progress.quoted).toBe(out.progress.planned);
    expect(c.pacingViolations).toBe(0);
    expect(d.errorsByCode['100']).toBeUndefined();
    expect(d.errorsByCode['101']).toBeUndefined();
    expect(broker.status().state).toBe('connected');
  }, 300_000);
});
