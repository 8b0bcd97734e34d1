// Scanner number formats: labelled credits/debits, money with separators, percents, greeks, ages, payoff curves.
import type { DivSource, ScanRow } from '../../../core/contract';

const MINUS = '\u2212';
const money2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A net price per share with its label, never a bare signed number: a credit spread's `1.25 cr`, a debit
 * spread's `0.80 db`. A negative amount (a credit spread that would cost money at natural) flips the label.
 */
export function netLabel(amount: number, isCredit: boolean): string {
  if (!Number.isFinite(amount)) return '—';
  const credit = amount >= 0 ? isCredit : !isCredit;
  return `${Math.abs(amount).toFixed(2)} ${credit ? 'cr' : 'db'}`;
}

/** Money with thousands separators and 2 decimals (no sign: max profit, max loss). */
export function money(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : money2.format(v);
}

/** P&L-like money: always signed, with a true minus. */
export function signedMoney(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const s = money2.format(Math.abs(v));
  return v > 0 ? `+${s}` : v < 0 ? `${MINUS}${s}` : s;
}

/** A fraction as a percent with 1 decimal. */
export function percent(v: number | null, digits = 1): string {
  return v === null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

const DIV_SOURCE_LABELS: Record<Exclude<DivSource, 'none'>, string> = { request: 'request', settings: 'settings', ibkr: 'IBKR' };

/**
 * The dividend yield a symbol was valued with and where it came from: "q 1.21% (IBKR)", "q 0.60% (settings)", or, when
 * nothing gave one, "q 0 — no dividend data; set one in More → Div yield %". Null before the symbol is priced.
 */
export function divLabel(divYield: number | undefined, divSource: DivSource | undefined): string | null {
  if (divYield === undefined || divSource === undefined) return null;
  if (divSource === 'none') return 'q 0 — no dividend data; set one in More → Div yield %';
  return `q ${divYieldText(divYield, divSource)}`;
}

/** The short form for a strip of symbols (after "q"): "1.21% (IBKR)", "0 (no data)". */
export function divYieldText(divYield: number, divSource: DivSource): string {
  if (divSource === 'none') return '0 (no data)';
  return `${(divYield * 100).toFixed(2)}% (${DIV_SOURCE_LABELS[divSource]})`;
}

/** Open interest in contracts with separators, — when unknown (the broker sent none). */
export function openInterest(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : Math.round(v).toLocaleString('en-US');
}

/** A delta with 2 decimals and a true minus. */
export function greek(v: number | null, digits = 2): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const s = Math.abs(v).toFixed(digits);
  return v < 0 ? `${MINUS}${s}` : s;
}

export function strike(k: number): string {
  return Number.isInteger(k) ? String(k) : k.toFixed(2).replace(/0$/, '');
}

/** YYYYMMDD → 2026-12-04. */
export function expiryLabel(e: string): string {
  return /^\d{8}$/.test(e) ? `${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6)}` : e;
}

/** Age of a quote: 12s, 3m, 2h. */
export function ageLabel(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

/** A row whose older leg quote is older than this is stale (the scanner service's own limit, STALE_AFTER_MS). */
export const STALE_AFTER_MS = 60_000;

/**
 * What the grid may say about a row at `nowMs`: the age of its older leg quote now (not when it was ranked — after a
 * scan completes nothing re-ranks, so the ranked age would freeze while the quotes keep ageing) and its data state.
 */
export function liveState(row: ScanRow, nowMs: number): { ageMs: number | null; state: ScanRow['completeness'] } {
  const a = row.short.quoteTime;
  const b = row.long.quoteTime;
  const ageMs = a === null || b === null ? null : Math.max(0, nowMs - Math.min(a, b));
  const stale = row.completeness === 'stale' || (ageMs !== null && ageMs > STALE_AFTER_MS);
  return { ageMs, state: stale ? 'stale' : row.completeness };
}

/** Why a metric cell is empty: the broker did not send what it needs (never shown as a number). */
export const UNKNOWN_IV = 'Unknown: the broker sent no implied volatility for a leg, so this cannot be computed.';
/** Why a smile figure (POP σ, EV σ) is empty. */
export const NO_SMILE = 'This expiry has too few implied volatilities for a smile.';

export function etaLabel(ms: number | null): string {
  if (ms === null) return 'ETA —';
  if (ms <= 0) return 'done';
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `ETA ${s}s` : `ETA ${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** Payoff at expiry of one spread in $, at the row's scoring basis, for an underlying price at expiry. */
export function payoffAt(row: ScanRow, price: number): number {
  const intrinsic = (k: number) => (row.short.right === 'C' ? Math.max(price - k, 0) : Math.max(k - price, 0));
  const basisPrice = row.basis === 'mid' ? row.priceMid : row.priceNatural;
  const net = row.isCredit ? basisPrice : -basisPrice;
  return (intrinsic(row.longStrike) - intrinsic(row.shortStrike) + net) * row.multiplier;
}

/** Points of the payoff curve around the strikes, the kinks and the breakeven included exactly, ascending. */
export function payoffCurve(row: ScanRow, points = 80): Array<{ x: number; y: number }> {
  const lo = Math.min(row.shortStrike, row.longStrike);
  const hi = Math.max(row.shortStrike, row.longStrike);
  const pad = Math.max(row.width * 1.5, row.spot * 0.02);
  const from = Math.max(0.01, Math.min(lo, row.spot) - pad);
  const to = Math.max(hi, row.spot) + pad;
  const xs = new Set<number>([lo, hi, row.breakeven, row.spot]);
  for (let i = 0; i <= points; i++) xs.add(from + ((to - from) * i) / points);
  return [...xs]
    .map((x) => Math.round(x * 100) / 100)
    .filter((x, i, all) => all.indexOf(x) === i)
    .sort((a, b) => a - b)
    .map((x) => ({ x, y: payoffAt(row, x) }));
}

/** Why a row's what-if cell is empty when nothing was asked for it. */
export const NOT_VERIFIED = 'Not verified: only the best rows of a scan (the form’s What-if count) get IBKR’s what-if.';

const clockTime = (ms: number): string => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

/**
 * A row's what-if in one sentence: IBKR's numbers and when they came, or why there are none (the service's sentence,
 * or not verified). A missing number is said to be missing, never shown as one.
 */
export function whatIfTip(row: ScanRow): string {
  const w = row.whatIf;
  if (!w) return row.whatIfUnavailable ?? NOT_VERIFIED;
  const part = (label: string, v: number | null) => `${label} ${v === null ? 'not sent' : money(v)}`;
  return `IBKR’s what-if at ${clockTime(w.at)} for opening one spread at the conservative mid: ${part('initial margin change', w.initMarginChange)}, ${part('maintenance margin change', w.maintMarginChange)}, ${part('commission', w.commission)}.`;
}

/** One what-if number's cell tooltip: nothing when it shows a number, else why it is blank. */
export function whatIfCellTip(row: ScanRow | undefined, v: number | null | undefined): string | undefined {
  if (!row) return undefined;
  if (v !== null && v !== undefined) return whatIfTip(row);
  return row.whatIf ? 'IBKR’s what-if did not send this number.' : (row.whatIfUnavailable ?? NOT_VERIFIED);
}

/** The details pane's what-if line. */
export function whatIfLine(row: ScanRow): string {
  const w = row.whatIf;
  if (!w) return row.whatIfUnavailable ? 'What-if: none (hover for why)' : 'What-if: not verified';
  return `What-if: margin ${money(w.initMarginChange)} · maint. ${money(w.maintMarginChange)} · comm. ${money(w.commission)}`;
}
