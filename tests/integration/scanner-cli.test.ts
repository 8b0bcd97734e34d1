// `npm run scan` against a seeded, frozen paper market: the JSON is reproducible, and --dump-chain holds everything
// needed to recompute every row with the engine.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequestParsed, ScanRow } from '../../src/core/contract';
import { ScanEngine, chainFromJson, mergeTop, violations, type ChainJson } from '../../src/core/scanner';
import { runScanCli } from '../../src/main/services/scanner/cli';
import { startPaperWorker, type PaperWorker } from '../../src/main/services/scanner/testing';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runScanCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('scan CLI (paper exchange, seed 42, market clock frozen)', () => {
  let ex: PaperWorker;
  const dir = mkdtempSync(join(tmpdir(), 'scan-cli-'));

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 42, speed: 0 });
  });
  afterAll(async () => {
    await ex?.close();
  });

  it('prints the same JSON twice, and the dump recomputes every row', async () => {
    const args = ['--port', String(ex.port), '--client-id', '61', '--symbols', 'SPY,AAPL', '--dte', '0-10', '--kind', 'all', '--delta', '0.15-0.35', '--width', '1-5', '--top', '40', '--json'];
    const dump = join(dir, 'chain.json');
    // Exhaustive runs are deterministic on a frozen market; a guided run's decisions see whichever quotes have landed
    // (timing), so it is held to recall against them instead.
    const a = await cli([...args, '--mode', 'exhaustive', '--dump-chain', dump]);
    const b = await cli([...args.map((x) => (x === '61' ? '62' : x)), '--mode', 'exhaustive']);
    const g = await cli([...args.map((x) => (x === '61' ? '63' : x)), '--mode', 'guided']);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(g.code, g.err).toBe(0);
    // Equal markets print equal JSON, apart from what the run cost (messages sent, seconds taken).
    const stable = (out: string) => ({ ...(JSON.parse(out) as object), run: null });
    expect(stable(b.out)).toEqual(stable(a.out));
    const want = new Set((JSON.parse(a.out) as { rows: ScanRow[] }).rows.map((r) => r.fingerprint));
    const guided = (JSON.parse(g.out) as { rows: ScanRow[] }).rows;
    expect(guided.filter((r) => want.has(r.fingerprint)).length).toBeGreaterThanOrEqual(Math.ceil(0.95 * want.size));
    const doc = JSON.parse(a.out) as { rows: ScanRow[]; state: string; asOf: string; run: { messagesSent: number; seconds: number } };
    expect(doc.run.messagesSent).toBeGreaterThanOrEqual(doc.rows.length > 0 ? 2 : 0);
    expect(doc.run.seconds).toBeGreaterThan(0);
    expect(doc.state).toBe('complete');
    expect(doc.rows).toHaveLength(40);
    expect(a.err).toContain('messages sent');

    const d = JSON.parse(readFileSync(dump, 'utf8')) as {
      format: string;
      rankedAt: number;
      request: ScanRequestParsed;
      model: { drift: number | null; staleAfterMs: number };
      chains: ChainJson[];
      rows: ScanRow[];
    };
    expect(d.format).toBe('spreaddesk.scan-dump/1');
    const engine = new ScanEngine();
    const { filters, scoring, topPerSymbol, top, minPerSymbol } = d.request;
    const lists = d.chains.map((c) => engine.scanChain(chainFromJson(c), { filters, scoring, topPerSymbol, drift: d.model.drift ?? undefined, now: d.rankedAt, staleAfterMs: d.model.staleAfterMs }).rows);
    const recomputed = mergeTop(lists, top, minPerSymbol);
    expect(recomputed).toEqual(d.rows);
    expect(recomputed.map((r) => r.fingerprint)).toEqual(doc.rows.map((r) => r.fingerprint));
    for (const r of recomputed) expect(violations(r, filters, d.rankedAt)).toEqual([]);
    // Credits and debits are labelled, never signed: positive prices, the label follows the kind.
    expect(doc.rows.every((r) => r.priceMid > 0 && r.isCredit === (r.kind === 'bull-put' || r.kind === 'bear-call'))).toBe(true);
  }, 120_000);

  it('exits 2 with the usage on a bad argument, and 1 when nothing listens', async () => {
    const bad = await cli(['--symbols', 'SPY', '--width', 'wide']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--width must be a range');
    const down = await cli(['--port', '1', '--symbols', 'SPY', '--timeout', '20']);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/\[scan\] .+/);
  }, 60_000);
});
