// Acceptance 6.2: a burst of 5,000 queued requests completes with zero error 100 and never more than the
// configured rate in any one-second window, measured at the exchange.
//
// Real sockets, the real @stoqey/ib client and the exchange's own rate limiter — but time is virtual: the adapter
// (pacer, timeouts) and the exchange's limiter share one manual clock that the test moves in 10 ms steps, waiting
// after each step until every written message has reached the exchange. Two minutes of traffic at 45/s run in
// seconds, and the windows the exchange measures are free of the machine's scheduling jitter (which would otherwise
// be magnified by any speed-up). The exchange timestamps each message as it processes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { connectOnClock, deliveredTo, localTarget, maxInWindow, newBroker, runOnClock } from '../support/broker';
import { ManualTimers } from '../../src/main/services/broker/timers';
import type { QualifiedContract } from '../../src/main/services/broker/types';

const RATE = 45;
const CLIENT = 61;

describe('pacing: 5,000 queued requests against the exchange limiter (virtual clock)', () => {
  const timers = new ManualTimers(Date.UTC(2025, 0, 6, 15, 0, 0));
  let ex: PaperExchangeHandle;
  let broker: IbBroker;
  const arrivals: number[] = [];
  const client = () => ex.clients().find((c) => c.clientId === CLIENT);
  // Everything we wrote has been read by the exchange.
  const delivered = () => deliveredTo(ex, broker, CLIENT)();
  /** Runs a request to completion while driving the clock. */
  const run = <T,>(p: Promise<T>): Promise<T> => runOnClock(timers, p, { totalMs: 600_000, stepMs: 10, delivered });

  beforeAll(async () => {
    ex = await startPaperExchange({ seed: 9, limiterClock: timers, publishIntervalMs: 250 });
    ex.faults.setSnapshotLatency(1, 5);
    // Timestamp, at the exchange, every request of our client as the exchange takes it in.
    const exchange = ex.exchange;
    const onRequest = exchange.onRequest.bind(exchange);
    exchange.onRequest = (session, req) => {
      if (session.clientId === CLIENT) arrivals.push(exchange.limiterClock.now());
      onRequest(session, req);
    };
    broker = newBroker({ timers, pacerRate: RATE, snapshotTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    await connectOnClock(broker, localTarget(ex.port, CLIENT));
  });
  afterAll(async () => {
    await broker?.close();
    await ex?.close();
  });

  it('completes every request, zero error 100, ≤ 45 in every one-second window at the exchange', async () => {
    const [spy] = await run(broker.qualify({ secType: 'STK', symbol: 'SPY' }));
    const [chain] = await run(broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy?.conId ?? 0 }));
    const options = await run(broker.optionContracts({ symbol: 'SPY', expiry: chain?.expirations[1] ?? '', tradingClass: chain?.tradingClass }));
    const symbols = ['SPY', 'QQQ', 'IWM', 'AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOGL'];
    const startWall = Date.now();
    const startVirtual = timers.now();
    // 5,000 requests queued at once: 4,000 contract look-ups (user priority) and 1,000 scanner snapshots.
    const jobs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 5 === 4) jobs.push(broker.snapshotQuote({ conId: (options[i % options.length] as QualifiedContract).conId }, { priority: 'scan' }));
      else jobs.push(broker.qualify({ secType: 'STK', symbol: symbols[i % symbols.length] ?? 'SPY' }));
    }
    // Queued: in the pacer, or (snapshots beyond the 100-line budget) waiting for a line.
    const queued = broker.diagnostics();
    expect(queued.pacer.depth + queued.lines.snapshotsWaiting).toBeGreaterThan(4900);
    const all = Promise.allSettled(jobs);
    const results = await run(all.then((r) => r));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
    const d = broker.diagnostics();
    const c = client();
    const sorted = [...arrivals].sort((a, b) => a - b);
    const virtualSeconds = (timers.now() - startVirtual) / 1000;
    console.log(
      `[acceptance 2] 5,000 requests in ${virtualSeconds.toFixed(1)} virtual s (${((Date.now() - startWall) / 1000).toFixed(1)} s wall), ${arrivals.length} messages seen by the exchange; ` +
        `max in any 1 s window at the exchange: ${maxInWindow(sorted, 1000)}; busiest whole second: ${Math.max(...(c?.perSecond ?? []).map((p) => p.count))}; ` +
        `pacer max depth ${d.pacer.maxDepth}, wait p50 ${d.pacer.waitP50Ms?.toFixed(0)} ms, p99 ${d.pacer.waitP99Ms?.toFixed(0)} ms; ` +
        `error 100: ${d.errorsByCode['100'] ?? 0}; exchange pacing violations: ${c?.pacingViolations}`,
    );
    expect(failed.slice(0, 5)).toEqual([]);
    expect(arrivals.length).toBeGreaterThanOrEqual(5000);
    expect(maxInWindow(sorted, 1000)).toBeLessThanOrEqual(RATE);
    // The exchange's own per-second counts (whole seconds of its clock) agree.
    expect(Math.max(...(c?.perSecond ?? []).map((p) => p.count))).toBeLessThanOrEqual(RATE);
    expect(d.errorsByCode['100']).toBeUndefined();
    expect(c?.pacingViolations).toBe(0);
    expect(d.lines.held).toBe(0);
    expect(broker.status().state).toBe('connected');
    // Throughput: the sliding window plus the 50 ms jitter guard keeps close to the configured rate.
    expect(arrivals.length / virtualSeconds).toBeGreaterThan(40);
  }, 60_000);
});
