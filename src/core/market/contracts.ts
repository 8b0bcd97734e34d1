// Option contracts and their canonical keys: one string per contract, stable across sessions and processes.
import { type IsoDate, parseIsoDate } from './dates';

/** 'C' = call, 'P' = put (IBKR's `right` field uses the same letters). */
export type OptionRight = 'C' | 'P';

/** How an option can be exercised. */
export type ExerciseStyle = 'american' | 'european';

/** Whether the final settlement value is fixed at the open (AM) or the close (PM) of the expiry date. */
export type SettlementStyle = 'AM' | 'PM';

/** The identity of one listed option. strikeMicros is the strike in millionths of a dollar (exact). */
export interface OptionContractId {
  readonly underlying: string;
  /** Trading class when it differs from the underlying symbol (e.g. SPXW for SPX weeklies). */
  readonly tradingClass?: string;
  readonly expiry: IsoDate;
  readonly right: OptionRight;
  readonly strikeMicros: number;
}

/** Canonical key of an underlying, e.g. `STK:SPY` (index underlyings use the same form). */
export function underlyingKey(symbol: string): string {
  return `STK:${symbol.trim().toUpperCase()}`;
}

/** Canonical key of an option, e.g. `OPT:SPY:2025-01-17:C:590` or `OPT:SPX/SPXW:2025-01-17:P:5902.5`. */
export function optionKey(c: OptionContractId): string {
  const und = c.underlying.trim().toUpperCase();
  const cls = c.tradingClass?.trim().toUpperCase();
  const root = cls && cls !== und ? `${und}/${cls}` : und;
  return `OPT:${root}:${c.expiry}:${c.right}:${strikeToString(c.strikeMicros)}`;
}

/** Parses a key made by {@link optionKey}; null when it is not one. */
export function parseOptionKey(key: string): OptionContractId | null {
  const m = /^OPT:([A-Z0-9.^]+)(?:\/([A-Z0-9.^]+))?:(\d{4}-\d{2}-\d{2}):([CP]):(\d+(?:\.\d{1,6})?)$/.exec(key);
  if (!m) return null;
  const expiry = parseIsoDate(m[3] as string);
  const strikeMicros = strikeFromString(m[5] as string);
  if (expiry === null || strikeMicros === null) return null;
  const base = { underlying: m[1] as string, expiry, right: m[4] as OptionRight, strikeMicros };
  return m[2] ? { ...base, tradingClass: m[2] } : base;
}

/** Shortest exact decimal text of a strike in micros: 590000000 → "590", 592500000 → "592.5". */
export function strikeToString(strikeMicros: number): string {
  const whole = Math.trunc(strikeMicros / 1_000_000);
  const frac = Math.abs(strikeMicros - whole * 1_000_000);
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

/** Exact strike in micros from decimal text ("592.5" → 592500000); null when not a plain positive decimal. */
export function strikeFromString(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  const micros = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0') || '0');
  return Number.isSafeInteger(micros) ? micros : null;
}

// Cash-settled index option classes are European; equity and ETF options are American (OCC/Cboe specs).
const EUROPEAN_CLASSES = new Set(['SPX', 'SPXW', 'XSP', 'NDX', 'NDXP', 'XND', 'RUT', 'RUTW', 'MRUT', 'VIX', 'VIXW', 'DJX', 'XEO']);
// Monthly (third-Friday) classes of these indexes settle on the opening print (SOQ) of the expiry date.
const AM_SETTLED_CLASSES = new Set(['SPX', 'NDX', 'RUT', 'VIX']);

/** Exercise style of an option class: European for the cash-settled index classes above, else American. */
export function exerciseStyle(tradingClassOrSymbol: string): ExerciseStyle {
  return EUROPEAN_CLASSES.has(tradingClassOrSymbol.trim().toUpperCase()) ? 'european' : 'american';
}

/**
 * Settlement style of an option class: AM for the monthly index classes (SPX, NDX, RUT, VIX);
 * PM for everything else, including their weekly/PM classes (SPXW, NDXP, RUTW, XSP) and all equity options.
 */
export function settlementStyle(tradingClass: string): SettlementStyle {
  return AM_SETTLED_CLASSES.has(tradingClass.trim().toUpperCase()) ? 'AM' : 'PM';
}
