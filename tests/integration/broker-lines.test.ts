// Acceptance 6.3: a 10-minute (accelerated) churn of panels subscribing and releasing never exceeds the budget
// and ends with zero lines held after everything is released.
//
// Twelve simulated panels subscribe to 1–4 of 45 contracts, hold them 2–30 s and let go, while the scanner fires
// snapshot batches through the free lines; the exchange and the app both allow 20 lines. Time is virtual (one
// manual clock for the adapter and the exchange's limiter, moved in 200 ms steps, waiting for delivery after each),
// so ten minutes run in seconds. After every step the exchange's count of our lines is checked against the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/options/rng';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { connectOnClock, deliveredTo, driveClock, localTarget, newBroker, runOnClock } from '../support/broker';
import { ManualTimers } from '../../src/main/services/broker/timers';
import type { QualifiedContract, QuoteSubscription } from '../../src/main/services/broker/types';

const BUDGET = 20;
const CLIENT = 71;

describe('market-data lines: 10 minutes of panel and scanner churn (virtual clock)', () => {
  const timers = new ManualTimers(Date.UTC(2025, 0, 6, 15, 0, 0));
  let ex: PaperExchangeHandle;
  let broker: IbBroker;
  const session = () => ex.exchange.sessionsList().find((s) => s.clientId === CLIENT);
  const exchangeLines = () => {
    const s = session();
    return s ? ex.exchange.marketData.linesOf(s) : 0;
  };
  const delivered = () => deliveredTo(ex, broker, CLIENT)();

  beforeAll(async () => {
    ex = await startPaperExchange({ seed: 12, limiterClock: timers, lineBudget: BUDGET, publishIntervalMs: 250 });
    ex.faults.setSnapshotLatency(1, 4);
    broker = newBroker({ timers, lineBudget: BUDGET, snapshotTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    await connectOnClock(broker, localTarget(ex.port, CLIENT));
  });
  afterAll(async () => {
    await broker?.close();
    await ex?.close();
  });

  it('never holds more than the budget (app or exchange) and ends at zero lines', async () => {
    const run = <T,>(p: Promise<T>): Promise<T> => runOnClock(timers, p, { totalMs: 60_000, stepMs: 10, delivered });
    const underlyings: QualifiedContract[] = [];
    for (const symbol of ['SPY', 'QQQ', 'IWM', 'AAPL', 'MSFT']) underlyings.push(...(await run(broker.qualify({ secType: 'STK', symbol }))));
    const spy = underlyings[0] as QualifiedContract;
    const [chain] = await run(broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy.conId }));
    const options = (await run(broker.optionContracts({ symbol: 'SPY', expiry: chain?.expirations[3] ?? '', tradingClass: chain?.tradingClass }))).slice(0, 40);
    const pool = [...underlyings, ...options];
    expect(pool.length).toBe(45);

    const random = seededRandom(2025); // seeded: the churn is the same every run
    const live = new Set<QuoteSubscription>();
    const snapshots: Array<Promise<unknown>> = [];
    let subscribes = 0;
    let stopped = false;
    const panel = () => {
      if (stopped) return;
      const n = 1 + Math.floor(random() * 4);
      const mine: QuoteSubscription[] = [];
      for (let i = 0; i < n; i++) {
        const c = pool[Math.floor(random() * pool.length)] as QualifiedContract;
        const sub = broker.subscribeQuote({ conId: c.conId });
        live.add(sub);
        mine.push(sub);
        subscribes++;
      }
      timers.setTimeout(() => {
        for (const s of mine) {
          s.release();
          live.delete(s);
        }
        timers.setTimeout(panel, random() * 5_000);
      }, 2_000 + random() * 28_000);
    };
    for (let p = 0; p < 12; p++) timers.setTimeout(panel, random() * 3_000);
    const scan = () => {
      if (stopped) return;
      for (let i = 0; i < 15; i++) snapshots.push(broker.snapshotQuote({ conId: (options[Math.floor(random() * options.length)] as QualifiedContract).conId }, { priority: 'scan' }));
      timers.setTimeout(scan, 10_000);
    };
    timers.setTimeout(scan, 1_000);

    let maxApp = 0;
    let maxExchange = 0;
    let exchangeAboveApp = 0;
    const checks = () => {
      const held = broker.lineStats().held;
      const atExchange = exchangeLines();
      maxApp = Math.max(maxApp, held);
      maxExchange = Math.max(maxExchange, atExchange);
      if (atExchange > held) exchangeAboveApp++;
      return false;
    };
    const startWall = Date.now();
    // Ten virtual minutes, sampled after every 200 ms step (the exchange itself would answer 101 at any instant over budget).
    await driveClock(timers, { totalMs: 600_000, stepMs: 200, delivered, done: checks });
    stopped = true;
    for (const s of live) s.release();
    live.clear();
    const results = await run(Promise.allSettled(snapshots));
    await driveClock(timers, { totalMs: 10_000, stepMs: 50, delivered, done: () => (checks(), broker.lineStats().held === 0 && exchangeLines() === 0) });
    const d = broker.diagnostics();
    console.log(
      `[acceptance 3] 600 virtual s in ${((Date.now() - startWall) / 1000).toFixed(1)} s wall: ${subscribes} subscriptions, ${snapshots.length} snapshots ` +
        `(${results.filter((r) => r.status === 'fulfilled').length} completed); peak lines app ${maxApp} / exchange ${maxExchange} of ${BUDGET}; ` +
        `final app ${d.lines.held}, exchange ${exchangeLines()}; 101 errors: ${d.errorsByCode['101'] ?? 0}`,
    );
    expect(subscribes).toBeGreaterThan(300);
    expect(maxApp).toBe(BUDGET); // the budget was actually under pressure …
    expect(maxExchange).toBeLessThanOrEqual(BUDGET); // … and never exceeded at the exchange
    expect(exchangeAboveApp).toBe(0); // the app never counts fewer lines than the exchange holds
    expect(d.errorsByCode['101']).toBeUndefined();
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(d.lines.held).toBe(0);
    expect(exchangeLines()).toBe(0);
    expect(d.lines.subscribers).toBe(0);
  }, 60_000);
});
