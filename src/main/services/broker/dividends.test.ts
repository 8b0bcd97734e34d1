// Generic ticks over a real socket to the paper exchange: an underlying's dividends (456 → tick 59) and an option's
// open interest (101 → tick 27/28) reach the Quote, and the lines they took are given back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../paper';
import { localTarget, newBroker } from '../../../../tests/support/broker';
import type { IbBroker } from './ib-broker';
import type { Quote, QuoteSubscription } from './types';

/** The subscription's quote once `ready` holds (the paper exchange sends a line's first ticks at once). */
async function quoteWhen(sub: QuoteSubscription, ready: (q: Quote) => boolean): Promise<Quote> {
  await expect
    .poll(() => {
      const q = sub.latest();
      return q !== null && ready(q);
    }, { timeout: 30_000 })
    .toBe(true);
  return sub.latest() as Quote;
}

describe('generic ticks from the paper exchange (real socket)', () => {
  let ex: PaperExchangeHandle;
  let broker: IbBroker;

  beforeAll(async () => {
    // Frozen at a known instant: the prices and the next dividend date do not move.
    ex = await startPaperExchange({ seed: 11, startAt: '2026-01-06T15:00:00Z', paused: true });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, 57));
  });
  afterAll(async () => {
    await broker?.close();
    await ex?.close();
  });

  it('456: the Quote carries the dividends as IBKR lays them out (past 12, next 12, next date, next amount)', async () => {
    const [spy] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const sub = broker.subscribeQuote({ conId: spy?.conId ?? 0, symbol: 'SPY' }, {}, { genericTicks: '106,456' });
    const q = await quoteWhen(sub, (x) => x.dividends !== null && x.last !== null);
    sub.release();
    const d = q.dividends!;
    // SPY's simulated yield is 1.2 %, paid quarterly: four equal payments of a rounded cent amount.
    expect(d.nextAmount).toBeCloseTo(Math.round(((q.last as number) * 0.012) / 4 * 100) / 100, 6);
    expect(d.next12).toBeCloseTo((d.nextAmount as number) * 4, 6);
    expect(d.past12).toBeCloseTo(d.next12 as number, 6);
    expect(d.nextDate).toBe('20260315');
    expect((d.next12 as number) / (q.last as number)).toBeCloseTo(0.012, 3);
  });

  it('no 456 asked, or a non-payer: the Quote has no dividends', async () => {
    const [spy] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const [tsla] = await broker.qualify({ secType: 'STK', symbol: 'TSLA' });
    const plain = broker.subscribeQuote({ conId: spy?.conId ?? 0, symbol: 'SPY' }, {}, { genericTicks: '106' });
    const payerless = broker.subscribeQuote({ conId: tsla?.conId ?? 0, symbol: 'TSLA' }, {}, { genericTicks: '106,456' });
    // The exchange sends a line's ticks together, so once the IV (106) is in, the dividends would have been too.
    const a = await quoteWhen(plain, (x) => x.impliedVol !== null);
    const b = await quoteWhen(payerless, (x) => x.impliedVol !== null);
    plain.release();
    payerless.release();
    expect(a.dividends).toBeNull();
    expect(b.dividends).toBeNull();
  });

  it('101 on an option: its open interest arrives (27 for a call), and every line is given back', async () => {
    const [spy] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const [chain] = (await broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy?.conId ?? 0 })).filter((c) => c.exchange === 'SMART');
    const options = await broker.optionContracts({ symbol: 'SPY', expiry: chain?.expirations[0] ?? '', tradingClass: chain?.tradingClass ?? 'SPY' });
    const call = options.find((c) => c.right === 'C')!;
    const put = options.find((c) => c.right === 'P')!;
    const c = broker.subscribeQuote({ conId: call.conId, symbol: 'SPY', secType: 'OPT' }, {}, { genericTicks: '101' });
    const p = broker.subscribeQuote({ conId: put.conId, symbol: 'SPY', secType: 'OPT' }, {}, { genericTicks: '101' });
    const cq = await quoteWhen(c, (x) => x.callOpenInterest !== null);
    const pq = await quoteWhen(p, (x) => x.putOpenInterest !== null);
    c.release();
    p.release();
    expect(cq.callOpenInterest).toBeGreaterThanOrEqual(0);
    expect(cq.putOpenInterest).toBeNull();
    expect(pq.putOpenInterest).toBeGreaterThanOrEqual(0);
    // A line counts as held until its cancel has been written, and at the exchange until it has been read.
    await expect.poll(() => broker.diagnostics().lines.held, { timeout: 30_000 }).toBe(0);
    await expect.poll(() => ex.stats().linesInUse, { timeout: 30_000 }).toBe(0);
  });
});
