// Scanner benchmark: (a) engine throughput on a synthetic full chain; (b) end-to-end scan against the paper exchange.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ScanFilters, ScanScoring } from '../../src/core/contract/scanner';
import { ScanEngine, syntheticChain } from '../../src/core/scanner';

const ALL: ScanFilters['kinds'] = ['bear-call', 'bear-put', 'bull-call', 'bull-put'];

interface Scenario {
  name: string;
  filters: ScanFilters;
  scoring: ScanScoring;
}

const SCENARIOS: Scenario[] = [
  { name: 'every vertical, score ROR @ mid', filters: { kinds: ALL, dte: { min: 0, max: 9999 } }, scoring: { by: 'ror', basis: 'mid' } },
  { name: 'every vertical, score POP @ natural', filters: { kinds: ALL, dte: { min: 0, max: 9999 } }, scoring: { by: 'pop', basis: 'natural' } },
  { name: 'every vertical, score EV/risk + POP ≥ 0', filters: { kinds: ALL, dte: { min: 0, max: 9999 }, minPop: 0 }, scoring: { by: 'evPerRisk', basis: 'mid' } },
  { name: 'every vertical, score model edge', filters: { kinds: ALL, dte: { min: 0, max: 9999 } }, scoring: { by: 'edge', basis: 'mid' } },
  {
    name: 'credit preset (Δ .15–.30, w 1–10, DTE 0–45)',
    filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 10 }, minCredit: 0.1, maxLegSpreadOfMid: 0.5, minOi: 10, maxExitCostOfMaxLoss: 0.5 },
    scoring: { by: 'ror', basis: 'mid' },
  },
];

function fmt(n: number, d = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

function engineBench(reps: number): { headline: number } {
  const chain = syntheticChain({ expiries: 40, strikes: 400 });
  const engine = new ScanEngine();
  console.log(`(a) engine: synthetic chain ${chain.expiries.length} expiries × ${chain.expiries[0]?.strike.length} strikes × 2 rights, top 50, single thread`);
  console.log(`    host: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`    ${reps} timed runs per scenario after one warm-up; best and median wall time; CPU = user+system time of this process`);
  let headline = 0;
  for (const s of SCENARIOS) {
    const options = { filters: s.filters, scoring: s.scoring, topPerSymbol: 50, now: chain.asOf };
    engine.scanChain(chain, options);
    const walls: number[] = [];
    const cpuTimes: number[] = [];
    let last = engine.scanChain(chain, options);
    for (let i = 0; i < reps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      last = engine.scanChain(chain, options);
      walls.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1e6);
    }
    walls.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    const best = walls[0] ?? NaN;
    const median = walls[Math.floor(walls.length / 2)] ?? NaN;
    const cpuBest = cpuTimes[0] ?? NaN;
    const perSec = last.evaluated / best;
    if (s === SCENARIOS[0] || s === SCENARIOS[1] || s === SCENARIOS[2] || s === SCENARIOS[3]) headline = headline === 0 ? perSec : Math.min(headline, perSec);
    console.log(
      `    ${s.name.padEnd(44)} generated ${fmt(last.generated, 0).padStart(11)}  evaluated ${fmt(last.evaluated, 0).padStart(11)}  passed ${fmt(last.passed, 0).padStart(11)}` +
        `  best ${fmt(best * 1000, 1).padStart(7)} ms  median ${fmt(median * 1000, 1).padStart(7)} ms  → ${fmt(perSec / 1e6)} M evaluated/s (median ${fmt(last.evaluated / median / 1e6)} M/s, CPU ${fmt(last.evaluated / cpuBest / 1e6)} M/s)`,
    );
  }
  console.log(`    headline (slowest of the four exhaustive scenarios, best run): ${fmt(headline / 1e6)} M candidate spreads/s — target ≥ 20 M/s: ${headline >= 20e6 ? 'PASS' : 'FAIL'}`);
  return { headline };
}

export default async function scannerBench(argv: string[]): Promise<void> {
  const reps = Number(argv.find((a) => a.startsWith('--reps='))?.slice(7) ?? 7);
  if (!argv.includes('--e2e-only')) engineBench(reps);
  if (!argv.includes('--engine-only')) await e2eBench(argv);
}

async function e2eBench(_argv: string[]): Promise<void> {
  console.log('(b) end-to-end: not run — it needs the broker adapter (src/main/services/broker) and the paper exchange (src/main/paper).');
}
