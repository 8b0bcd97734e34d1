// Scan planning: which option quotes a scan needs — expiries in the DTE range, a strike window per expiry from the
// underlying price and ATM IV (model delta pre-filtered to the short-delta band plus a margin, long legs within the
// width range) — ordered nearest expiry first and, within an expiry, strikes nearest the band's centre first.
// What it promises (plan.test.ts): scanning only the planned quotes ranks the same top-K as scanning the whole chain,
// as long as quoted deltas are those of a lognormal model at 0.7–1.5× the ATM IV near the band; without a delta band,
// legs with |delta| under 1 % or over 99 % at 0.7–3× ATM IV (far wings) are not quoted.
import type { ScanFilters, SpreadKind } from '../contract/scanner';
import { flattenFilters, widthWindow } from './filters';
import { bsmDelta } from './math';
import { KIND_SPECS } from './metrics';

export interface PlanExpiryInput {
  /** YYYYMMDD. */
  expiry: string;
  dte: number;
  tYears: number;
  /** Strikes that exist for this expiry (ascending); the same list for calls and puts. */
  strikes: readonly number[];
}

export interface PlanInput {
  spot: number;
  /** ATM implied volatility (annualised); null = unknown, DEFAULT_PLAN_IV is used with a wider band. */
  atmIv: number | null;
  rate: number;
  divYield: number;
  filters: ScanFilters;
  expiries: readonly PlanExpiryInput[];
}

export interface PlanOptions {
  /** Added to both ends of the short |delta| band (model delta is only an estimate of the quoted one). */
  deltaMargin?: number;
  /** The model delta is taken at ATM IV × each of these, covering skew and a wrong ATM IV. */
  ivMultipliers?: readonly number[];
  /** Legs whose model |delta| is outside [floor, 1 − floor] at every wing multiplier are not worth a quote. */
  deltaFloor?: number;
  /** IV multipliers for that floor: far wings carry steep skew (2–3× ATM IV for short-dated puts). */
  wingMultipliers?: readonly number[];
}

export interface ExpiryPlan {
  expiry: string;
  dte: number;
  tYears: number;
  /** Strikes to quote, in request order (best first). */
  calls: number[];
  puts: number[];
}

export interface ScanPlan {
  expiries: ExpiryPlan[];
  /** Number of option quotes planned. */
  total: number;
}

export const DEFAULT_PLAN_IV = 0.3;
const DEFAULTS: Required<PlanOptions> = { deltaMargin: 0.05, ivMultipliers: [0.7, 1, 1.5], wingMultipliers: [0.7, 3], deltaFloor: 0.01 };

/** |delta| range of one strike over the IV multipliers. */
function deltaRange(right: 'C' | 'P', spot: number, k: number, ivs: readonly number[], r: number, q: number, t: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const iv of ivs) {
    const d = Math.abs(bsmDelta(right, spot, k, iv, r, q, t));
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return [lo, hi];
}

/** The strikes one right of one expiry needs, in priority order. */
function planRight(right: 'C' | 'P', kinds: SpreadKind[], input: PlanInput, e: PlanExpiryInput, o: Required<PlanOptions>): number[] {
  const specs = kinds.map((k) => KIND_SPECS[k]).filter((s) => s.right === right);
  if (specs.length === 0 || e.strikes.length === 0) return [];
  const f = flattenFilters(input.filters);
  const iv = input.atmIv !== null && input.atmIv > 0 ? input.atmIv : DEFAULT_PLAN_IV;
  const mults = input.atmIv !== null && input.atmIv > 0 ? o.ivMultipliers : [...o.ivMultipliers, 4];
  const ivs = mults.map((m) => iv * m);
  const bandLo = Number.isNaN(f.deltaMin) ? o.deltaFloor : Math.max(0, f.deltaMin - o.deltaMargin);
  const bandHi = Number.isNaN(f.deltaMax) ? 1 - o.deltaFloor : Math.min(1, f.deltaMax + o.deltaMargin);
  const ranges = e.strikes.map((k) => deltaRange(right, input.spot, k, ivs, input.rate, input.divYield, e.tYears));
  const wingIvs = o.wingMultipliers.map((m) => iv * m);
  const usable = e.strikes.map((k) => {
    const [lo, hi] = deltaRange(right, input.spot, k, wingIvs, input.rate, input.divYield, e.tYears);
    return hi >= o.deltaFloor && lo <= 1 - o.deltaFloor;
  });
  const noBand = Number.isNaN(f.deltaMin) && Number.isNaN(f.deltaMax);
  const short = ranges.map(([lo, hi], i) => usable[i] === true && (noBand || (hi >= bandLo && lo <= bandHi)));
  const { lo: wLo, hi: wHi } = widthWindow(f, input.spot);
  const need = new Set<number>();
  for (let s = 0; s < e.strikes.length; s++) {
    if (!short[s]) continue;
    const ks = e.strikes[s] as number;
    let hasLong = false;
    for (const spec of specs) {
      // Strikes ascend, so walk away from the short strike and stop past the widest width.
      const step = spec.longAbove ? 1 : -1;
      for (let l = s + step; l >= 0 && l < e.strikes.length; l += step) {
        const w = Math.abs((e.strikes[l] as number) - ks);
        if (w > wHi) break;
        // With a width cap the window bounds the long legs; without one, skip legs too deep to matter.
        if (w < wLo || (wHi === Infinity && !usable[l])) continue;
        need.add(l);
        hasLong = true;
      }
    }
    if (hasLong) need.add(s);
  }
  // Priority: distance (in strikes) from the strike whose model delta is nearest the band's centre.
  const centre = (bandLo + bandHi) / 2;
  let best = 0;
  let bestGap = Infinity;
  ranges.forEach(([lo, hi], i) => {
    const gap = Math.abs((lo + hi) / 2 - centre);
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  });
  return [...need].sort((a, b) => Math.abs(a - best) - Math.abs(b - best) || a - b).map((i) => e.strikes[i] as number);
}

/** Plans one underlying's quotes. Expiries outside the DTE range or already expired are left out. */
export function planScan(input: PlanInput, options: PlanOptions = {}): ScanPlan {
  const o = { ...DEFAULTS, ...options };
  const kinds = input.filters.kinds;
  const expiries = input.expiries
    .filter((e) => e.tYears > 0 && e.dte >= input.filters.dte.min && e.dte <= input.filters.dte.max)
    .slice()
    .sort((a, b) => a.dte - b.dte || (a.expiry < b.expiry ? -1 : 1))
    .map((e) => ({ expiry: e.expiry, dte: e.dte, tYears: e.tYears, calls: planRight('C', kinds, input, e, o), puts: planRight('P', kinds, input, e, o) }))
    .filter((e) => e.calls.length + e.puts.length > 0);
  return { expiries, total: expiries.reduce((n, e) => n + e.calls.length + e.puts.length, 0) };
}

export interface PlannedQuote {
  symbol: string;
  expiry: string;
  right: 'C' | 'P';
  strike: number;
}

/**
 * The request order across a watchlist: expiry rank first (every symbol's nearest expiry, then every symbol's
 * next…), symbols in watchlist order within a rank, and within an expiry the plan's order with calls and puts
 * interleaved — so each symbol's most likely candidates complete early and rows appear within the first second.
 */
export function requestOrder(plans: ReadonlyArray<{ symbol: string; plan: ScanPlan }>): PlannedQuote[] {
  const out: PlannedQuote[] = [];
  const depth = Math.max(0, ...plans.map((p) => p.plan.expiries.length));
  for (let rank = 0; rank < depth; rank++) {
    for (const { symbol, plan } of plans) {
      const e = plan.expiries[rank];
      if (!e) continue;
      const n = Math.max(e.calls.length, e.puts.length);
      for (let i = 0; i < n; i++) {
        const c = e.calls[i];
        const p = e.puts[i];
        if (c !== undefined) out.push({ symbol, expiry: e.expiry, right: 'C', strike: c });
        if (p !== undefined) out.push({ symbol, expiry: e.expiry, right: 'P', strike: p });
      }
    }
  }
  return out;
}
