// Broker-verified rows against the paper exchange (own thread, real socket): the best `whatIfTop` rows of the final
// top carry IBKR's what-if and no other row does, 0 sends none, a stop during the what-ifs leaves nothing pending, and
// a session that may not trade gets the reason on every row instead of a number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest, ScanResults, ScanRow } from '../../../core/contract';
import { ResultsAssembler } from '../../../core/scanner';
import { localTarget, newBroker, waitFor } from '../../../../tests/support/broker';
import type { IbBroker } from '../broker/ib-broker';
import type { Broker, WhatIfResult } from '../broker/types';
import { createScannerService, type ScannerService } from './service';
import { startPaperWorker, type PaperWorker } from './testing';
import { whatIfOf, whatIfRequestOf } from './what-if';

const CLIENT = 44;

const REQUEST: ScanRequest = {
  symbols: ['SPY', 'QQQ'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 5 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 5 } },
  scoring: { by: 'ror', basis: 'mid' },
  top: 8,
};

/**
 * The real broker, seen through the scanner's eyes: every what-if it is asked for is counted and kept (to see each
 * one settle), and `onWhatIf` runs as the n-th is asked. Every call goes to the real broker.
 */
function watched(broker: IbBroker) {
  const asked: Array<Promise<WhatIfResult>> = [];
  const hooks: { onWhatIf: ((n: number) => void) | null } = { onWhatIf: null };
  const proxy = new Proxy(broker, {
    get(target, prop) {
      if (prop === 'whatIf') {
        return (...args: Parameters<Broker['whatIf']>) => {
          const p = target.whatIf(...args);
          p.catch(() => undefined);
          asked.push(p);
          hooks.onWhatIf?.(asked.length);
          return p;
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { broker: proxy as Broker, asked, hooks };
}

describe('scan: broker-verified rows (IBKR what-if of the best rows)', () => {
  let ex: PaperWorker;
  let broker: IbBroker;
  let view: ReturnType<typeof watched>;
  let svc: ScannerService;
  const frames: ScanResults[] = [];
  const assembler = new ResultsAssembler();

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 5, startAt: '2026-01-06T15:00:00Z', paused: true });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    view = watched(broker);
    svc = createScannerService({
      broker: view.broker,
      bus: {
        emit: (name, payload) => {
          if (name !== 'scan.results') return;
          const frame = payload as ScanResults;
          frames.push({ ...frame, rows: assembler.apply(frame) });
        },
      },
    });
  });
  afterAll(async () => {
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  const verified = (r: ScanRow): boolean =>
    r.whatIf !== null && r.whatIf !== undefined && Number.isFinite(r.whatIf.initMarginChange) && Number.isFinite(r.whatIf.commission) && (r.whatIfUnavailable ?? null) === null;
  const untouched = (r: ScanRow): boolean => r.whatIf === undefined && r.whatIfUnavailable === undefined;

  it('whatIfTop 3: exactly the best 3 rows carry a margin change and a commission; the others none', async () => {
    const from = view.asked.length;
    const out = await (await svc.start({ ...REQUEST, whatIfTop: 3 })).done;
    // Complete first (ranking never waits for margin); the what-ifs follow, and the progress says so meanwhile.
    expect(out.progress.state).toBe('complete');
    expect(out.progress.message ?? '').toMatch(/what-if for the top 3 rows/);
    const requests = await out.followUp;
    expect(svc.latest().progress?.message ?? '').not.toMatch(/what-if/);
    const rows = svc.latest().results!.rows;
    expect(rows.map((r) => r.fingerprint)).toEqual(out.results.rows.map((r) => r.fingerprint));
    expect(rows.length).toBeGreaterThan(3);
    console.log('[what-if] top 3', JSON.stringify(rows.slice(0, 3).map((r) => ({ fp: r.fingerprint, whatIf: r.whatIf }))));
    for (const r of rows.slice(0, 3)) expect(verified(r), r.fingerprint).toBe(true);
    for (const r of rows.slice(3)) expect(untouched(r), r.fingerprint).toBe(true);
    expect(view.asked.length - from).toBe(3);
    expect(requests.whatIf).toBe(3);
    // The trader's grid gets the same rows through the delta frames.
    const last = frames.filter((f) => f.scanId === out.results.scanId).at(-1)!;
    expect(last.final).toBe(true);
    expect(last.rows.map((r) => r.whatIf ?? null)).toEqual(rows.map((r) => r.whatIf ?? null));
    // The request is the one a ticket opened from the row sends: one spread, opened (BUY), at the conservative mid.
    const req = whatIfRequestOf(rows[0]!);
    expect(req.ok && req.request).toMatchObject({ action: 'BUY', quantity: 1, orderType: 'LMT', net: { kind: rows[0]!.isCredit ? 'credit' : 'debit' } });
    // Nothing is left waiting: no order is tracked for it (what-ifs are never kept) and the pacer is empty.
    expect(broker.trackedOrders()).toEqual([]);
    await waitFor(() => broker.diagnostics().pacer.depth === 0, 15_000, 'the pacer drained');
    expect(svc.runDiagnostics()).toMatchObject({ abortListeners: 0, outstanding: 0 });
  }, 120_000);

  it('whatIfTop 0: no what-if order is sent (no order id is used) and no row carries one', async () => {
    const from = view.asked.length;
    const idBefore = broker.reserveOrderId();
    const out = await (await svc.start({ ...REQUEST, whatIfTop: 0 })).done;
    expect(out.progress.state).toBe('complete');
    expect((await out.followUp).whatIf).toBe(0);
    expect(view.asked.length - from).toBe(0);
    // Every what-if takes an order id: the next one is the one after ours.
    expect(broker.reserveOrderId()).toBe(idBefore + 1);
    expect(out.results.rows.length).toBeGreaterThan(0);
    for (const r of out.results.rows) expect(untouched(r), r.fingerprint).toBe(true);
  }, 120_000);

  it('a stop during the what-ifs (after completion) ends them cleanly: none asked after, every one asked settles, nothing pending', async () => {
    const from = view.asked.length;
    const idBefore = broker.reserveOrderId();
    // The trader presses Stop as the second what-if is asked (the first is on its way or already sent).
    view.hooks.onWhatIf = (n) => {
      if (n - from === 2) void svc.stop();
    };
    try {
      const out = await (await svc.start({ ...REQUEST, whatIfTop: 8 })).done;
      // The scan was complete before its what-ifs began; Stop ends the follow-up (and the auto-refresh).
      expect(out.progress.state).toBe('complete');
      expect((await out.followUp).whatIf).toBe(2);
      // No what-if after the stop, and each one asked settles (answered into the book or withdrawn from the queue).
      const mine = view.asked.slice(from);
      expect(mine.length).toBe(2);
      const settled = await Promise.allSettled(mine);
      expect(settled.length).toBe(2);
      // An answer that came after the stop is not written into a stopped run's rows.
      for (const r of svc.latest().results!.rows) expect(untouched(r), r.fingerprint).toBe(true);
      expect(svc.latest().progress?.message ?? '').not.toMatch(/what-if/);
      expect(broker.reserveOrderId()).toBe(idBefore + 2 + 1);
      expect(svc.runDiagnostics()).toMatchObject({ state: 'complete', abortListeners: 0, outstanding: 0 });
      await waitFor(() => broker.diagnostics().pacer.depth === 0, 15_000, 'the pacer drained');
      expect(broker.trackedOrders()).toEqual([]);
    } finally {
      view.hooks.onWhatIf = null;
    }
  }, 120_000);

  it('scan.start refuses a bad whatIfTop with a sentence, before anything is sent', async () => {
    const from = view.asked.length;
    await expect(svc.start({ ...REQUEST, whatIfTop: -1 })).rejects.toThrow('What-if rows must be 0 (off) or more');
    await expect(svc.start({ ...REQUEST, whatIfTop: 51 })).rejects.toThrow('What-if rows must be at most 50');
    expect(view.asked.length).toBe(from);
  });

  it('a session that may not trade: no what-if is sent and every row says why its cell is blank', async () => {
    const rows = svc.latest().results?.rows.slice(0, 3) ?? [];
    expect(rows.length).toBe(3);
    const idle = newBroker();
    const verdicts = new Map<string, Pick<ScanRow, 'whatIf' | 'whatIfUnavailable'>>();
    const asked = await whatIfOf({ broker: idle, now: Date.now }, rows, new AbortController().signal, (fp, v) => verdicts.set(fp, v));
    expect(asked).toBe(0);
    expect(verdicts.size).toBe(3);
    for (const v of verdicts.values()) {
      expect(v.whatIf).toBeNull();
      expect(v.whatIfUnavailable).toMatch(/^No what-if: it needs a session that may trade\. .+\.$/);
    }
    await idle.close();
  });
});
