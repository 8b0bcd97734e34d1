// Scanner service against the paper exchange over real sockets: plan size, pacing, lines, incremental results,
// cancellation mid-scan, auto-refresh. The exchange runs on its own thread, as TWS runs in its own process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanProgress, ScanRequest, ScanResults } from '../../src/core/contract';
import { ResultsAssembler, violations } from '../../src/core/scanner';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker, waitFor } from '../support/broker';
import { createScannerService, type ScannerService } from '../../src/main/services/scanner/service';
import { startPaperWorker, type PaperWorker } from '../../src/main/services/scanner/testing';

const CLIENT = 41;

/** The exchange's count of lines in use once it reaches 0, polled for up to 15 s (a busy machine reads cancels late). */
async function exchangeLinesSettle(ex: PaperWorker): Promise<number> {
  let n = (await ex.stats()).stats.linesInUse;
  for (let i = 0; i < 150 && n !== 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    n = (await ex.stats()).stats.linesInUse;
  }
  return n;
}
const CREDIT: ScanRequest = {
  symbols: ['SPY', 'AAPL'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 7 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 5 } },
  scoring: { by: 'ror', basis: 'mid' },
  top: 30,
};

describe('scanner service (paper exchange, real sockets)', () => {
  let ex: PaperWorker;
  let broker: IbBroker;
  let svc: ScannerService;
  const progress: ScanProgress[] = [];
  const results: ScanResults[] = [];
  const assembler = new ResultsAssembler();

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 42 });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    svc = createScannerService({
      broker,
      bus: {
        emit: (name, payload) => {
          if (name === 'scan.progress') progress.push(payload as ScanProgress);
          if (name === 'scan.results') {
            const frame = payload as ScanResults;
            results.push({ ...frame, rows: assembler.apply(frame) });
          }
        },
      },
    });
  });
  afterAll(async () => {
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  /**
   * Nothing more leaves the app once the pacer is empty: its sent count stays put for 1.5 s (a liveness probe is the
   * only message allowed to appear, and it is counted), and the exchange has read exactly what was sent.
   */
  async function expectNothingMoreSent(): Promise<void> {
    await waitFor(() => broker.diagnostics().pacer.depth === 0, 15_000, 'the pacer drained');
    const a = broker.diagnostics();
    await new Promise((r) => setTimeout(r, 1_500));
    const b = broker.diagnostics();
    expect(b.messagesOut.total - a.messagesOut.total).toBe(b.probe.sent - a.probe.sent);
    expect(b.pacer.depth).toBe(0);
  }

  it('quotes only the planned options, streams ranked rows as they arrive, and ends clean', async () => {
    const before = (await ex.client(CLIENT))!;
    const dBefore = broker.diagnostics();
    const handle = await svc.start(CREDIT);
    const out = await handle.done;
    // The follow-up (what-ifs of the best rows) runs after completion; the count covers it.
    const requests = await out.followUp;
    const after = (await ex.client(CLIENT))!;
    const mine = results.filter((r) => r.scanId === handle.scanId);
    const firstRows = mine.find((r) => r.rows.length > 0);

    expect(out.progress.state).toBe('complete');
    expect(out.progress.quoted).toBe(out.progress.planned);
    expect(out.progress.symbols.every((s) => s.error === null && s.quoted === s.planned && s.planned > 0)).toBe(true);
    // Plan size: a small part of what the chains list for those expiries.
    const listed = out.chains.reduce((n, c) => n + c.expiries.length, 0);
    expect(listed).toBeGreaterThan(2);
    const planned = out.progress.planned;
    const quotedCells = out.chains.reduce((n, c) => n + c.expiries.reduce((m, e) => m + [...e.call.bid, ...e.put.bid].filter((b) => !Number.isNaN(b)).length, 0), 0);
    expect(quotedCells).toBe(planned); // every planned quote landed in its chain
    // No quote beyond the plan: every planned option was requested exactly once (a snapshot or a fast-lane stream).
    expect(out.requests.snapshots + out.requests.streams).toBe(planned);
    // Messages: one per quote, a cancel for each fast-lane stream and each open-interest line (the rows on screen: none here),
    // one per what-if (the best rows), one contract lookup per expiry, a handful per symbol,
    // plus only what the broker itself reports as re-sent (a liveness probe, a re-subscribed line, a timed-out request
    // retried) — those depend on the machine's speed, so they are counted, not guessed.
    const messages = after.totalIn - before.totalIn;
    const d = broker.diagnostics();
    const resent = d.probe.sent - dBefore.probe.sent + (d.lines.resubscribed - dBefore.lines.resubscribed) + (d.lines.refused101 - dBefore.lines.refused101) + (d.requests.timeouts - dBefore.requests.timeouts);
    const quoting = requests.snapshots + 2 * requests.streams + 2 * requests.openInterest + requests.whatIf;
    expect(messages).toBeGreaterThanOrEqual(quoting);
    expect(messages - quoting).toBeLessThanOrEqual(listed + 2 * 6 + 5 + 2 * resent);
    // Rows arrive incrementally (the first ranked frame is not the final one), best first and inside every filter.
    expect(firstRows).toBeDefined();
    expect(firstRows!.final).toBe(false);
    const final = mine[mine.length - 1]!;
    expect(final.final).toBe(true);
    expect(final.rows.length).toBe(30);
    expect(out.chains.map((c) => c.symbol).sort()).toEqual(['AAPL', 'SPY']);
    for (const r of final.rows) expect(violations(r, CREDIT.filters, final.at)).toEqual([]);
    for (let i = 1; i < final.rows.length; i++) expect(final.rows[i - 1]!.score).toBeGreaterThanOrEqual(final.rows[i]!.score);
    // Within IBKR's limits: no pacing refusal, no line refusal, nothing held afterwards.
    expect(after.pacingViolations - before.pacingViolations).toBe(0);
    expect(broker.diagnostics().errorsByCode['100']).toBeUndefined();
    expect(broker.diagnostics().errorsByCode['101']).toBeUndefined();
    await waitFor(() => broker.diagnostics().lines.held === 0, 15_000, 'broker lines released');
    // The app counts a line free once its cancel is written; the exchange once it has read it.
    expect(await exchangeLinesSettle(ex)).toBe(0);
    // Progress ends at 100 % with ETA 0.
    const last = progress.filter((p) => p.scanId === handle.scanId).at(-1)!;
    expect(last).toMatchObject({ state: 'complete', etaMs: 0 });
  }, 120_000);

  it('stops mid-scan: queued quotes are dropped, lines are released, nothing more is sent', async () => {
    const big: ScanRequest = { ...CREDIT, symbols: ['SPY', 'QQQ', 'IWM'], filters: { ...CREDIT.filters, dte: { min: 0, max: 45 }, width: { min: 1, max: 10 } } };
    const handle = await svc.start(big);
    await waitFor(() => (svc.latest().progress?.quoted ?? 0) > 60, 60_000, 'some quotes in');
    const planned = svc.latest().progress!.planned;
    expect(await svc.stop(handle.scanId)).toBe(true);
    const out = await handle.done;
    expect(out.progress.state).toBe('stopped');
    expect(out.results.final).toBe(true);
    expect(out.progress.quoted).toBeLessThan(planned);
    await waitFor(() => broker.diagnostics().lines.held === 0, 15_000, 'broker lines released');
    expect(await exchangeLinesSettle(ex)).toBe(0);
    await expectNothingMoreSent();
    expect(await svc.stop(handle.scanId)).toBe(false);
  }, 60_000);

  it('auto-refresh re-quotes the rows on screen and re-ranks, until stopped', async () => {
    const handle = await svc.start({ ...CREDIT, symbols: ['AAPL'], top: 5, autoRefreshSec: 5 });
    const out = await handle.done;
    expect(out.progress.state).toBe('complete');
    // The what-ifs' frames come first (they follow completion); the refresh's is the next one after them.
    await out.followUp;
    const before = results.filter((r) => r.scanId === handle.scanId).length;
    await waitFor(() => results.filter((r) => r.scanId === handle.scanId).length > before, 60_000, 'a refreshed result');
    const refreshed = results.filter((r) => r.scanId === handle.scanId).at(-1)!;
    expect(refreshed.final).toBe(true);
    expect(refreshed.at).toBeGreaterThan(out.results.at + 4_000);
    expect(await svc.stop(handle.scanId)).toBe(true);
    await waitFor(() => broker.diagnostics().lines.held === 0, 15_000, 'lines released');
  }, 120_000);

  it('two concurrent scan.start calls cannot orphan a run: the earlier ones end stopped, one run keeps quoting', async () => {
    const small: ScanRequest = { ...CREDIT, symbols: ['AAPL'], filters: { ...CREDIT.filters, dte: { min: 0, max: 7 } } };
    const first = await svc.start(small);
    // While a run exists, two more starts race (each used to stop the old run and then both became current).
    const [a, b] = await Promise.all([svc.start(small), svc.start(small)]);
    const outs = await Promise.all([first.done, a.done, b.done]);
    expect(outs.map((o) => o.progress.state)).toEqual(['stopped', 'stopped', 'complete']);
    await outs[2]!.followUp;
    expect(svc.latest().progress?.scanId).toBe(b.scanId);
    // Nothing keeps quoting once the last run is complete.
    await waitFor(() => broker.diagnostics().lines.held === 0, 15_000, 'lines released');
    await expectNothingMoreSent();
  }, 60_000);

  it('leaves no abort listener behind: the count is flat over 100 auto-refresh cycles', async () => {
    const handle = await svc.start({ ...CREDIT, symbols: ['AAPL'], filters: { ...CREDIT.filters, dte: { min: 0, max: 7 } }, top: 2, topPerSymbol: 2, autoRefreshSec: 3600 });
    const out = await handle.done;
    expect(out.progress.state).toBe('complete');
    expect(out.results.rows.length).toBeGreaterThan(0);
    await out.followUp;
    const counts: number[] = [];
    // Quick snapshots for this test only: the point is the count over many cycles, not the exchange's latency.
    await ex.setSnapshotLatency(5, 20);
    try {
      for (let i = 0; i < 100; i++) {
        expect(await svc.refreshNow()).toBe(true);
        counts.push(svc.runDiagnostics()!.abortListeners);
      }
    } finally {
      await ex.setSnapshotLatency(500, 2000);
    }
    expect(new Set(counts)).toEqual(new Set([0]));
    expect(svc.runDiagnostics()!.outstanding).toBe(0);
    expect(broker.diagnostics().errorsByCode['100']).toBeUndefined();
    expect(await svc.stop(handle.scanId)).toBe(true);
  }, 180_000);

  it('refuses to scan while disconnected, with a sentence for the trader', async () => {
    const idle = createScannerService({ broker: newBroker(), bus: { emit: () => undefined } });
    await expect(idle.start(CREDIT)).rejects.toThrow('Connect to a profile before scanning.');
  });
});
