// Journal analytics: win rate, expectancy, profit factor, drawdown, equity curve and POP calibration over closed trades.
//
// One sort by close time and one pass: every group (overall, underlying, kind, DTE bucket, weekday)
// keeps its own running equity, so drawdown per group comes out of the same loop. Money stays in
// integer micro-units until an average is taken.
import type { TradeRecord } from './trades';
import type { SpreadKind } from '../contract/scanner';

export interface Aggregate {
  trades: number;
  wins: number;
  losses: number;
  scratches: number;
  winRate: number | null;
  netPnlU: number;
  grossWinU: number;
  grossLossU: number; // ≤ 0
  avgWinU: number | null;
  avgLossU: number | null; // ≤ 0
  expectancyU: number | null;
  /** gross wins / |gross losses|; null when there are no losses. */
  profitFactor: number | null;
  maxDrawdownU: number; // ≥ 0, peak-to-trough of this group's cumulative P&L
  avgReturnOnRisk: number | null;
  avgHoldingMs: number | null;
  avgSlippageU: number | null;
  avgPriceSteps: number | null;
  commissionsU: number;
}

export interface EquityPoint {
  t: number;
  equityU: number;
  drawdownU: number;
}

export interface CalibrationBucket {
  /** POP range [from, to) at entry; the last bucket includes 1. */
  from: number;
  to: number;
  trades: number;
  meanPop: number | null;
  /** Share of these trades that made money: to compare with meanPop. */
  realisedWinRate: number | null;
}

export interface Analytics {
  overall: Aggregate;
  byUnderlying: Record<string, Aggregate>;
  byKind: Partial<Record<SpreadKind, Aggregate>>;
  byDteBucket: Record<string, Aggregate>;
  byWeekday: Record<string, Aggregate>;
  equityCurve: EquityPoint[];
  calibration: CalibrationBucket[];
}

export const DTE_BUCKETS: readonly { label: string; max: number }[] = [
  { label: '0-7', max: 7 },
  { label: '8-21', max: 21 },
  { label: '22-45', max: 45 },
  { label: '46-90', max: 90 },
  { label: '91+', max: Infinity },
];
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export function dteBucket(dte: number | null): string {
  if (dte === null) return 'unknown';
  for (const b of DTE_BUCKETS) if (dte <= b.max) return b.label;
  return '91+';
}

interface Acc {
  trades: number;
  wins: number;
  losses: number;
  netPnlU: number;
  grossWinU: number;
  grossLossU: number;
  commissionsU: number;
  equityU: number;
  peakU: number;
  maxDrawdownU: number;
  rorSum: number;
  rorN: number;
  holdSum: number;
  holdN: number;
  slipSum: number;
  slipN: number;
  stepsSum: number;
}

const newAcc = (): Acc => ({
  trades: 0, wins: 0, losses: 0, netPnlU: 0, grossWinU: 0, grossLossU: 0, commissionsU: 0,
  equityU: 0, peakU: 0, maxDrawdownU: 0, rorSum: 0, rorN: 0, holdSum: 0, holdN: 0, slipSum: 0, slipN: 0, stepsSum: 0,
});

function add(acc: Acc, t: TradeRecord): void {
  const pnl = t.netPnlU;
  acc.trades++;
  acc.netPnlU += pnl;
  acc.commissionsU += t.commissionsU;
  if (pnl > 0) {
    acc.wins++;
    acc.grossWinU += pnl;
  } else if (pnl < 0) {
    acc.losses++;
    acc.grossLossU += pnl;
  }
  acc.equityU += pnl;
  if (acc.equityU > acc.peakU) acc.peakU = acc.equityU;
  else if (acc.peakU - acc.equityU > acc.maxDrawdownU) acc.maxDrawdownU = acc.peakU - acc.equityU;
  if (t.returnOnRisk !== null) {
    acc.rorSum += t.returnOnRisk;
    acc.rorN++;
  }
  if (t.holdingMs !== null) {
    acc.holdSum += t.holdingMs;
    acc.holdN++;
  }
  if (t.slippageU !== null) {
    acc.slipSum += t.slippageU;
    acc.slipN++;
  }
  acc.stepsSum += t.priceSteps;
}

function finish(acc: Acc): Aggregate {
  const n = acc.trades;
  return {
    trades: n,
    wins: acc.wins,
    losses: acc.losses,
    scratches: n - acc.wins - acc.losses,
    winRate: n > 0 ? acc.wins / n : null,
    netPnlU: acc.netPnlU,
    grossWinU: acc.grossWinU,
    grossLossU: acc.grossLossU,
    avgWinU: acc.wins > 0 ? acc.grossWinU / acc.wins : null,
    avgLossU: acc.losses > 0 ? acc.grossLossU / acc.losses : null,
    expectancyU: n > 0 ? acc.netPnlU / n : null,
    profitFactor: acc.grossLossU < 0 ? acc.grossWinU / -acc.grossLossU : null,
    maxDrawdownU: acc.maxDrawdownU,
    avgReturnOnRisk: acc.rorN > 0 ? acc.rorSum / acc.rorN : null,
    avgHoldingMs: acc.holdN > 0 ? acc.holdSum / acc.holdN : null,
    avgSlippageU: acc.slipN > 0 ? acc.slipSum / acc.slipN : null,
    avgPriceSteps: n > 0 ? acc.stepsSum / n : null,
    commissionsU: acc.commissionsU,
  };
}

function bump(groups: Map<string, Acc>, key: string, t: TradeRecord): void {
  let acc = groups.get(key);
  if (!acc) groups.set(key, (acc = newAcc()));
  add(acc, t);
}

function finishGroups(groups: Map<string, Acc>): Record<string, Aggregate> {
  const out: Record<string, Aggregate> = {};
  for (const key of [...groups.keys()].sort()) out[key] = finish(groups.get(key)!);
  return out;
}

const CALIBRATION_BINS = 10;

/** Analytics over the closed trades in `trades` (open and pending ones are ignored). */
export function computeAnalytics(trades: readonly TradeRecord[]): Analytics {
  const closed: TradeRecord[] = [];
  for (const t of trades) if (t.status === 'closed' && t.closedAt !== null) closed.push(t);
  closed.sort((a, b) => a.closedAt! - b.closedAt! || a.id - b.id);

  const overall = newAcc();
  const byUnderlying = new Map<string, Acc>();
  const byKind = new Map<string, Acc>();
  const byDte = new Map<string, Acc>();
  const byWeekday = new Map<string, Acc>();
  const equityCurve: EquityPoint[] = new Array<EquityPoint>(closed.length);
  const calN = new Array<number>(CALIBRATION_BINS).fill(0);
  const calPop = new Array<number>(CALIBRATION_BINS).fill(0);
  const calWins = new Array<number>(CALIBRATION_BINS).fill(0);

  for (let i = 0; i < closed.length; i++) {
    const t = closed[i]!;
    add(overall, t);
    equityCurve[i] = { t: t.closedAt!, equityU: overall.equityU, drawdownU: overall.peakU - overall.equityU };
    bump(byUnderlying, t.underlying, t);
    bump(byKind, t.kind, t);
    bump(byDte, dteBucket(t.dteAtEntry), t);
    bump(byWeekday, t.weekday === null ? 'unknown' : WEEKDAYS[t.weekday]!, t);
    if (t.popAtEntry !== null) {
      const bin = Math.min(CALIBRATION_BINS - 1, Math.max(0, Math.floor(t.popAtEntry * CALIBRATION_BINS)));
      calN[bin]!++;
      calPop[bin]! += t.popAtEntry;
      if (t.netPnlU > 0) calWins[bin]!++;
    }
  }

  const calibration: CalibrationBucket[] = [];
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const n = calN[b]!;
    calibration.push({ from: b / CALIBRATION_BINS, to: (b + 1) / CALIBRATION_BINS, trades: n, meanPop: n > 0 ? calPop[b]! / n : null, realisedWinRate: n > 0 ? calWins[b]! / n : null });
  }

  return {
    overall: finish(overall),
    byUnderlying: finishGroups(byUnderlying),
    byKind: finishGroups(byKind) as Partial<Record<SpreadKind, Aggregate>>,
    byDteBucket: finishGroups(byDte),
    byWeekday: finishGroups(byWeekday),
    equityCurve,
    calibration,
  };
}

/** Thins an equity curve for a chart: per bucket, keeps the lowest and highest point, in time order. */
export function downsampleCurve(points: readonly EquityPoint[], maxPoints: number): EquityPoint[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.slice();
  const buckets = Math.floor(maxPoints / 2);
  const size = points.length / buckets;
  const out: EquityPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (points[i]!.equityU < points[lo]!.equityU) lo = i;
      if (points[i]!.equityU > points[hi]!.equityU) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else for (const i of lo < hi ? [lo, hi] : [hi, lo]) out.push(points[i]!);
  }
  const last = points[points.length - 1]!;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

export interface TradeFilter {
  underlying?: string;
  kind?: SpreadKind;
  status?: 'open' | 'closed' | 'pending' | 'broken';
  tag?: string;
  /** Entry on or after / before (epoch ms). */
  from?: number;
  to?: number;
}

export function filterTrades(trades: readonly TradeRecord[], f: TradeFilter): TradeRecord[] {
  const underlying = f.underlying?.toUpperCase();
  return trades.filter((t) => {
    if (underlying && t.underlying.toUpperCase() !== underlying) return false;
    if (f.kind && t.kind !== f.kind) return false;
    if (f.status && t.status !== f.status) return false;
    if (f.tag && !t.tags.includes(f.tag)) return false;
    const at = t.openedAt;
    if (f.from !== undefined && (at === null || at < f.from)) return false;
    if (f.to !== undefined && (at === null || at >= f.to)) return false;
    return true;
  });
}
