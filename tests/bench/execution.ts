// Benchmark of order execution: (a) click → placeOrder latency through the real execution service; (b) execution
// quality of our walk vs the seed rule vs "natural at once" over seeded orders under the paper exchange's matching.
//
// (a) runs the real path: execution service (zod, tick/sign, the app's risk service as the gate — its context of leg
//     quotes, open spreads and account —, leg lookup and streamed quotes, journal intent in SQLite with
//     synchronous=FULL, reserved order id) against the paper exchange over a real socket; the clock stops when the
//     broker adapter's placeOrder is entered with the built BAG (encode follows in the same call) and again when it
//     returns. Each submit's time is also split by stage (time inside the journal, the gate, the quotes, the id).
// (b) runs in SIMULATED time, in process: each seeded order gets a combo quote whose mid random-walks, and every
//     simulated second the working limit is matched with the paper exchange's own rule (core/sim/matching
//     `evaluate`, default fill model: marketable → natural, resting fills with probability growing with the
//     limit's place between the near side and natural). Same seeds and draws for every policy.
import { performance } from 'node:perf_hooks';
import { nextLadderStep, type ComboQuote, type LadderPolicy } from '../../src/core/orders/ladder';
import { DEFAULT_FILL_MODEL, evaluate } from '../../src/core/sim/matching';
import { roundToTick, TICKS_COMBO, type Micros } from '../../src/core/spreads';
import { PaperExchange } from '../../src/main/paper/exchange';
import { localTarget, newBroker, tempDir } from '../support/broker';
import { createLegQuoteCache } from '../../src/main/services/execution/quotes';
import { createExecutionService, type ExecutionBroker } from '../../src/main/services/execution/service';
import { openJournal } from '../../src/main/services/journal';
import { createEventBus } from '../../src/main/services/events';
import { silentLogger } from '../../src/main/services/logging';
import { createRiskService } from '../../src/main/services/risk/service';
import { riskQuotesFrom } from '../../src/main/services/execution/quotes';
import { executionForRisk } from '../../src/main/services/risk/execution-adapter';

/** Wraps every method of `o` so the time spent inside it (until its promise settles) is added to `stage`. */
function timedObject<T extends object>(o: T, name: string, spent: Map<string, number>): T {
  return new Proxy(o, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const t = performance.now();
        const add = () => spent.set(name, (spent.get(name) ?? 0) + performance.now() - t);
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (r instanceof Promise) return r.finally(add);
        add();
        return r;
      };
    },
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const median = (xs: number[]) => pct(xs, 50);

async function latency(n: number): Promise<void> {
  const ex = new PaperExchange({ seed: 5, publishIntervalMs: 250, fills: { restingFillRatePerMin: 0 } });
  const { port } = await ex.listen();
  const dataDir = tempDir('sd-bench-exec-');
  const broker = newBroker({ dataDir, orderAckTimeoutMs: 10_000 });
  const opened = openJournal({ dataDir });
  if (!opened.ok) throw new Error(opened.error.message);
  const journal = opened.value.journal;
  try {
    await broker.connect(localTarget(port, 7));
    journal.startSession({ appVersion: 'bench', profile: 'local-paper', account: ex.accountId, clientId: 7, simulated: true });
    const [und] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const [chain] = await broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: und?.conId ?? 0 });
    const expiry = chain?.expirations[3] ?? '';
    const spot = (await broker.snapshotQuote({ conId: und?.conId ?? 0 }, { priority: 'quote' })).last ?? 500;
    const strikes = (await broker.optionContracts({ symbol: 'SPY', expiry, right: 'C' })).map((c) => c.strike ?? 0).filter((k) => Math.abs(k - spot) < spot * 0.05).sort((a, b) => a - b);
    const lo = strikes[Math.floor(strikes.length / 2)] as number;
    const hi = strikes[Math.floor(strikes.length / 2) + 2] as number;
    let t0 = 0;
    const entered: number[] = [];
    const returned: number[] = [];
    const acked: number[] = [];
    const stages = new Map<string, number[]>();
    const spent = new Map<string, number>();
    const timed: ExecutionBroker = timedObject(Object.create(broker) as ExecutionBroker, 'order id + broker', spent);
    (timed as { placeOrder: ExecutionBroker['placeOrder'] }).placeOrder = (req) => {
      const t1 = performance.now();
      const p = broker.placeOrder(req);
      const t2 = performance.now();
      entered.push(t1 - t0);
      returned.push(t2 - t0);
      for (const [k, v] of spent) (stages.get(k) ?? stages.set(k, []).get(k)!).push(v);
      return p;
    };
    const quotes = createLegQuoteCache(broker);
    // The app's risk service, composed as app.ts does (its leg quotes are the execution service's streams).
    const risk = createRiskService({
      dataDir, bus: createEventBus(), logger: silentLogger(), now: Date.now, broker, journal: { journal }, quotes: riskQuotesFrom(quotes),
      gate: { status: () => ({ state: 'ACTIVE', code: 'OK', reason: 'bench', since: 0 }), setOverlay: () => undefined },
    } as unknown as Parameters<typeof createRiskService>[0]);
    // The same spread 200 times at a one-cent debit is what this measures, not a trader's duplicate or a day's count.
    risk.updateLimits({ duplicateWindowSec: null, maxOpenSpreads: null, maxTicksBeyondNatural: null });
    const exec = createExecutionService({ broker: timed, quotes: timedObject(quotes, 'quotes', spent), journal: () => timedObject(journal, 'journal', spent), gate: timedObject(risk, 'risk gate', spent), clientId: () => 7 });
    // As in the app: the risk check lists the journal's open spreads through the execution service.
    risk.attachExecution(executionForRisk(exec, { journal: () => journal, quotes, now: Date.now }));
    // The click follows a preview: its leg streams are open (the preview reads the same cache).
    const legs = (await quotes.contracts('SPY', expiry, 'C')).filter((c) => c.strike === lo || c.strike === hi);
    for (const c of legs) await quotes.quote(c.conId);
    await new Promise((r) => setTimeout(r, 1500));
    let refused = '';
    for (let i = 0; i < n; i++) {
      spent.clear();
      t0 = performance.now();
      await exec.submit(`bench-${i}-ticket`, { symbol: 'SPY', expiry, kind: 'bull-call', longStrike: lo, shortStrike: hi, quantity: 1, limit: { amount: 0.01, kind: 'debit' }, pricing: { mode: 'fixed' } }).catch((e: unknown) => {
        refused ||= e instanceof Error ? e.message : String(e);
      });
      acked.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30)); // keep the outbound pacer idle so its queue is not measured
    }
    if (refused) throw new Error(`a bench submit was refused: ${refused}`);
    await exec.cancelAll();
    exec.dispose();
    risk.close();
    quotes.dispose();
    const f = (xs: number[]) => `p50 ${median(xs).toFixed(2)} ms · p99 ${pct(xs, 99).toFixed(2)} ms · max ${Math.max(...xs).toFixed(2)} ms`;
    console.log(`(a) click → placeOrder, ${n} submits (risk service + FULL journal + id + leg lookup/streamed quotes):`);
    console.log(`    placeOrder entered:   ${f(entered)}`);
    console.log(`    placeOrder returned:  ${f(returned)}   (BAG built and encoded/queued)`);
    console.log(`    acknowledged by TWS:  ${f(acked)}   (for reference: includes the exchange round trip)`);
    console.log('    time inside each stage before placeOrder (per submit):');
    for (const [k, xs] of stages) console.log(`      ${k.padEnd(18)} ${f(xs)}`);
  } finally {
    await broker.close();
    await ex.close();
    journal.close();
  }
}

// ——— (b) execution quality in simulated time ———

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
}

type Policy = { name: string; limitAt: (q: ComboQuote, tSec: number, cur: Micros | null) => Micros | null };

const walk = (p: LadderPolicy): Policy => ({
  name: `our walk (step ${p.stepTicks}t/${p.intervalMs / 1000}s, cap ${p.capPct}%)`,
  limitAt: (q, t, cur) => {
    const d = nextLadderStep({ action: 'BUY', quote: q, stale: false, table: TICKS_COMBO, policy: p, elapsedMs: t * 1000, current: cur });
    return d.type === 'limit' ? d.price : cur;
  },
});
const seedRule: Policy = {
  name: 'seed rule (mid; after 30 s cross 25% of the spread)',
  limitAt: (q, t) => {
    const mid = (q.bid + q.ask) / 2;
    const target = t < 30 ? mid : mid + 0.25 * (q.ask - q.bid);
    return roundToTick(Math.round(target) as Micros, TICKS_COMBO, 'down');
  },
};
const naturalNow: Policy = { name: 'natural at once', limitAt: (q) => q.ask };

interface Outcome {
  filled: boolean;
  seconds: number;
  concession: number;
}

function simulate(policy: Policy, seed: number): Outcome {
  const r = rng(seed * 7919 + 17);
  // A combo around $0.50–$3.00 debit with a 4–30 cent bid-ask; the mid random-walks (σ ≈ 0.6 c per √s).
  let mid = Math.round((0.5 + 2.5 * r()) * 100) / 100;
  const half = Math.round((2 + 13 * r())) / 100;
  const quoteAt = (): ComboQuote => ({ bid: Math.round((mid - half) * 1e6) as Micros, ask: Math.round((mid + half) * 1e6) as Micros });
  const q0 = quoteAt();
  let cur: Micros | null = null;
  for (let t = 0; t <= 120; t++) {
    const q = quoteAt();
    cur = policy.limitAt(q, t, cur);
    if (cur === null) continue;
    const u1 = r();
    const u2 = r();
    const res = evaluate({ action: 'BUY', orderType: 'LMT', lmtPrice: cur / 1e6, auxPrice: null, remaining: 1, triggered: true }, { bid: q.bid / 1e6, ask: q.ask / 1e6, bidSize: 10, askSize: 10 }, DEFAULT_FILL_MODEL, t === 0 ? 0 : 1000, { u1, u2 }, true);
    if (res.fill) {
      const m0 = (q0.bid + q0.ask) / 2;
      return { filled: true, seconds: t, concession: (res.fill.price * 1e6 - m0) / ((q0.ask - q0.bid) / 2) };
    }
    mid = Math.round((mid + (r() - 0.5) * 0.02) * 100) / 100;
  }
  return { filled: false, seconds: 120, concession: NaN };
}

function quality(n: number): void {
  // The contract's default walk (PricingPolicyArg): 1 tick every 20 s, at most 4 steps, cap 40 % of mid→natural.
  const ours = walk({ stepTicks: 1, intervalMs: 20_000, capPct: 40, maxSteps: 4, endAction: 'leave' });
  const policies = [ours, seedRule, naturalNow];
  console.log(`\n(b) execution quality, ${n} seeded BUY combo orders each, SIMULATED time (1 s steps, 2 min), paper-exchange matching rule (core/sim/matching evaluate, default fill model):`);
  console.log(`    ${'policy'.padEnd(56)} ${'fill rate'.padStart(10)} ${'median concession'.padStart(19)} ${'median time'.padStart(12)}`);
  const rows: { name: string; rate: number; conc: number }[] = [];
  for (const p of policies) {
    const outs = Array.from({ length: n }, (_, i) => simulate(p, i + 1));
    const filled = outs.filter((o) => o.filled);
    const rate = filled.length / n;
    const conc = median(filled.map((o) => o.concession));
    rows.push({ name: p.name, rate, conc });
    console.log(`    ${p.name.padEnd(56)} ${(rate * 100).toFixed(1).padStart(9)}% ${`${(conc * 100).toFixed(1)}% of half-spread`.padStart(19)} ${`${median(filled.map((o) => o.seconds)).toFixed(0)} s`.padStart(12)}`);
  }
  const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const better = b.conc > 0 ? (1 - a.conc / b.conc) * 100 : NaN;
  console.log(`    our walk vs seed rule: median concession ${better.toFixed(1)}% lower (target ≥ 30%), fill rate ${(a.rate * 100).toFixed(1)}% vs ${(b.rate * 100).toFixed(1)}% (target: equal or better)`);
}

export default async function run(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  // --latency: (a) alone, to profile the click path without the minutes (b) takes.
  await latency(quick ? 50 : 200);
  if (!argv.includes('--latency')) quality(quick ? 500 : 2000);
}
