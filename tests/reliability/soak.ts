// `npm run soak`: an accelerated trading day against the Local paper exchange, sampling what leaks show up in.
//
// The app's services run as the app runs them (createServices; the paper exchange on its worker thread), the simulated
// clock fast-forwarded (SOAK_SPEED, default 39: a 6.5-hour session in 10 minutes). Throughout: a scan of SPY and QQQ
// with auto-refresh every 5 s, a spread opened every SOAK_OPEN_SEC (ten cents through natural, with an attached profit
// target and stop that the moving market fires), the oldest spread closed when more than 6 are open. Every
// SOAK_SAMPLE_SEC it samples: heap after GC and RSS, active handles (timers, sockets), listeners (the broker's status,
// notice and event listeners, the IB client's emitter listeners, process listeners), market-data lines held, the pacer
// queue and the journal's WAL file. It prints each series and checks each is flat within the bound in BOUNDS (warm-up —
// the first fifth of the samples — left out; "growth" compares the later half with the earlier half). Exit code 1 when a
// series is not flat, or when TWS sent any pacing error (100 or 101) during the run. Lines: all held (streams and rotating snapshots) and the streaming ones. SOAK_MINUTES (wall, default 10) shortens or lengthens the run.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PositionsSnapshot, SpreadKind, TicketPreview } from '../../src/core/contract';
import { createServices } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SPEED = Number(process.env.SOAK_SPEED ?? 39);
const SAMPLE_SEC = Number(process.env.SOAK_SAMPLE_SEC ?? 10);
const OPEN_SEC = Number(process.env.SOAK_OPEN_SEC ?? 20);
const MAX_OPEN = 6;

type Series = 'heapMB' | 'rssMB' | 'handles' | 'listeners' | 'lines' | 'streamLines' | 'pacerDepth' | 'walMB';
type Stat = 'mean' | 'median' | 'max';

/**
 * The bound each series must stay within after warm-up (stated in the README, "Soak"): the later half's statistic may
 * exceed the earlier half's by at most `growth`, and no sample may exceed `max`. Transient series (lines held while
 * snapshots rotate, active handles, the pacer queue) compare medians; what only a leak moves compares maxima.
 */
const BOUNDS: Record<Series, { stat: Stat; growth: number; max?: number }> = {
  heapMB: { stat: 'mean', growth: 15 },
  rssMB: { stat: 'mean', growth: 60 },
  handles: { stat: 'median', growth: 5 },
  listeners: { stat: 'max', growth: 2 },
  lines: { stat: 'median', growth: 10, max: 100 },
  streamLines: { stat: 'max', growth: 10, max: 100 },
  pacerDepth: { stat: 'median', growth: 20, max: 500 },
  walMB: { stat: 'max', growth: 4, max: 16 },
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const statOf = (stat: Stat, xs: number[]) => (stat === 'mean' ? mean(xs) : stat === 'median' ? median(xs) : Math.max(...xs));

async function main(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) console.log('[soak] run with --expose-gc for heap figures after GC (npm run soak does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-soak-'));
  const services = await createServices({ mode: 'headless', dataDir, version: '0.0.0-soak', logger: silentLogger(), strictContract: false });
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await services.dispatcher.dispatch(method as never, args as never, { transport: 'direct' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const samples: Record<Series, number[]> & { at: number[]; simAt: number[] } = { heapMB: [], rssMB: [], handles: [], listeners: [], lines: [], streamLines: [], pacerDepth: [], walMB: [], at: [], simAt: [] };
  const counts = { opened: 0, openFailed: 0, closedByUs: 0, scans: 0, exitsFilled: 0 };
  const exitOrders = new Set<number>();
  /** Open spreads at each sample (printed beside the lines: each open spread streams its legs for marks). */
  const openSpreads: number[] = [];
  let stop = false;
  /** TWS pacing errors over the whole run (100: too many messages; 101: too many market-data lines): none allowed. */
  let pacing: { e100: number; e101: number } | undefined;
  try {
    await call('connection.connect', {});
    await services.trading.settled();
    const t0 = Date.now();
    while (services.trading.status().state !== 'ACTIVE') {
      if (Date.now() - t0 > 120_000) throw new Error(`trading never opened: ${services.trading.status().reason}`);
      await sleep(100);
    }
    await call('risk.update', {
      limits: { maxLegSpreadPctOfMid: null, minOpenInterest: null, minLegBidUsd: null, minVolume: null, duplicateWindowSec: null, maxLossPerTradePctOfNetLiq: null, maxTicksBeyondNatural: null, maxOpenSpreads: null, dailyLossLimitUsd: null, maxConsecutiveRejects: null, maxQuoteAgeSec: null, requireRegularSession: false, zeroDteCutoff: null },
    });
    const sim0 = await call<{ now: number }>('sim.setSpeed', { speed: SPEED });
    services.bus.subscribe((name, payload) => {
      if (name === 'order.updated') {
        const row = payload as { orderId: number; intent?: string; status: string };
        if ((row.intent === 'exit-target' || row.intent === 'exit-stop') && row.status === 'Filled' && !exitOrders.has(row.orderId)) {
          exitOrders.add(row.orderId);
          counts.exitsFilled++;
        }
      }
    });
    await call('scan.start', {
      symbols: ['SPY', 'QQQ'], filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 1, max: 14 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 5 } },
      scoring: { by: 'ror', basis: 'mid' }, top: 30, topPerSymbol: 15, autoRefreshSec: 5,
    });
    counts.scans++;

    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    const ibOf = () => (b as unknown as { session: { link: { ib: { eventNames(): (string | symbol)[]; listenerCount(n: string | symbol): number } } | null } }).session.link?.ib ?? null;
    const signalsOf = () => (b as unknown as { session: { statusListeners: Set<unknown>; noticeListeners: Set<unknown>; eventListeners: Set<unknown> } }).session;
    const listeners = () => {
      const s = signalsOf();
      const ib = ibOf();
      const ibCount = ib ? ib.eventNames().reduce((a, n) => a + ib.listenerCount(n), 0) : 0;
      const proc = (['exit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'] as const).reduce((a, n) => a + process.listenerCount(n), 0);
      return s.statusListeners.size + s.noticeListeners.size + s.eventListeners.size + ibCount + proc;
    };
    const wal = join(dataDir, 'journal.sqlite-wal');

    const sampler = (async () => {
      while (!stop) {
        gc?.();
        const m = process.memoryUsage();
        const d = b.diagnostics();
        samples.heapMB.push(Math.round((m.heapUsed / 1_048_576) * 10) / 10);
        samples.rssMB.push(Math.round((m.rss / 1_048_576) * 10) / 10);
        samples.handles.push(process.getActiveResourcesInfo().length);
        samples.listeners.push(listeners());
        samples.lines.push(d.lines.held);
        samples.streamLines.push(d.lines.streaming);
        samples.pacerDepth.push(d.pacer.depth);
        samples.walMB.push(existsSync(wal) ? Math.round((statSync(wal).size / 1_048_576) * 100) / 100 : 0);
        samples.at.push(Date.now());
        samples.simAt.push((await call<{ now: number | null }>('sim.status', {})).now ?? 0);
        openSpreads.push((await call<PositionsSnapshot>('positions.list', {})).spreads.length);
        await sleep(SAMPLE_SEC * 1000);
      }
    })();

    const kinds: SpreadKind[] = ['bull-put', 'bear-call', 'bull-call', 'bear-put'];
    const end = Date.now() + MINUTES * 60_000;
    let n = 0;
    while (Date.now() < end) {
      try {
        const spot = (await b.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' })).last ?? 500;
        const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
        const expiry = chain!.expirations[3]!;
        const calls = await b.optionContracts({ symbol: 'SPY', expiry, right: 'C' });
        const strikes = calls.map((c) => c.strike ?? 0).filter((k) => Math.abs(k - spot) < spot * 0.03).sort((x, y) => x - y);
        const kind = kinds[n % 4] as SpreadKind;
        const i = Math.floor(strikes.length / 2) + ((n * 3) % 5) - 2;
        const lo = strikes[i - 1] as number;
        const hi = strikes[i + 1] as number;
        const legs = kind === 'bull-call' || kind === 'bull-put' ? { longStrike: lo, shortStrike: hi } : { longStrike: hi, shortStrike: lo };
        const credit = kind === 'bull-put' || kind === 'bear-call';
        const t = { symbol: 'SPY', expiry, kind, ...legs, quantity: 1, limit: { amount: 0, kind: credit ? 'credit' : 'debit' } };
        const p = await call<TicketPreview>('ticket.preview', { ticket: t });
        const nat = p.netNatural;
        if (nat) {
          const limit = nat.kind === 'debit' ? { amount: Math.round((nat.amount + 0.1) * 100) / 100, kind: nat.kind } : { amount: Math.max(0.01, Math.round((nat.amount - 0.1) * 100) / 100), kind: nat.kind };
          await call('order.submit', { ticketId: `soak-open-${String(n).padStart(4, "0")}`, ticket: { ...t, limit, exits: { profitTargetPct: 25, stop: { basis: 'maxLossPct', value: 25 } } } });
          counts.opened++;
        }
        const book = await call<PositionsSnapshot>('positions.list', {});
        const open = book.spreads;
        if (open.length > MAX_OPEN) {
          const oldest = [...open].sort((x, y) => x.spreadId - y.spreadId)[0]!;
          await call('positions.close', { spreadId: oldest.spreadId, ticketId: `soak-close-${String(n).padStart(4, "0")}` }).then(() => counts.closedByUs++, () => undefined);
        }
      } catch (e) {
        counts.openFailed++;
        if (counts.openFailed <= 5) console.log(`[soak] open/close step failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      n++;
      await sleep(Math.min(OPEN_SEC * 1000, Math.max(0, end - Date.now())));
    }
    stop = true;
    await sampler;
    const simHours = ((samples.simAt.at(-1) ?? sim0.now) - sim0.now) / 3_600_000;
    console.log(`[soak] ${MINUTES} min wall at ${SPEED}×: ${simHours.toFixed(2)} simulated hours; ${samples.at.length} samples every ${SAMPLE_SEC} s; ${JSON.stringify(counts)}`);
    const codes = b.diagnostics().errorsByCode;
    pacing = { e100: codes['100'] ?? 0, e101: codes['101'] ?? 0 };
  } finally {
    stop = true;
    await call('scan.stop', {}).catch(() => undefined);
    await services.close();
  }

  let failed = 0;
  const paced = pacing !== undefined && pacing.e100 === 0 && pacing.e101 === 0;
  if (!paced) failed++;
  console.log(`[soak] pacing   ${paced ? 'clean' : 'ERRORS'}  error 100: ${pacing?.e100 ?? '?'}, error 101: ${pacing?.e101 ?? '?'} (the auto-refreshing scan, the spreads' marks and orders together)`);
  const skip = Math.floor(samples.at.length / 5);
  for (const k of Object.keys(BOUNDS) as Series[]) {
    const all = samples[k];
    const xs = all.slice(skip);
    const half = Math.floor(xs.length / 2);
    const early = xs.slice(0, half);
    const late = xs.slice(half);
    const bound = BOUNDS[k];
    const growth = statOf(bound.stat, late) - statOf(bound.stat, early);
    const overMax = bound.max !== undefined && all.some((x) => x > (bound.max as number));
    const ok = xs.length >= 4 && growth <= bound.growth && !overMax;
    if (!ok) failed++;
    console.log(`[soak] ${k.padEnd(10)} ${ok ? 'flat' : 'NOT FLAT'}  ${bound.stat} growth ${growth.toFixed(2)} (bound ${bound.growth}${bound.max !== undefined ? `, max ${bound.max}` : ''}); min ${Math.min(...all)} max ${Math.max(...all)}`);
    console.log(`[soak]   ${all.join(' ')}`);
  }
  console.log(`[soak] open spreads (not bounded; the streaming lines follow them): ${openSpreads.join(' ')}`);
  if (samples.at.length < 5 / 0.8) console.log('[soak] too few samples to judge flatness: run longer (SOAK_MINUTES) or sample more often (SOAK_SAMPLE_SEC)');
  return failed === 0 && samples.at.length >= 7 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
