// Listed option contracts: expiry calendars, strike grids, stable conids and OCC symbols.
import { type DayNum, DAY_MS, dayToYmd, isTradingDay, monthlyExpiry, prevTradingDay, sessionOf, weekday, ymdParts } from './calendar';
import type { OptionClassConfig, UnderlyingConfig } from './config';
import type { TickRule } from './ticks';

export type Right = 'C' | 'P';

export interface OptionClassInfo {
  cfg: OptionClassConfig;
  underlying: UnderlyingConfig;
}

/** One listed option. Everything here is derived from the class config and the conid. */
export interface OptionContract {
  conId: number;
  symbol: string;
  tradingClass: string;
  /** YYYYMMDD of expiration. */
  expiry: string;
  expiryDay: DayNum;
  /** Last day the option trades (the day before expiry for AM-settled classes). */
  lastTradeDay: DayNum;
  /** Instant the settlement price is taken (the close, or the open for AM settlement). */
  expiryInstant: number;
  strike: number;
  right: Right;
  multiplier: number;
  localSymbol: string;
  tickRule: TickRule;
  cls: OptionClassInfo;
}

const DAY_SLOTS = 2048;
const STRIKE_SLOTS = 8192;
export const YEAR_MS = 365 * DAY_MS;

/** conid = slot | expiry day mod 2048 | strike / quantum | right: injective within ±2.8 years, fits a signed 32-bit int. */
export function optionConId(slot: number, expiryDay: DayNum, strikeIndex: number, right: Right): number {
  const d = ((expiryDay % DAY_SLOTS) + DAY_SLOTS) % DAY_SLOTS;
  return ((slot * DAY_SLOTS + d) * STRIKE_SLOTS + strikeIndex) * 2 + (right === 'P' ? 1 : 0);
}

/** Inverse of optionConId; the expiry day is the one nearest to refDay with the encoded residue. */
export function decodeOptionConId(conId: number, refDay: DayNum): { slot: number; expiryDay: DayNum; strikeIndex: number; right: Right } | null {
  if (!Number.isInteger(conId) || conId <= 0 || conId > 0x7fffffff) return null;
  const right: Right = conId % 2 === 1 ? 'P' : 'C';
  let rest = Math.floor(conId / 2);
  const strikeIndex = rest % STRIKE_SLOTS;
  rest = Math.floor(rest / STRIKE_SLOTS);
  const residue = rest % DAY_SLOTS;
  const slot = Math.floor(rest / DAY_SLOTS);
  if (slot < 1 || slot > 63) return null;
  const refResidue = ((refDay % DAY_SLOTS) + DAY_SLOTS) % DAY_SLOTS;
  let diff = residue - refResidue;
  if (diff > DAY_SLOTS / 2) diff -= DAY_SLOTS;
  if (diff <= -DAY_SLOTS / 2) diff += DAY_SLOTS;
  return { slot, expiryDay: refDay + diff, strikeIndex, right };
}

/** OCC option symbol: root padded to 6, YYMMDD, C/P, strike × 1000 in 8 digits. */
export function occSymbol(root: string, expiryDay: DayNum, right: Right, strike: number): string {
  const ymd = dayToYmd(expiryDay).slice(2);
  const k = String(Math.round(strike * 1000)).padStart(8, '0');
  return `${root.padEnd(6, ' ')}${ymd}${right}${k}`;
}

/** Settlement instant of an expiry: 16:00 ET (13:00 on half days), or 09:30 ET for AM settlement. */
export function expiryInstant(cls: OptionClassConfig, expiryDay: DayNum): number {
  const s = sessionOf(expiryDay);
  const fallback = expiryDay * DAY_MS;
  if (!s) return fallback;
  return cls.settlement === 'AM' ? s.open : s.close;
}

export function lastTradeDay(cls: OptionClassConfig, expiryDay: DayNum): DayNum {
  return cls.settlement === 'AM' ? prevTradingDay(expiryDay) : expiryDay;
}

/** Expiries listed on a trading day, ascending. */
export function listExpiries(cls: OptionClassConfig, today: DayNum): DayNum[] {
  const out = new Set<DayNum>();
  const { dailyDays, weeklyDays, monthlyDays } = cls.expiries;
  if (dailyDays > 0) for (let d = today; d <= today + dailyDays; d++) if (isTradingDay(d)) out.add(d);
  for (let d = today; d <= today + weeklyDays; d++) {
    if (weekday(d) !== 5) continue;
    const e = isTradingDay(d) ? d : prevTradingDay(d);
    if (e >= today) out.add(e);
  }
  const { y, m } = ymdParts(today);
  for (let i = 0; i <= Math.ceil(monthlyDays / 28) + 1; i++) {
    const mm = ((m - 1 + i) % 12) + 1;
    const yy = y + Math.floor((m - 1 + i) / 12);
    const e = monthlyExpiry(yy, mm);
    if (e >= today && e <= today + monthlyDays) out.add(e);
  }
  return [...out].filter((e) => lastTradeDay(cls, e) >= today).sort((a, b) => a - b);
}

/**
 * Strikes of one expiry around a center price: band steps widen away from the center, the range widens
 * with √T. Values are exact multiples of the class quantum.
 */
export function listStrikes(cls: OptionClassConfig, center: number, atmVol: number, years: number): number[] {
  const q = cls.strikeQuantum;
  const range = Math.min(cls.maxRange, Math.max(cls.minRange, cls.rangeSigmas * atmVol * Math.sqrt(Math.max(years, 1 / 365))));
  const bands = [...cls.bands].sort((a, b) => a.within - b.within);
  const stepAt = (k: number): number => {
    const dist = Math.abs(k / center - 1);
    for (const b of bands) if (dist <= b.within + 1e-12) return Math.round(b.step / q);
    return Math.round((bands[bands.length - 1]?.step ?? q) / q);
  };
  const lo = center * (1 - range);
  const hi = center * (1 + range);
  const first = bands[0] ? Math.round(bands[0].step / q) : 1;
  const c0 = Math.max(first, Math.round(center / q / first) * first);
  const idx: number[] = [];
  for (let n = c0; n * q <= hi && n < STRIKE_SLOTS; ) {
    idx.push(n);
    const s = stepAt(n * q);
    n = (Math.floor(n / s) + 1) * s;
  }
  for (let n = c0; ; ) {
    const s = stepAt(n * q);
    n = (Math.ceil(n / s) - 1) * s;
    if (n <= 0 || n * q < lo) break;
    idx.push(n);
  }
  return idx.sort((a, b) => a - b).map((n) => roundStrike(n * q));
}

export function roundStrike(k: number): number {
  return Math.round(k * 10_000) / 10_000;
}

export function strikeIndex(cls: OptionClassConfig, strike: number): number | null {
  const n = strike / cls.strikeQuantum;
  const r = Math.round(n);
  if (Math.abs(n - r) > 1e-6 || r <= 0 || r >= STRIKE_SLOTS) return null;
  return r;
}

/** Builds the contract record (it does not check that the strike is listed). */
export function makeOption(info: OptionClassInfo, expiryDay: DayNum, strike: number, right: Right): OptionContract | null {
  const idx = strikeIndex(info.cfg, strike);
  if (idx === null) return null;
  const k = roundStrike(idx * info.cfg.strikeQuantum);
  return {
    conId: optionConId(info.cfg.slot, expiryDay, idx, right),
    symbol: info.underlying.symbol,
    tradingClass: info.cfg.tradingClass,
    expiry: dayToYmd(expiryDay),
    expiryDay,
    lastTradeDay: lastTradeDay(info.cfg, expiryDay),
    expiryInstant: expiryInstant(info.cfg, expiryDay),
    strike: k,
    right,
    multiplier: info.cfg.multiplier,
    localSymbol: occSymbol(info.cfg.tradingClass, expiryDay, right, k),
    tickRule: info.cfg.tickRule,
    cls: info,
  };
}
