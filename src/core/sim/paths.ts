// Underlying price paths: a seeded daily walk from an anchor date, bridged intraday with a U-shaped volatility pattern.
import { type DayNum, isTradingDay, nextTradingDay, parseYmd, prevTradingDay, sessionOf, utcToEt } from './calendar';
import type { UnderlyingConfig } from './config';
import { hashString, normal, uniform } from './rng';

/** Intraday volatility multiplier at session fraction τ: busy open, quiet lunch, busy close. */
export function intradayPattern(tau: number): number {
  return 1 + 1.4 * Math.exp(-tau / 0.06) + 0.9 * Math.exp(-(1 - tau) / 0.06);
}

/** Share of the day's volume traded by session fraction τ (same U shape, closed form). */
export function volumeFraction(tau: number): number {
  if (tau <= 0) return 0;
  if (tau >= 1) return 1;
  const b = 0.05;
  const total = 1 + 2 * b * (1 - Math.exp(-1 / b)) + 1.5 * b * (1 - Math.exp(-1 / b));
  const part = tau + 2 * b * (1 - Math.exp(-tau / b)) + 1.5 * b * (Math.exp(-(1 - tau) / b) - Math.exp(-1 / b));
  return part / total;
}

interface DayBar {
  open: number;
  close: number;
}

/** A session's path: prices[k] is the price from open + k·step; hi/lo are running extremes. */
export interface DayPath {
  day: DayNum;
  openTime: number;
  closeTime: number;
  prices: Float64Array;
  hi: Float64Array;
  lo: Float64Array;
}

const K_GAP = 1;
const K_DAY = 2;
const K_JUMP = 3;
const K_JUMPSIZE = 4;
const K_JUMPAT = 5;
const K_STEP = 6;
const K_VOL = 7;
const MARKET_KEY = 0x6d6b7466;
/** Intraday paths kept per underlying (each ≈ 0.5 MB at one-second steps). */
export const PATH_CACHE_DAYS = 8;

export interface JumpParams {
  perYear: number;
  mean: number;
  sd: number;
}

/** The common market factor: shocks and crash-day jumps shared by every underlying (in proportion to correlation). */
export class MarketFactor {
  private readonly steps = new Map<string, Float64Array>();
  constructor(
    private readonly seed: number,
    private readonly jumps: JumpParams,
  ) {}

  z(day: DayNum, kind: number): number {
    return normal(this.seed, MARKET_KEY, day, kind);
  }

  /** The market jump of a day (log size and step fraction), or null. */
  jump(day: DayNum): { size: number; at: number } | null {
    if (uniform(this.seed, MARKET_KEY, day, K_JUMP) >= this.jumps.perYear / 252) return null;
    return { size: this.jumps.mean + this.jumps.sd * normal(this.seed, MARKET_KEY, day, K_JUMPSIZE), at: uniform(this.seed, MARKET_KEY, day, K_JUMPAT) };
  }

  /** Standard normal market shocks for the n steps of a day (index 1..n), shared and cached. */
  stepShocks(day: DayNum, n: number): Float64Array {
    const key = `${day}:${n}`;
    const hit = this.steps.get(key);
    if (hit) return hit;
    const z = new Float64Array(n + 1);
    for (let k = 1; k <= n; k++) z[k] = normal(this.seed, MARKET_KEY, day, K_STEP * 1_000_003 + k);
    this.steps.set(key, z);
    if (this.steps.size > 3) this.steps.delete(this.steps.keys().next().value as string);
    return z;
  }
}

/** The seeded path of one underlying. Prices are a pure function of (seed, config, time). */
export class PricePath {
  private readonly key: number;
  private readonly anchor: DayNum;
  private readonly bars = new Map<DayNum, DayBar>();
  private lastBarDay: DayNum;
  private lastClose: number;
  /** Intraday paths, least recently used first (a Map keeps insertion order; a hit moves the day to the end). */
  private readonly dayPaths = new Map<DayNum, DayPath>();
  /** Open/high/low/close of days whose path was built once: a finished session needs no path again. */
  private readonly summaries = new Map<DayNum, { open: number; high: number; low: number }>();
  /** Day paths built so far (a rebuild of an evicted day counts again): the cache's health, for tests and the bench. */
  builds = 0;

  private readonly rho: number;
  private readonly idio: number;

  constructor(
    readonly u: UnderlyingConfig,
    private readonly seed: number,
    anchorDate: string,
    private readonly stepMs: number,
    private readonly market: MarketFactor,
  ) {
    this.rho = u.correlation;
    this.idio = Math.sqrt(Math.max(0, 1 - u.correlation * u.correlation));
    this.key = hashString(u.symbol);
    const a = parseYmd(anchorDate) ?? 0;
    this.anchor = isTradingDay(a) ? a : nextTradingDay(a);
    this.lastBarDay = prevTradingDay(this.anchor);
    this.lastClose = u.spot;
  }

  /** Open and close of a trading day (days before the anchor repeat the anchor's level). */
  bar(day: DayNum): DayBar {
    if (day < this.anchor) return { open: this.u.spot, close: this.u.spot };
    const hit = this.bars.get(day);
    if (hit) return hit;
    const sigma = this.u.realizedVol;
    while (this.lastBarDay < day) {
      const d = nextTradingDay(this.lastBarDay);
      const gap = sigma * Math.sqrt(0.2 / 252) * this.mix(d, K_GAP);
      const open = this.lastClose * Math.exp(gap);
      const sd = sigma * Math.sqrt(0.8 / 252);
      const pull = (-this.u.meanReversion * Math.log(open / this.u.spot)) / 252;
      const jump = (this.idioJump(d)?.size ?? 0) + this.rho * (this.market.jump(d)?.size ?? 0);
      const close = open * Math.exp(pull - 0.5 * sd * sd + sd * this.mix(d, K_DAY) + jump);
      this.bars.set(d, { open, close });
      this.lastBarDay = d;
      this.lastClose = close;
    }
    return this.bars.get(day) ?? { open: this.lastClose, close: this.lastClose };
  }

  /** A shock mixing the market factor and this underlying's own noise. */
  private mix(day: DayNum, kind: number): number {
    return this.rho * this.market.z(day, kind) + this.idio * normal(this.seed, this.key, day, kind);
  }

  private idioJump(day: DayNum): { size: number; at: number } | null {
    if (uniform(this.seed, this.key, day, K_JUMP) >= this.u.jumps.perYear / 252) return null;
    return { size: this.u.jumps.mean + this.u.jumps.sd * normal(this.seed, this.key, day, K_JUMPSIZE), at: uniform(this.seed, this.key, day, K_JUMPAT) };
  }

  /** Close of the trading day before `day`. */
  prevClose(day: DayNum): number {
    return this.bar(prevTradingDay(day)).close;
  }

  /** Day-level IV multiplier (vol of vol), lognormal around 1. */
  volFactor(day: DayNum): number {
    const s = this.u.iv.dailyVolOfVol;
    return Math.exp(s * normal(this.seed, this.key, day, K_VOL) - 0.5 * s * s);
  }

  /** The intraday path of a trading day: a Brownian bridge from open to close with the daily jump at a random step. */
  dayPath(day: DayNum): DayPath | null {
    const cached = this.dayPaths.get(day);
    if (cached) {
      this.dayPaths.delete(day);
      this.dayPaths.set(day, cached);
      return cached;
    }
    const s = sessionOf(day);
    if (!s) return null;
    const { open, close } = this.bar(day);
    const n = Math.max(1, Math.floor((s.close - s.open) / this.stepMs));
    const prices = new Float64Array(n + 1);
    const hi = new Float64Array(n + 1);
    const lo = new Float64Array(n + 1);
    // Raw diffusive walk with the U-shaped pattern; its variance profile drives the bridge correction.
    const w = new Float64Array(n + 1);
    const c = new Float64Array(n + 1);
    let norm = 0;
    for (let k = 1; k <= n; k++) {
      const m = intradayPattern((k - 0.5) / n);
      norm += m * m;
    }
    const scale = this.u.realizedVol * Math.sqrt(0.8 / 252 / norm);
    const zm = this.rho > 0 ? this.market.stepShocks(day, n) : null;
    for (let k = 1; k <= n; k++) {
      const m = intradayPattern((k - 0.5) / n);
      const zi = this.idio > 0 ? normal(this.seed, this.key, day, K_STEP * 1_000_003 + k) : 0;
      const z = this.rho * (zm?.[k] ?? 0) + this.idio * zi;
      w[k] = (w[k - 1] ?? 0) + scale * m * z;
      c[k] = (c[k - 1] ?? 0) + m * m;
    }
    // Jumps land at a step: the market's (scaled by correlation) and this underlying's own.
    const mj = this.market.jump(day);
    const ij = this.idioJump(day);
    const jumps: { size: number; at: number }[] = [];
    if (mj && this.rho > 0) jumps.push({ size: this.rho * mj.size, at: 1 + Math.floor(mj.at * n) });
    if (ij) jumps.push({ size: ij.size, at: 1 + Math.floor(ij.at * n) });
    const totalJump = jumps.reduce((a, j) => a + j.size, 0);
    const target = Math.log(close / open) - totalJump;
    const wn = w[n] ?? 0;
    const cn = c[n] ?? 1;
    let runHi = open;
    let runLo = open;
    for (let k = 0; k <= n; k++) {
      let jumped = 0;
      for (const j of jumps) if (k >= j.at) jumped += j.size;
      const x = (w[k] ?? 0) - ((c[k] ?? 0) / cn) * (wn - target) + jumped;
      const p = k === n ? close : open * Math.exp(x);
      prices[k] = p;
      if (p > runHi) runHi = p;
      if (p < runLo) runLo = p;
      hi[k] = runHi;
      lo[k] = runLo;
    }
    const path: DayPath = { day, openTime: s.open, closeTime: s.close, prices, hi, lo };
    this.builds++;
    this.dayPaths.set(day, path);
    this.summaries.set(day, { open: prices[0] ?? open, high: runHi, low: runLo });
    // Least recently used eviction. Eight days covers what quotes touch at once (today, expiry days of expired
    // contracts still quoted); finished sessions are served from their summary, so they do not hold a slot.
    if (this.dayPaths.size > PATH_CACHE_DAYS) this.dayPaths.delete(this.dayPaths.keys().next().value as DayNum);
    return path;
  }

  /** The trading day whose session has ended by t (t on that day, at or after its close), or null. */
  private finished(t: number): DayNum | null {
    const { day } = utcToEt(t);
    if (!isTradingDay(day)) return null;
    const s = sessionOf(day);
    return s && t >= s.close ? day : null;
  }

  /** Where t falls: its trading day, the step index, and whether the session is running. */
  locate(t: number): { day: DayNum; path: DayPath | null; k: number; phase: 'pre' | 'open' | 'post' } {
    const { day } = utcToEt(t);
    if (!isTradingDay(day)) {
      const prev = prevTradingDay(day);
      return { day: prev, path: null, k: 0, phase: 'post' };
    }
    const s = sessionOf(day);
    if (!s || t < s.open) return { day, path: null, k: 0, phase: 'pre' };
    const path = this.dayPath(day);
    if (!path) return { day, path: null, k: 0, phase: 'pre' };
    if (t >= s.close) return { day, path, k: path.prices.length - 1, phase: 'post' };
    const k = Math.min(path.prices.length - 1, Math.floor((t - s.open) / this.stepMs));
    return { day, path, k, phase: 'open' };
  }

  /** Price at an instant (the prior close before the open, the close after it). */
  priceAt(t: number): number {
    const post = this.finished(t);
    if (post !== null) return this.bar(post).close;
    const loc = this.locate(t);
    if (loc.phase === 'pre') return this.prevClose(loc.day);
    if (!loc.path) return this.bar(loc.day).close;
    return loc.path.prices[loc.k] ?? this.bar(loc.day).close;
  }

  /** Session statistics at an instant: open, high, low so far, prior close, volume fraction. */
  sessionStats(t: number): { day: DayNum; open: number; high: number; low: number; prevClose: number; volumeFraction: number; phase: 'pre' | 'open' | 'post' } {
    const post = this.finished(t);
    if (post !== null) {
      const sum = this.summaries.get(post) ?? (this.dayPath(post), this.summaries.get(post));
      const prevClose = this.prevClose(post);
      if (sum) return { day: post, open: sum.open, high: sum.high, low: sum.low, prevClose, volumeFraction: 1, phase: 'post' };
    }
    const loc = this.locate(t);
    const prevClose = this.prevClose(loc.day);
    if (loc.phase === 'pre' || !loc.path) {
      return { day: loc.day, open: prevClose, high: prevClose, low: prevClose, prevClose, volumeFraction: loc.phase === 'pre' ? 0 : 1, phase: loc.phase };
    }
    const p = loc.path;
    const n = p.prices.length - 1;
    return {
      day: loc.day,
      open: p.prices[0] ?? prevClose,
      high: p.hi[loc.k] ?? prevClose,
      low: p.lo[loc.k] ?? prevClose,
      prevClose,
      volumeFraction: volumeFraction(loc.k / n),
      phase: loc.phase,
    };
  }
}
