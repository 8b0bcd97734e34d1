// The scan engine: every vertical of one chain through the filters into a bounded top-K, with no per-candidate allocation.
//
// How it stays fast (≥ 20 M candidates/s on one core):
// - per strike and right, once per expiry: quote validity and all per-leg filters (bid-ask, OI, volume, age) collapse
//   into one byte, the short-leg delta band into another, the basis prices and each leg's expected payoff and
//   theoretical value into typed arrays — so a candidate's EV and edge are two subtractions;
// - the width window of each short strike is walked with two monotone pointers (candidates outside it are never
//   generated), and a short strike failing its own filters skips its whole window;
// - per candidate, cheap filters run first (price sanity, credit/debit, ratio, ROR, exit cost, EV); the only
//   POP work — two chained table lookups (ln(1 + price/K), then Φ) with every other term a per-strike constant
//   (metrics.ts popTerms) — runs last and only when a POP bound or POP scoring needs it;
// - scoring with the smile model (POP or EV/risk): the expiry's smile and its per-strike expected payoffs are built
//   once per expiry (smile-slice.ts), so a smile EV is again two subtractions and a smile POP one smileAbove call;
// - the heap's worst score is one comparison away, so most passing candidates never touch it.
import type { ScanFilters, ScanRow, ScanScoring, SpreadKind } from '../contract/scanner';
import { SPREAD_KINDS } from '../contract/scanner';
import { MAX_STRIKES, type ChainSnapshot, type ExpirySlice } from './chain';
import { decodeTieKey, kindIndex, tieKey } from './fingerprint';
import { deltaPasses, flattenFilters, legPasses, widthWindow, type FlatFilters } from './filters';
import { TopKHeap } from './heap';
import { L1P_OFFSET, log1pAtPos, phiAtPos } from './math';
import { KIND_SPECS, MIN_NET, buildRow, driftOf, legExpectedPayoff, legTheo, midOf, popTerms, type ModelContext } from './metrics';
import { smileAbove, type SmileDist } from './smile';
import { sliceSmileCached, type SliceSmile } from './smile-slice';

export interface ScanOptions {
  filters: ScanFilters;
  scoring: ScanScoring;
  /** Rows kept for this chain. */
  topPerSymbol: number;
  /** Annualised drift for POP/EV; undefined = risk-neutral (r − q). */
  drift?: number | undefined;
  /** Epoch ms: the reference time for quote ages. */
  now: number;
  /** Rows whose older leg is older than this are badged stale (default 60 s). */
  staleAfterMs?: number;
}

export interface ScanStats {
  /** Candidates in the DTE and width ranges for the chosen kinds (the space searched). */
  generated: number;
  /** Candidates examined one by one (their short leg passed its own filters). */
  evaluated: number;
  /** Candidates that passed every filter and had a score. */
  passed: number;
}

export interface ChainScanResult extends ScanStats {
  symbol: string;
  rows: ScanRow[];
}

// Bound once: under a CommonJS transpile (tsx, vitest) every `imported.fn()` call goes through a namespace getter,
// which costs the POP path a third of its time and blocks inlining.
const phiAt = phiAtPos;
const log1pAt = log1pAtPos;
const smileAt = smileAbove;
const L1P_OFF = L1P_OFFSET;
const STRIKES = MAX_STRIKES;

const SCORE_CODE: Record<ScanScoring['by'], number> = { ror: 0, pop: 1, evPerRisk: 2, edge: 3 };

/** Reusable scratch buffers, grown to the widest expiry seen; one engine per thread of work. */
export class ScanEngine {
  private size = 0;
  private sell = new Float64Array(0);
  private buy = new Float64Array(0);
  private half = new Float64Array(0);
  private pay = new Float64Array(0);
  private theo = new Float64Array(0);
  private da = new Float64Array(0);
  private u256 = new Float64Array(0);
  private i64 = new Float64Array(0);
  private off = new Float64Array(0);
  private ok = new Uint8Array(0);
  private sok = new Uint8Array(0);
  private heap: TopKHeap | null = null;

  private ensure(n: number): void {
    if (n <= this.size) return;
    this.size = Math.max(n, this.size * 2);
    this.sell = new Float64Array(this.size);
    this.buy = new Float64Array(this.size);
    this.half = new Float64Array(this.size);
    this.pay = new Float64Array(this.size);
    this.theo = new Float64Array(this.size);
    this.da = new Float64Array(this.size);
    this.u256 = new Float64Array(this.size);
    this.i64 = new Float64Array(this.size);
    this.off = new Float64Array(this.size);
    this.ok = new Uint8Array(this.size);
    this.sok = new Uint8Array(this.size);
  }

  /** Ranks one chain; rows are the top `topPerSymbol`, best first, ordered by score then fingerprint. */
  scanChain(chain: ChainSnapshot, options: ScanOptions): ChainScanResult {
    const f = flattenFilters(options.filters);
    const k = Math.max(1, Math.floor(options.topPerSymbol));
    if (!this.heap || this.heap.capacity !== k) this.heap = new TopKHeap(k);
    const heap = this.heap;
    heap.reset();
    const ctx: ModelContext = { drift: options.drift ?? NaN, now: options.now };
    const stats: ScanStats = { generated: 0, evaluated: 0, passed: 0 };
    const { lo: wLo, hi: wHi } = widthWindow(f, chain.spot);
    const by = SCORE_CODE[options.scoring.by];
    const needPop = by === 1 || !Number.isNaN(f.minPop);
    const needEv = by === 2 || !Number.isNaN(f.minEv);
    const needEdge = by === 3;
    const basisMid = options.scoring.basis === 'mid';
    const mu = driftOf(chain, ctx);
    const lnS = Math.log(chain.spot);
    // Smile models per expiry index, built on first use: by the kernel when it ranks with them, else by the rows.
    const smiles = new Map<number, SliceSmile | null>();
    const smileFor = (e: number): SliceSmile | null => {
      let sm = smiles.get(e);
      if (sm === undefined) smiles.set(e, (sm = sliceSmileCached(chain, chain.expiries[e] as ExpirySlice)));
      return sm;
    };
    const rankSmile = options.scoring.probabilityModel === 'smile' && (by === 1 || by === 2);

    for (let e = 0; e < chain.expiries.length; e++) {
      const slice = chain.expiries[e] as ExpirySlice;
      if (!(slice.tYears > 0) || slice.dte < f.dteMin || slice.dte > f.dteMax) continue;
      const n = slice.strike.length;
      this.ensure(n);
      for (const right of ['C', 'P'] as const) {
        const specs = right === 'C' ? [KIND_SPECS['bear-call'], KIND_SPECS['bull-call']] : [KIND_SPECS['bull-put'], KIND_SPECS['bear-put']];
        if (!specs.some((s) => f.kinds[kindIndex(s.kind)])) continue;
        this.prepare(chain, slice, right, f, basisMid, needPop, needEv, needEdge, mu, lnS + mu * slice.tYears, ctx.now);
        const sm = rankSmile ? smileFor(e) : null;
        for (const spec of specs) {
          if (!f.kinds[kindIndex(spec.kind)]) continue;
          const kernel: Kernel = {
            strike: slice.strike,
            DA: this.da, U256: this.u256, I64: this.i64, OFF: this.off,
            sell: this.sell, buy: this.buy, half: this.half, pay: this.pay, theo: this.theo, ok: this.ok, sok: this.sok,
            n, wLo, wHi,
            longAbove: spec.longAbove, sign: spec.credit ? 1 : -1, credit: spec.credit, bullish: spec.bullish,
            minPrice: spec.credit ? f.minCredit : NaN,
            maxPrice: spec.credit ? NaN : f.maxDebit,
            minRatio: spec.credit ? f.minCreditToWidth : NaN,
            maxRatio: spec.credit ? NaN : f.maxDebitToWidth,
            minRor: f.minRor, minPop: f.minPop, minEv: f.minEv, exitX: f.maxExitCostOfMaxLoss,
            needPop, needEv, by, mult: chain.multiplier,
            smile: sm && by === 1 ? sm.dist : null,
            smilePay: sm && by === 2 ? (right === 'C' ? sm.callPay : sm.putPay) : null,
            call: right === 'C',
            anchorIsShort: right === 'C' ? spec.longAbove : !spec.longAbove,
            keyBase: tieKey(kindIndex(spec.kind), e, 0, 0),
            heap, stats,
          };
          runKernel(kernel);
        }
      }
    }

    const staleAfterMs = options.staleAfterMs ?? 60_000;
    const rows = heap.sorted().map(({ key }) => {
      const d = decodeTieKey(key);
      const slice = chain.expiries[d.expiryIdx] as ExpirySlice;
      const spec = KIND_SPECS[SPREAD_KINDS[d.kindIdx] as SpreadKind];
      return buildRow(chain, slice, spec, d.shortIdx, d.longIdx, options.scoring, ctx, staleAfterMs, smileFor(d.expiryIdx));
    });
    return { symbol: chain.symbol, rows, ...stats };
  }

  /** Per-strike work for one expiry and right, shared by both kinds of that right. */
  private prepare(chain: ChainSnapshot, slice: ExpirySlice, right: 'C' | 'P', f: FlatFilters, basisMid: boolean, needPop: boolean, needEv: boolean, needEdge: boolean, mu: number, lnSmuT: number, now: number): void {
    const c = right === 'C' ? slice.call : slice.put;
    const { sell, buy, half, pay, theo, da, u256, i64, off, ok, sok } = this;
    const t = slice.tYears;
    const sqrtT = Math.sqrt(t);
    for (let i = 0; i < slice.strike.length; i++) {
      const bid = c.bid[i] as number;
      const ask = c.ask[i] as number;
      const good = legPasses(f, bid, ask, c.openInterest[i] as number, c.volume[i] as number, c.quoteTime[i] as number, now);
      ok[i] = good ? 1 : 0;
      sok[i] = good && deltaPasses(f, c.delta[i] as number) ? 1 : 0;
      if (!good) continue;
      const mid = midOf(bid, ask);
      sell[i] = basisMid ? mid : bid;
      buy[i] = basisMid ? mid : ask;
      half[i] = (ask - bid) * 0.5;
      const k = slice.strike[i] as number;
      const iv = c.iv[i] as number;
      pay[i] = needEv ? legExpectedPayoff(right, chain.spot, k, iv, mu, t) : NaN;
      theo[i] = needEdge ? legTheo(right, c.theo[i] as number, chain.spot, k, iv, chain.rate, chain.divYield, t) : NaN;
      if (needPop) {
        const p = popTerms(right, lnSmuT, k, iv, sqrtT);
        da[i] = p.da;
        u256[i] = p.u256;
        i64[i] = p.i64;
        off[i] = p.off;
      }
    }
  }
}

interface Kernel {
  strike: Float64Array;
  DA: Float64Array;
  U256: Float64Array;
  I64: Float64Array;
  OFF: Float64Array;
  sell: Float64Array;
  buy: Float64Array;
  half: Float64Array;
  pay: Float64Array;
  theo: Float64Array;
  ok: Uint8Array;
  sok: Uint8Array;
  n: number;
  wLo: number;
  wHi: number;
  longAbove: boolean;
  sign: number;
  credit: boolean;
  bullish: boolean;
  minPrice: number;
  maxPrice: number;
  minRatio: number;
  maxRatio: number;
  minRor: number;
  minPop: number;
  minEv: number;
  exitX: number;
  needPop: boolean;
  needEv: boolean;
  by: number;
  mult: number;
  /** Smile scoring: the expiry's distribution (POP) or the right's per-strike smile payoffs (EV/risk); null = lognormal. */
  smile: SmileDist | null;
  smilePay: Float64Array | null;
  call: boolean;
  anchorIsShort: boolean;
  keyBase: number;
  heap: TopKHeap;
  stats: ScanStats;
}

/**
 * The hot loop for one kind of one expiry. Bounds that are off are NaN, and `x < NaN` is false, so an off bound
 * never rejects; metrics that can be unknown (POP, EV) are tested with `!(x >= bound)` behind a flag instead.
 */
function runKernel(p: Kernel): void {
  const { strike: K, DA, U256, I64, OFF, sell, buy, half, pay, theo, ok, sok, n, wLo, wHi, longAbove, sign, credit, bullish } = p;
  const { minPrice, maxPrice, minRatio, maxRatio, minRor, minPop, minEv, exitX, needPop, needEv, by, mult, anchorIsShort, keyBase, heap, smile, smilePay, call } = p;
  const useRatio = !Number.isNaN(minRatio) || !Number.isNaN(maxRatio);
  const useExit = !Number.isNaN(exitX);
  const hasMinPop = !Number.isNaN(minPop);
  const hasMinEv = !Number.isNaN(minEv);
  const needEdge = by === 3;
  let generated = 0;
  let evaluated = 0;
  let passed = 0;
  let lo = 0;
  let hi = 0;
  for (let s = 0; s < n; s++) {
    const ks = K[s] as number;
    // The window of long strikes whose width is in [wLo, wHi]; both ends only move right as s grows.
    if (longAbove) {
      if (lo <= s) lo = s + 1;
      while (lo < n && (K[lo] as number) - ks < wLo) lo++;
      if (hi < lo) hi = lo;
      while (hi < n && (K[hi] as number) - ks <= wHi) hi++;
    } else {
      while (lo < s && ks - (K[lo] as number) > wHi) lo++;
      if (hi < lo) hi = lo;
      while (hi < s && ks - (K[hi] as number) >= wLo) hi++;
    }
    if (hi <= lo) continue;
    generated += hi - lo;
    if (sok[s] === 0) continue;
    evaluated += hi - lo;
    const ss = sell[s] as number;
    const hs = half[s] as number;
    const ps = pay[s] as number;
    const ts = theo[s] as number;
    const keyS = keyBase + s * STRIKES;
    for (let l = lo; l < hi; l++) {
      if (ok[l] === 0) continue;
      const net = ss - (buy[l] as number);
      const price = sign * net;
      const kl = K[l] as number;
      const w = longAbove ? kl - ks : ks - kl;
      if (!(price > MIN_NET && price < w - MIN_NET)) continue;
      if (price < minPrice || price > maxPrice) continue;
      if (useRatio) {
        const ratio = price / w;
        if (ratio < minRatio || ratio > maxRatio) continue;
      }
      const maxLoss = credit ? w - price : price;
      const maxProfit = credit ? price : w - price;
      const ror = maxProfit / maxLoss;
      if (ror < minRor) continue;
      if (useExit && hs + (half[l] as number) > exitX * maxLoss) continue;
      let ev = NaN;
      if (needEv) {
        ev = (pay[l] as number) - ps + net;
        if (hasMinEv && !(ev * mult >= minEv)) continue;
      }
      let pop = NaN;
      if (needPop) {
        // popOf (metrics.ts) inlined with the same expressions, so results are bit-identical.
        const a = anchorIsShort ? s : l;
        const v = (I64[a] as number) > 0 ? a : anchorIsShort ? l : s;
        const i64 = I64[v] as number;
        if (i64 > 0) {
          const above = phiAt(((DA[a] as number) - log1pAt(price * (U256[a] as number) + L1P_OFF)) * i64 + (OFF[v] as number));
          pop = bullish ? above : 1 - above;
        } else if (hasMinPop) continue;
        if (hasMinPop && !(pop >= minPop)) continue;
      }
      let score = by === 0 ? ror : by === 1 ? pop : by === 2 ? ev / maxLoss : needEdge ? ((theo[l] as number) - ts + net) * mult : NaN;
      // The smile's figure where it is known, else the lognormal one (metrics.ts candidateMetrics/scoreOf, same expressions).
      if (smile !== null) {
        const above = smileAt(smile, call ? (longAbove ? ks : kl) + price : (longAbove ? kl : ks) - price);
        const sp = bullish ? above : 1 - above;
        if (sp === sp) score = sp;
      } else if (smilePay !== null) {
        const evs = (smilePay[l] as number) - (smilePay[s] as number) + net;
        if (evs === evs) score = evs / maxLoss;
      }
      if (!(score === score)) continue;
      passed++;
      const key = keyS + l;
      const rs = heap.rootScore;
      if (score > rs || (score === rs && key < heap.rootKey)) heap.offer(score, key);
    }
  }
  p.stats.generated += generated;
  p.stats.evaluated += evaluated;
  p.stats.passed += passed;
}
