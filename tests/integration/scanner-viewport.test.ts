// Auto-refresh re-quotes what the trader sees: scan.viewport against the paper exchange over real sockets — the
// visible rows' legs every cycle, each cycle within its pacer budget, the other kept rows in rotation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerMap, ScanRequest, ScanRow } from '../../src/core/contract';
import type { Broker } from '../../src/main/services/broker/types';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { createDispatcher, type Dispatcher } from '../../src/main/transport/dispatch';
import { localTarget, newBroker } from '../support/broker';
import { createScannerService, scannerHandlers, type ScannerService } from '../../src/main/services/scanner/service';
import { startPaperWorker, type PaperWorker } from '../../src/main/services/scanner/testing';

const CLIENT = 43;
/** Slow pacer for the refresh cycles: the budget is ½ × 5 s (no auto-refresh interval: the shortest) × 4 msg/s = 10. */
const REFRESH_RATE = 4;
const BUDGET = 10;

const REQUEST: ScanRequest = {
  symbols: ['SPY', 'AAPL'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 7 }, shortDelta: { min: 0.1, max: 0.35 }, width: { min: 1, max: 5 } },
  scoring: { by: 'ror', basis: 'mid' },
  top: 40,
  topPerSymbol: 20,
  mode: 'exhaustive',
};

const legsOf = (rows: readonly ScanRow[]): number[] => [...new Set(rows.flatMap((r) => [r.short.conId, r.long.conId]).filter((c): c is number => c !== null))];

describe('auto-refresh by viewport (paper exchange, real sockets)', () => {
  let ex: PaperWorker;
  let broker: IbBroker;
  let svc: ScannerService;
  let dispatcher: Dispatcher;
  /** Option conIds the scanner asked the broker to snapshot, in order (the real broker answers every one). */
  const asked: number[] = [];

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 7 });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    // The real broker, with its option snapshots noted on the way through.
    const seen = new Proxy(broker, {
      get(target, prop) {
        if (prop === 'snapshotQuote') {
          return (c: Parameters<Broker['snapshotQuote']>[0], o: Parameters<Broker['snapshotQuote']>[1]) => {
            if (c.secType === 'OPT') asked.push(c.conId);
            return target.snapshotQuote(c, o);
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Broker;
    svc = createScannerService({ broker: seen, bus: { emit: () => undefined } });
    dispatcher = createDispatcher(scannerHandlers(svc) as HandlerMap);
  });
  afterAll(async () => {
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  const viewport = (args: unknown) => dispatcher.dispatch('scan.viewport', args, { transport: 'direct' });
  /** One refresh cycle through refreshNow: the option legs it asked for, and the run's own account of it. */
  async function cycle(): Promise<{ sent: number[]; plan: { budget: number; visible: number; legs: number[] } }> {
    asked.length = 0;
    expect(await svc.refreshNow()).toBe(true);
    const d = svc.runDiagnostics()!;
    // Every quote of the cycle unlinked its listener as it settled.
    expect(d.abortListeners).toBe(0);
    expect(d.outstanding).toBe(0);
    return { sent: [...asked], plan: d.lastRefresh! };
  }

  it('quotes the visible rows’ legs every cycle within the budget, and every kept row’s legs in rotation', async () => {
    const handle = await svc.start(REQUEST);
    const out = await handle.done;
    // The what-ifs of the best rows follow completion; the cycles below are measured without them.
    await out.followUp;
    expect(out.progress.state).toBe('complete');
    const rows = svc.latest().results!.rows;
    const spots = out.progress.symbols.filter((s) => s.error === null).length;
    // More legs than one cycle may quote, so the rest has to rotate.
    expect(legsOf(rows).length).toBeGreaterThan(2 * BUDGET);

    // Rows from the middle of the ranking are on screen (the trader scrolled): they go first, not the top ranks.
    const shown = rows.slice(10, 13);
    expect(await viewport({ scanId: handle.scanId, fingerprints: shown.map((r) => r.fingerprint) })).toEqual({ ok: true, value: { applied: true } });

    await ex.setSnapshotLatency(5, 20);
    broker.tune({ pacerRate: REFRESH_RATE });
    try {
      const refreshed = new Set<number>();
      let covered = false;
      // LRU rotation covers L off-screen legs in about L ÷ (budget − spots − visible legs) cycles; the cap is a backstop.
      for (let i = 0; i < 40 && !covered; i++) {
        const kept = svc.latest().results!.rows;
        const onScreen = legsOf(kept.filter((r) => shown.some((s) => s.fingerprint === r.fingerprint)));
        const { sent, plan } = await cycle();
        expect(plan.budget).toBe(BUDGET);
        // Within the budget, the spots counted in.
        expect(sent.length + spots).toBeLessThanOrEqual(BUDGET);
        expect(sent).toEqual(plan.legs);
        // The visible rows' legs, first.
        expect(sent.slice(0, onScreen.length).sort()).toEqual([...onScreen].sort());
        expect(plan.visible).toBe(onScreen.length);
        for (const c of sent) refreshed.add(c);
        covered = legsOf(svc.latest().results!.rows).every((c) => refreshed.has(c));
      }
      expect(covered).toBe(true);
    } finally {
      broker.tune({ pacerRate: 45 });
      await ex.setSnapshotLatency(500, 2000);
    }
    // No auto-refresh was asked for, so there is nothing to stop: refreshNow ran the cycles.
    expect(await svc.stop(handle.scanId)).toBe(false);
  }, 240_000);

  it('the latest of concurrent viewports wins; one for a replaced scan is ignored (applied: false, no error); bad input is a sentence', async () => {
    const old = await svc.start({ ...REQUEST, symbols: ['AAPL'] });
    await old.done;
    const handle = await svc.start({ ...REQUEST, symbols: ['AAPL'] });
    const out = await handle.done;
    // The what-ifs of the best rows follow completion; the cycles below are measured without them.
    await out.followUp;
    expect(out.progress.state).toBe('complete');
    const rows = svc.latest().results!.rows;
    expect(rows.length).toBeGreaterThan(6);

    // Ten calls at once, each a different row: all applied, the last one stored.
    const answers = await Promise.all(rows.slice(0, 10).map((r) => viewport({ scanId: handle.scanId, fingerprints: [r.fingerprint] })));
    expect(answers.every((a) => a.ok && (a.value as { applied: boolean }).applied)).toBe(true);
    const last = rows[Math.min(9, rows.length - 1)]!;
    // A late report from the grid of the replaced scan changes nothing.
    expect(await viewport({ scanId: old.scanId, fingerprints: [rows[0]!.fingerprint] })).toEqual({ ok: true, value: { applied: false } });

    await ex.setSnapshotLatency(5, 20);
    broker.tune({ pacerRate: REFRESH_RATE });
    try {
      // No refresh ran since the scan ended, so the cycle ranks from `rows`: the last viewport's legs go first.
      const { sent, plan } = await cycle();
      expect(plan.visible).toBe(legsOf([last]).length);
      expect(sent.slice(0, plan.visible).sort()).toEqual(legsOf([last]).sort());
    } finally {
      broker.tune({ pacerRate: 45 });
      await ex.setSnapshotLatency(500, 2000);
    }

    const big = await viewport({ scanId: handle.scanId, fingerprints: Array.from({ length: 501 }, (_, i) => `f${i}`) });
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.error.code).toBe('VALIDATION');
      expect(big.error.message).toMatch(/at most 500 visible rows can be reported\.$/i);
    }
    const empty = await viewport({ scanId: handle.scanId, fingerprints: [''] });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error.message).toMatch(/fingerprint must not be empty\.$/i);
    // No auto-refresh was asked for, so there is nothing to stop: refreshNow ran the cycles.
    expect(await svc.stop(handle.scanId)).toBe(false);
  }, 240_000);
});
