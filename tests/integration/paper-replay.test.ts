// Session recording and replay (issue 15): a recorded practice session replays seeded, with its controls on time:
// two replays stream byte-identical quotes to a real @stoqey/ib client, and both see the recorded session's market.
import { SecType } from '@stoqey/ib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import { startPaperExchange, type PaperExchangeHandle, type SimCommand } from '../../src/main/paper/index';
import { readRecording } from '../../src/main/paper/replay';
import { connectClient, drained, sleep } from '../support/paper';

const WALL0 = Date.parse('2026-03-10T15:00:00Z');
const STEPS = 40;
/** The trader's controls, by step (applied after that step's publishing round). */
const SCRIPT: Record<number, SimCommand> = {
  4: { op: 'scenario', scenario: { kind: 'gap', symbol: 'SPY', pct: -2 } },
  9: { op: 'scenario', scenario: { kind: 'volShock', points: 5 } },
  14: { op: 'pause' },
  18: { op: 'resume' },
  22: { op: 'jump', by: 30 * 60_000 },
  27: { op: 'scenario', scenario: { kind: 'widen', factor: 2 } },
  31: { op: 'setSpeed', speed: 120 },
  35: { op: 'scenario', scenario: { kind: 'ivNoise', points: 1 } },
};

/** A few instruments' quotes at an instant, read from the exchange's model: what any client would be quoted. */
function sample(ex: PaperExchangeHandle): string {
  const t = ex.now();
  const spy = ex.model.underlying('SPY');
  if (!spy) throw new Error('SPY');
  const opts = ex.model.findOptions({ symbol: 'SPY', expiry: '20260320', right: 'P' }, t).filter((_, i) => i % 25 === 0);
  const q = opts.map((c) => {
    const x = ex.model.optionQuote(c, t);
    return `${c.conId}:${x.bid}/${x.ask}@${x.iv.toFixed(6)}`;
  });
  return `${t} ${ex.model.spot(spy, t)} ${q.join(' ')}`;
}

async function session(opts: { record?: string; replay?: string }, log: string[]): Promise<{ frames: string[]; samples: string[] }> {
  const wall = new ManualClock(WALL0);
  const ex = await startPaperExchange({ port: 0, seed: 7, speed: 60, wallClock: wall, manualPublish: true, startAt: '2026-03-10T15:00:00Z', log: (l) => log.push(l), ...opts });
  const c = await connectClient(ex.port, 9, { recordFrames: true });
  try {
    c.ib.reqMktData(1, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    c.ib.reqMktData(2, { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: '20260320', strike: 570, right: 'P' as never, multiplier: '100' as never, exchange: 'SMART', currency: 'USD' }, '', false, false);
    c.ib.reqMktData(3, { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: '20260417', strike: 600, right: 'C' as never, multiplier: '100' as never, exchange: 'SMART', currency: 'USD' }, '', false, false);
    for (let spin = 0; ex.stats().linesInUse < 3 && spin < 500; spin++) await sleep(5);
    expect(ex.stats().linesInUse).toBe(3);
    const samples: string[] = [];
    for (let i = 0; i < STEPS; i++) {
      wall.advance(1000);
      ex.publishNow();
      const cmd = SCRIPT[i];
      if (cmd && !opts.replay) await ex.sim.control(cmd);
      samples.push(sample(ex));
      await sleep(2);
    }
    await drained(c);
    expect(c.errors).toEqual([]);
    return { frames: c.received.map((f) => f.join('\u0000')), samples };
  } finally {
    c.close();
    await ex.close();
  }
}

describe('session recording and replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spreaddesk-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two replays of a recorded session stream identical quotes, and see the recorded market at every step', async () => {
    const file = join(dir, 'morning.jsonl');
    const recLog: string[] = [];
    const original = await session({ record: file }, recLog);
    const rec = readRecording(file);
    expect(rec.header).toMatchObject({ seed: 7, speed: 60, mode: 'open', start: Date.parse('2026-03-10T15:00:00Z') });
    expect(rec.controls.map((c) => c.cmd.op)).toEqual(['scenario', 'scenario', 'pause', 'resume', 'jump', 'scenario', 'setSpeed', 'scenario']);
    expect(rec.controls.find((c) => c.cmd.op === 'jump')?.cmd).toMatchObject({ op: 'jump', to: expect.any(Number) });
    expect(rec.marks.length).toBeGreaterThan(10);

    const logA: string[] = [];
    const logB: string[] = [];
    const a = await session({ replay: file }, logA);
    const b = await session({ replay: file }, logB);
    expect(a.frames.length).toBeGreaterThan(200);
    expect(b.frames).toEqual(a.frames);
    // The replays quote what the recorded session quoted at every step (gap, vol shock, pause, jump, widening, speed, noise).
    expect(a.samples).toEqual(original.samples);
    expect(b.samples).toEqual(original.samples);
    // The gap moved SPY in the replays too, and their prices matched the recorded marks (no mismatch logged).
    expect(new Set(a.samples.map((s) => s.split(' ')[0])).size).toBeLessThan(STEPS); // the pause held time still
    expect([...logA, ...logB].filter((l) => l.startsWith('replay:'))).toEqual([]);
  }, 60_000);

  it('a replay of a recording made by another market tells so in its log; a file that is not a recording is refused with a sentence', async () => {
    const file = join(dir, 'tampered.jsonl');
    await session({ record: file }, []);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const i = lines.findIndex((l) => l.includes('"kind":"mark"'));
    const mark = JSON.parse(lines[i] ?? '{}') as { spots: Record<string, number> };
    mark.spots['SPY'] = (mark.spots['SPY'] ?? 0) + 1;
    lines[i] = JSON.stringify(mark);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const log: string[] = [];
    await session({ replay: file }, log);
    expect(log.filter((l) => l.startsWith('replay:')).join('\n')).toMatch(/replay: SPY was .* in the recording but is .* now/);

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"kind":"control"}\n');
    await expect(startPaperExchange({ port: 0, replay: bad })).rejects.toThrow(/is not a session recording/);
  }, 60_000);
});
