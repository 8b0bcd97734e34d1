// Options analytics benchmark: BSM price+greeks, implied-vol solves, vertical POP+EV, Monte-Carlo paths (single thread).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  GREEKS_STRIDE, VO_STRIDE, bsmGreeks, bsmGreeksInto, bsmPriceFast, createRng, impliedVolFast, lognormalView,
  simulateExitPlan, strikeTailsInto, verticalOutcomeFromTailsInto, verticalOutcomeInto,
} from '../../src/core/options';

const N = 1 << 16; // distinct inputs per pass, so nothing is constant-folded or cached
const TARGETS = { greeks: 5e6, iv: 1e6, popEv: 5e6 };

interface Rate {
  best: number; // evaluations per wall-clock second, fastest pass
  median: number; // evaluations per wall-clock second, median pass
  cpu: number; // evaluations per second of this process's CPU time, median pass (ignores time descheduled)
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// Runs `pass` (which performs `perPass` evaluations) repeatedly for ~`seconds`, after a warm-up.
function measure(perPass: number, pass: () => number, seconds = 2): Rate {
  let sink = 0;
  const warmEnd = performance.now() + 400;
  while (performance.now() < warmEnd) sink += pass();
  const walls: number[] = [];
  const cpuRates: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || walls.length < 5) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    sink += pass();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    walls.push(perPass / wall);
    cpuRates.push(perPass / Math.max((c.user + c.system) / 1e6, 1e-9));
  }
  if (Number.isNaN(sink)) console.log('(checksum NaN)');
  return { best: Math.max(...walls), median: median(walls), cpu: median(cpuRates) };
}

const fmtM = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;
const fmtK = (x: number): string => `${(x / 1e3).toFixed(1)} k/s`;

function line(name: string, r: Rate, target?: number, f = fmtM): void {
  const verdict = target === undefined ? '' : `   target ${f(target)}: ${r.best >= target ? 'met' : 'NOT met'} (best), ${r.cpu >= target ? 'met' : 'NOT met'} (CPU)`;
  console.log(`  ${name.padEnd(40)} best ${f(r.best).padStart(10)}   median ${f(r.median).padStart(10)}   per CPU-s ${f(r.cpu).padStart(10)}${verdict}`);
}

export default async function run(_argv: string[]): Promise<void> {
  console.log(`host: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`${N} distinct random inputs per pass (S 50–600, K/S 0.7–1.3, T 1 day–1.5 y, σ 10–90%, r 4%, q 1%), single thread;`);
  console.log('best/median = fastest/median pass by wall clock; per CPU-s = median pass measured in this process\'s CPU time');
  console.log('(the machine is shared, so wall-clock passes include time this thread was descheduled).\n');

  const rng = createRng(20250117);
  const S = new Float64Array(N), K = new Float64Array(N), T = new Float64Array(N), V = new Float64Array(N);
  const isCall = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    S[i] = 50 + 550 * rng.nextFloat();
    K[i] = (S[i] as number) * (0.7 + 0.6 * rng.nextFloat());
    T[i] = 1 / 365 + 1.5 * rng.nextFloat();
    V[i] = 0.1 + 0.8 * rng.nextFloat();
    isCall[i] = i & 1;
  }
  const r = 0.04, q = 0.01;

  // 1. BSM price + all greeks, allocation-free.
  const out = new Float64Array(GREEKS_STRIDE);
  const greeks = measure(N, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) {
      bsmGreeksInto(out, 0, isCall[i] === 1, S[i] as number, K[i] as number, T[i] as number, r, q, V[i] as number);
      acc += (out[0] as number) + (out[3] as number);
    }
    return acc;
  });
  const priceOnly = measure(N, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += bsmPriceFast(isCall[i] === 1, S[i] as number, K[i] as number, T[i] as number, r, q, V[i] as number);
    return acc;
  });
  const greeksObj = measure(N, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += bsmGreeks(isCall[i] === 1 ? 'C' : 'P', S[i] as number, K[i] as number, T[i] as number, r, q, V[i] as number).vega;
    return acc;
  });

  // 2. Implied volatility from the BSM prices of the same inputs.
  const P = new Float64Array(N);
  for (let i = 0; i < N; i++) P[i] = bsmPriceFast(isCall[i] === 1, S[i] as number, K[i] as number, T[i] as number, r, q, V[i] as number);
  let solved = 0, worstReprice = 0;
  for (let i = 0; i < N; i++) {
    const v = impliedVolFast(isCall[i] === 1, P[i] as number, S[i] as number, K[i] as number, T[i] as number, r, q);
    if (v > 0) {
      solved++;
      const e = Math.abs(bsmPriceFast(isCall[i] === 1, S[i] as number, K[i] as number, T[i] as number, r, q, v) - (P[i] as number));
      if (e > worstReprice) worstReprice = e;
    }
  }
  const iv = measure(N, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += impliedVolFast(isCall[i] === 1, P[i] as number, S[i] as number, K[i] as number, T[i] as number, r, q);
    return acc;
  });

  // 3. Vertical POP + P(max profit) + P(max loss) + EV + breakeven, closed form.
  const kLow = new Float64Array(N), kHigh = new Float64Array(N), cash = new Float64Array(N);
  const bull = new Uint8Array(N), credit = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    kLow[i] = (S[i] as number) * (0.85 + 0.25 * rng.nextFloat());
    const w = (S[i] as number) * (0.005 + 0.04 * rng.nextFloat());
    kHigh[i] = (kLow[i] as number) + w;
    bull[i] = rng.nextU32() & 1;
    credit[i] = (i >> 1) & 1;
    cash[i] = (credit[i] ? 1 : -1) * w * (0.1 + 0.8 * rng.nextFloat());
  }
  const vo = new Float64Array(VO_STRIDE);
  const popEv = measure(N, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) {
      verticalOutcomeInto(vo, 0, bull[i] === 1, credit[i] === 1, kLow[i] as number, kHigh[i] as number, cash[i] as number, S[i] as number, T[i] as number, V[i] as number, r - q);
      acc += (vo[0] as number) + (vo[3] as number);
    }
    return acc;
  });

  // 3b. The same metrics the way a scanner ranks one chain: one underlying/expiry, 200 strikes, every
  // (low, high) pair with width ≤ 40 strikes in all four kinds; strike tails computed once per strike per pass.
  const chainStrikes = Float64Array.from({ length: 200 }, (_, i) => 400 + i * 2.5);
  const pAbove = new Float64Array(200), qAbove = new Float64Array(200);
  let chainPairs = 0;
  for (let a = 0; a < 200; a++) for (let b = a + 1; b < Math.min(200, a + 41); b++) chainPairs += 4;
  const chain = measure(chainPairs, () => {
    const view = lognormalView(500, 30 / 365, 0.22, r - q);
    strikeTailsInto(view, chainStrikes, pAbove, qAbove);
    let acc = 0;
    for (let a = 0; a < 200; a++) {
      for (let b = a + 1; b < Math.min(200, a + 41); b++) {
        const w = (b - a) * 2.5;
        for (let k = 0; k < 4; k++) {
          const isCredit = (k & 1) === 1;
          verticalOutcomeFromTailsInto(vo, 0, k < 2, isCredit, chainStrikes[a] as number, chainStrikes[b] as number, (isCredit ? 0.3 : -0.6) * w,
            pAbove[a] as number, qAbove[a] as number, pAbove[b] as number, qAbove[b] as number, view);
          acc += (vo[0] as number) + (vo[3] as number);
        }
      }
    }
    return acc;
  });

  // 4. Monte-Carlo of an exit plan: bull put 95/100 on S=102, 45 DTE, 50% target, 100% stop, 21-DTE time stop.
  const paths = 20_000;
  let steps = 0;
  const mcRng = createRng(1);
  const mc = measure(paths, () => {
    const res = simulateExitPlan({
      right: 'P', bullish: true, kLow: 95, kHigh: 100, cash: 1.5, ivLow: 0.24, ivHigh: 0.22, S: 102, T: 45 / 365, r, q,
      profitTarget: 0.5, stopLoss: 1, timeStopYears: 21 / 365, paths, stepsPerYear: 252,
    }, mcRng);
    steps = res.steps;
    return res.meanPnl;
  }, 3);
  const mcNoExit = measure(paths, () => simulateExitPlan({
    right: 'P', bullish: true, kLow: 95, kHigh: 100, cash: 1.5, ivLow: 0.24, ivHigh: 0.22, S: 102, T: 45 / 365, r, q, paths, stepsPerYear: 252,
  }, mcRng).meanPnl, 3);

  console.log('Results');
  line('BSM price+greeks (bsmGreeksInto)', greeks, TARGETS.greeks);
  line('BSM price only (bsmPriceFast)', priceOnly);
  line('BSM price+greeks (object API)', greeksObj);
  line('implied vol (impliedVolFast)', iv, TARGETS.iv);
  console.log(`    quality: ${solved}/${N} solved (the rest are at intrinsic value within rounding), worst reprice error ${worstReprice.toExponential(2)}`);
  line('vertical POP+EV (verticalOutcomeInto)', popEv, TARGETS.popEv);
  line('vertical POP+EV, chain-prepared', chain);
  console.log(`    (${chainPairs} verticals of one 200-strike chain per pass; strike tails once per strike, then one CDF per spread)`);
  line(`Monte-Carlo paths, exit plan (${steps} steps)`, mc, undefined, fmtK);
  line(`Monte-Carlo paths, hold to expiry`, mcNoExit, undefined, fmtK);
  console.log(`    = ${fmtM(mcNoExit.best * steps)} path-steps (best pass) (each step: one GBM step + two BSM leg marks)`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
