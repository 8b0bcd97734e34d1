// Paper exchange reproducibility (acceptance 3): the same seed gives byte-identical quote streams.
import { SecType } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import { startPaperExchange } from '../../src/main/paper/index';
import { connectClient, drained, sleep } from '../support/paper';

async function run(seed: number): Promise<string[]> {
  const wall = new ManualClock(Date.parse('2026-03-10T15:00:00Z'));
  const ex = await startPaperExchange({ port: 0, seed, wallClock: wall, manualPublish: true, speed: 1 });
  const c = await connectClient(ex.port, 9, { recordFrames: true });
  try {
    const spy = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    c.ib.reqMktData(1, spy, '100,101,106', false, false);
    c.ib.reqMktData(2, { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: '20260320', strike: 570, right: 'P' as never, multiplier: '100' as never, exchange: 'SMART', currency: 'USD' }, '', false, false);
    c.ib.reqMktData(3, { symbol: 'SPX', secType: SecType.IND, exchange: 'CBOE', currency: 'USD' }, '', false, false);
    c.ib.reqMktData(4, { symbol: 'AAPL', secType: SecType.OPT, lastTradeDateOrContractMonth: '20260417', strike: 230, right: 'C' as never, multiplier: '100' as never, exchange: 'SMART', currency: 'USD' }, '106', false, false);
    for (let spin = 0; ex.stats().linesInUse < 4 && spin < 500; spin++) await sleep(5);
    expect(ex.stats().linesInUse).toBe(4);
    for (let i = 0; i < 40; i++) {
      wall.advance(1000);
      ex.publishNow();
      await sleep(2);
    }
    await drained(c);
    expect(c.errors).toEqual([]);
    return c.received.map((f) => f.join('\u0000'));
  } finally {
    c.close();
    await ex.close();
  }
}

describe('determinism', () => {
  it('two runs with the same seed produce byte-identical streams; another seed does not', async () => {
    const a = await run(42);
    const b = await run(42);
    const other = await run(43);
    expect(a.length).toBeGreaterThan(300);
    expect(b).toEqual(a);
    expect(Buffer.from(b.join('\n')).equals(Buffer.from(a.join('\n')))).toBe(true);
    expect(other).not.toEqual(a);
  }, 30_000);
});
