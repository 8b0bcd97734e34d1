// ScanRun's lifecycle: every end goes through finish(), which aborts the signal and sends exactly one final frame.
import { describe, expect, it } from 'vitest';
import type { ScanRequestParsed } from '../../../core/contract';
import type { Broker } from '../broker/types';
import { ScanRun, canMove, type RunEnd, type RunHost } from './run';

const REQ: ScanRequestParsed = {
  symbols: ['SPY'],
  filters: { kinds: ['bull-put'], dte: { min: 0, max: 7 } },
  scoring: { by: 'ror', basis: 'mid' },
  topPerSymbol: 5,
  top: 5,
  minPerSymbol: 0,
  whatIfTop: 0,
  mode: 'exhaustive',
};

function host(): RunHost & { frames: string[] } {
  const frames: string[] = [];
  return {
    frames,
    broker: { facts: () => null } as unknown as Broker,
    bus: { emit: (name) => frames.push(name) },
    now: () => 1_000,
    serverNow: () => 1_000,
    pacerRate: () => 45,
  };
}

describe('scan run lifecycle', () => {
  it.each<RunEnd>(['complete', 'stopped', 'failed'])('finish(%s) aborts the signal and every linked quote, once', (end) => {
    const h = host();
    const run = new ScanRun(REQ, h, 0);
    run.begin();
    const quote = run.child();
    expect(run.listenerCount()).toBe(1);
    h.frames.length = 0;
    expect(run.finish(end)).toBe(true);
    expect(run.state).toBe(end);
    expect(run.signal.aborted).toBe(true);
    expect(quote.signal.aborted).toBe(true);
    expect(h.frames).toEqual(['scan.results', 'scan.progress']);
    // A second end, or a late quote asking for a re-rank, sends nothing.
    expect(run.finish('failed')).toBe(false);
    run.dirty();
    expect(h.frames).toEqual(['scan.results', 'scan.progress']);
    // A quote linked after the end starts aborted.
    expect(run.child().signal.aborted).toBe(true);
  });

  it('a settled quote unlinks its listener', () => {
    const run = new ScanRun(REQ, host(), 0);
    run.begin();
    const links = Array.from({ length: 50 }, () => run.child());
    expect(run.listenerCount()).toBe(50);
    for (const l of links) l.dispose();
    expect(run.listenerCount()).toBe(0);
  });

  it('only legal transitions', () => {
    expect(canMove('planning', 'quoting')).toBe(true);
    expect(canMove('quoting', 'complete')).toBe(true);
    expect(canMove('complete', 'quoting')).toBe(false);
    expect(canMove('stopped', 'complete')).toBe(false);
    const run = new ScanRun(REQ, host(), 0);
    run.finish('stopped');
    expect(() => run.begin()).toThrow(/not a transition/);
  });
});
