// The market model: one seeded, clock-free view of every underlying and option, queried by instant.
// Length (~550 lines): universe, paths, surface and pricer are their own modules; this is the one cache-owning view over
// them, and its lookups (contracts, quotes, sessions) share those caches.
import { type DayNum, isTradingDay, nextTradingDay, parseYmd, prevTradingDay, sessionOf, utcToEt } from './calendar';
import type { OptionClassConfig, SimConfig, UnderlyingConfig } from './config';
import { MarketFactor, PricePath } from './paths';
import { impliedVolNear, optionPriceOnly, optionValue } from './pricer';
import { Scenario } from './scenario';
import { hash32, hashString, uniform } from './rng';
import { atmVol, smileVol, spotVolFactor } from './surface';
import { ceilTick, cents, floorTick, nextTickUp, tickAt } from './ticks';
import { decodeOptionConId, listExpiries, listStrikes, makeOption, type OptionClassInfo, type OptionContract, type Right, YEAR_MS } from './universe';

export interface UnderlyingQuote {
  conId: number;
  isIndex: boolean;
  last: number;
  lastSize: number;
  /** Index quotes have no bid/ask: both −1 then, sizes 0. */
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  high: number;
  low: number;
  open: number;
  close: number;
  volume: number;
  lastTime: number;
  phase: 'pre' | 'open' | 'post';
}

export interface OptionQuote {
  conId: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  last: number;
  lastSize: number;
  lastTime: number;
  volume: number;
  high: number;
  low: number;
  open: number;
  close: number;
  openInterest: number;
  theo: number;
  iv: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  undPrice: number;
  pvDividend: number;
  /** IVs implied by the bid, ask and last: the model's price inverted exactly at each; null when no volatility gives it. */
  bidIv: number | null;
  askIv: number | null;
  lastIv: number | null;
  /** False once the option has expired (quotes then show intrinsic value at settlement). */
  tradable: boolean;
}

/** A query for options; unset fields match everything. */
export interface OptionQuery {
  symbol?: string;
  tradingClass?: string;
  /** YYYYMMDD for one expiry, YYYYMM for a month. */
  expiry?: string;
  strike?: number;
  right?: Right;
  multiplier?: number;
  exchange?: string;
  localSymbol?: string;
}

const TRADE_SLOT_MS = 5_000;
const MIN_T_MS = 60_000;
const SIZE_BUCKET_MS = 1_000;

export class MarketModel {
  readonly paths = new Map<string, PricePath>();
  /** Practice overrides (gaps, vol shocks, wider quotes, IV noise, halts) applied over the seeded paths. */
  readonly scenario = new Scenario();
  private readonly bySymbol = new Map<string, UnderlyingConfig>();
  private readonly byUnderConId = new Map<number, UnderlyingConfig>();
  private readonly classesBySymbol = new Map<string, OptionClassInfo[]>();
  private readonly classBySlot = new Map<number, OptionClassInfo>();
  private readonly classByName = new Map<string, OptionClassInfo>();
  private readonly contracts = new Map<number, OptionContract>();
  private readonly strikeCache = new Map<string, number[]>();
  /** Per option: the prior close and today's open marks, keyed by day and scenario version. */
  private readonly dayMarks = new Map<number, { key: number; pre: boolean; close: number; open: number }>();
  /** Per option: the last trade found and the slot the search started from (see lastTrade). */
  private readonly tradeMemo = new Map<number, { from: number; version: number; found: { price: number; slot: number } | null }>();
  private readonly anchorDay: DayNum;

  constructor(
    readonly config: SimConfig,
    readonly seed: number,
  ) {
    this.anchorDay = parseYmd(config.anchorDate) ?? 0;
    const market = new MarketFactor(seed, config.marketJumps);
    for (const u of config.underlyings) {
      this.bySymbol.set(u.symbol, u);
      this.byUnderConId.set(u.conId, u);
      this.paths.set(u.symbol, new PricePath(u, seed, config.anchorDate, config.stepMs, market));
      const infos = u.classes.map((cfg) => ({ cfg, underlying: u }));
      this.classesBySymbol.set(u.symbol, infos);
      for (const info of infos) {
        this.classBySlot.set(info.cfg.slot, info);
        this.classByName.set(info.cfg.tradingClass, info);
      }
    }
  }

  get rate(): number {
    return this.config.rate;
  }

  underlyings(): readonly UnderlyingConfig[] {
    return this.config.underlyings;
  }

  underlying(symbol: string): UnderlyingConfig | undefined {
    return this.bySymbol.get(symbol.toUpperCase());
  }

  underlyingByConId(conId: number): UnderlyingConfig | undefined {
    return this.byUnderConId.get(conId);
  }

  classesOf(symbol: string): OptionClassInfo[] {
    return this.classesBySymbol.get(symbol.toUpperCase()) ?? [];
  }

  classByTradingClass(name: string): OptionClassInfo | undefined {
    return this.classByName.get(name.toUpperCase());
  }

  private path(u: UnderlyingConfig): PricePath {
    const p = this.paths.get(u.symbol);
    if (!p) throw new Error(`no path for ${u.symbol}`);
    return p;
  }

  /** The trading day whose listings apply at t: today while it trades, else the next trading day. */
  listingDay(t: number): DayNum {
    const { day } = utcToEt(t);
    if (!isTradingDay(day)) return nextTradingDay(day);
    const s = sessionOf(day);
    return s && t >= s.close ? nextTradingDay(day) : day;
  }

  /** Underlying price at t, in cents. */
  spot(u: UnderlyingConfig, t: number): number {
    return cents(this.price(u, t));
  }

  /** The path's price at t with the scenario's gaps applied (unrounded). */
  private price(u: UnderlyingConfig, t: number): number {
    const raw = this.path(u).priceAt(t);
    return this.scenario.hasGaps(u.symbol) ? raw * this.scenario.spotFactor(u.symbol, t) : raw;
  }

  /** Session statistics at t with the scenario's gaps applied: a gap moves the price, so high/low include it. */
  private stats(u: UnderlyingConfig, t: number): ReturnType<PricePath['sessionStats']> {
    const st = this.path(u).sessionStats(t);
    if (!this.scenario.hasGaps(u.symbol)) return st;
    const open = sessionOf(st.day)?.open ?? t;
    const fPrev = this.scenario.spotFactor(u.symbol, open - 1);
    const fOpen = this.scenario.spotFactor(u.symbol, open);
    const now = this.price(u, t);
    const moved = st.phase === 'pre' ? st.prevClose * fPrev : now;
    return { ...st, prevClose: st.prevClose * fPrev, open: st.open * fOpen, high: Math.max(st.high * fOpen, moved), low: Math.min(st.low * fOpen, moved) };
  }

  expiries(info: OptionClassInfo, day: DayNum): DayNum[] {
    return listExpiries(info.cfg, day);
  }

  /** Strikes listed for an expiry on a day, centered on the prior close (stable through the session). */
  strikes(info: OptionClassInfo, expiryDay: DayNum, day: DayNum): number[] {
    const key = `${info.cfg.slot}:${expiryDay}:${day}`;
    const hit = this.strikeCache.get(key);
    if (hit) return hit;
    const p = this.path(info.underlying);
    const open = sessionOf(day)?.open;
    const center = p.prevClose(day) * (open === undefined ? 1 : this.scenario.spotFactor(info.underlying.symbol, open - 1));
    const s = sessionOf(day);
    const contract = makeOption(info, expiryDay, info.cfg.strikeQuantum, 'C');
    const years = contract && s ? Math.max(contract.expiryInstant - s.open, MIN_T_MS) / YEAR_MS : 1 / 365;
    const atm = atmVol(info.underlying.iv, years, p.volFactor(day));
    const list = listStrikes(info.cfg, center, atm, years);
    if (this.strikeCache.size > 5000) this.strikeCache.clear();
    this.strikeCache.set(key, list);
    return list;
  }

  /** The option with this conid (listed or not, e.g. expired), or null when the conid is not an option here. */
  option(conId: number, refTime: number): OptionContract | null {
    const hit = this.contracts.get(conId);
    if (hit) return hit;
    const dec = decodeOptionConId(conId, utcToEt(refTime).day);
    if (!dec) return null;
    const info = this.classBySlot.get(dec.slot);
    if (!info) return null;
    const c = makeOption(info, dec.expiryDay, dec.strikeIndex * info.cfg.strikeQuantum, dec.right);
    if (!c || c.conId !== conId) return null;
    this.remember(c);
    return c;
  }

  private remember(c: OptionContract): void {
    if (this.contracts.size > 200_000) this.contracts.clear();
    this.contracts.set(c.conId, c);
  }

  /**
   * Whether an option is a live listing: its expiry is listed today and its strike lies on the class's finest
   * strike step. Strikes listed on earlier days stay valid after the grid recentres (exchanges do not delist
   * strikes with open interest), so a conid that was ever listed keeps working until expiry.
   */
  isListed(c: OptionContract, t: number): boolean {
    const day = this.listingDay(t);
    if (c.lastTradeDay < day) return false;
    if (!this.expiries(c.cls, day).includes(c.expiryDay)) return false;
    const finest = Math.min(...c.cls.cfg.bands.map((b) => b.step));
    const n = c.strike / finest;
    return Math.abs(n - Math.round(n)) < 1e-9;
  }

  /** All listed options matching a query, ordered by class, expiry, strike, right (C before P). */
  findOptions(q: OptionQuery, t: number): OptionContract[] {
    const day = this.listingDay(t);
    let infos: OptionClassInfo[];
    if (q.symbol) infos = this.classesOf(q.symbol);
    else if (q.tradingClass) infos = this.classByTradingClass(q.tradingClass) ? [this.classByTradingClass(q.tradingClass) as OptionClassInfo] : [];
    else if (q.localSymbol) infos = [...this.classBySlot.values()];
    else return [];
    if (q.tradingClass) infos = infos.filter((i) => i.cfg.tradingClass === q.tradingClass?.toUpperCase());
    if (q.multiplier !== undefined) infos = infos.filter((i) => i.cfg.multiplier === q.multiplier);
    if (q.exchange && q.exchange !== 'SMART') infos = infos.filter((i) => i.cfg.exchanges.includes(q.exchange?.toUpperCase() ?? ''));
    const out: OptionContract[] = [];
    const local = q.localSymbol?.toUpperCase().replace(/\s+/g, ' ').trim();
    for (const info of infos) {
      for (const e of this.expiries(info, day)) {
        const ymd = makeOption(info, e, info.cfg.strikeQuantum, 'C')?.expiry ?? '';
        if (q.expiry && !(q.expiry.length === 6 ? ymd.startsWith(q.expiry) : ymd === q.expiry)) continue;
        for (const k of this.strikes(info, e, day)) {
          if (q.strike !== undefined && Math.abs(q.strike - k) > 1e-6) continue;
          for (const r of ['C', 'P'] as const) {
            if (q.right && q.right !== r) continue;
            const c = makeOption(info, e, k, r);
            if (!c) continue;
            if (local && c.localSymbol.replace(/\s+/g, ' ').trim() !== local) continue;
            this.remember(c);
            out.push(c);
          }
        }
      }
    }
    return out;
  }

  /** Quote of an underlying (stock or index) at t. */
  underlyingQuote(u: UnderlyingConfig, t: number): UnderlyingQuote {
    const st = this.stats(u, t);
    const last = cents(this.price(u, t));
    const isIndex = u.secType === 'IND';
    const key = hashString(u.symbol);
    const bucket = Math.floor(t / SIZE_BUCKET_MS);
    const volume = Math.round(u.dailyVolume * st.volumeFraction);
    const slot = Math.floor(t / TRADE_SLOT_MS);
    const lastTime = Math.floor((st.phase === 'open' ? slot * TRADE_SLOT_MS : t) / 1000);
    const base = {
      conId: u.conId,
      isIndex,
      last,
      high: cents(st.high),
      low: cents(st.low),
      open: cents(st.open),
      close: cents(st.prevClose),
      lastTime,
      phase: st.phase,
    };
    if (isIndex) return { ...base, lastSize: 0, bid: -1, ask: -1, bidSize: 0, askSize: 0, volume: 0 };
    const half = Math.max(0.005, (last * u.halfSpreadBps) / 10_000);
    const bid = cents(Math.floor((last - half) * 100 + 1e-6) / 100);
    let ask = cents(Math.ceil((last + half) * 100 - 1e-6) / 100);
    if (ask <= bid) ask = cents(bid + 0.01);
    const lots = (salt: number, lo: number, hi: number): number => 100 * (lo + Math.floor(uniform(this.seed, key, bucket, salt) * (hi - lo + 1)));
    return { ...base, bid, ask, bidSize: lots(1, 1, 30), askSize: lots(2, 1, 30), lastSize: lots(3, 1, 10), volume };
  }

  /** Time to expiry in years, floored at a minute so greeks stay finite on expiry day. */
  years(c: OptionContract, t: number): number {
    return Math.max(c.expiryInstant - t, MIN_T_MS) / YEAR_MS;
  }

  /** Model value, IV and greeks of an option at t (no bid/ask). */
  theoretical(c: OptionContract, t: number, spotOverride?: number): { theo: number; iv: number; delta: number; gamma: number; vega: number; theta: number; spot: number; years: number } {
    const { spot, years, r, q, iv } = this.inputs(c, t, spotOverride);
    const g = optionValue(c.cls.cfg.style === 'American', c.right === 'C', spot, c.strike, years, r, q, iv);
    return { theo: g.price, iv, delta: g.delta, gamma: g.gamma, vega: g.vega, theta: g.theta, spot, years };
  }

  /** Model value only (no greeks: a sixth of the work for American options), for day statistics and past trades. */
  private theoPrice(c: OptionContract, t: number, spotOverride?: number): { theo: number; years: number; intrinsic: number } {
    const { spot, years, r, q, iv } = this.inputs(c, t, spotOverride);
    const intrinsic = c.right === 'C' ? spot - c.strike : c.strike - spot;
    return { theo: optionPriceOnly(c.cls.cfg.style === 'American', c.right === 'C', spot, c.strike, years, r, q, iv), years, intrinsic };
  }

  /** The pricing inputs at t: spot (cents), years to expiry, rate, dividend yield and the surface's IV. */
  private inputs(c: OptionContract, t: number, spotOverride?: number): { spot: number; years: number; r: number; q: number; iv: number } {
    const u = c.cls.underlying;
    const p = this.path(u);
    const spot = spotOverride ?? cents(this.price(u, t));
    const st = this.stats(u, t);
    const years = this.years(c, t);
    const r = this.config.rate;
    const q = u.divYield;
    const atm = atmVol(u.iv, years, p.volFactor(st.day), spotVolFactor(u.iv, spot, st.open));
    const fwd = spot * Math.exp((r - q) * years);
    const sc = this.scenario;
    const shift = sc.volShift + sc.ivJitter(this.seed, c.conId, st.day);
    const iv = shift === 0 ? smileVol(u.iv, c.strike, fwd, years, atm) : Math.max(0.01, smileVol(u.iv, c.strike, fwd, years, atm) + shift);
    return { spot, years, r, q, iv };
  }

  /** Quoted width before rounding: widens with time value, with intrinsic value (deep in the money), and with time to expiry. */
  private width(cfg: OptionClassConfig, theo: number, years: number, intrinsic: number): number {
    const s = cfg.spread;
    const inner = Math.min(Math.max(intrinsic, 0), theo);
    const value = s.pct * (theo - inner) + (s.itmPct ?? s.pct) * inner;
    return Math.max(s.minWidth, s.base + value) * (1 + s.dteWiden * years) * this.scenario.widen;
  }

  /** Bid and ask around a theoretical value, on valid ticks, never locked or crossed. */
  bidAsk(c: OptionContract, theo: number, years: number, intrinsic = 0): { bid: number; ask: number } {
    const w = this.width(c.cls.cfg, theo, years, intrinsic);
    // An American option is worth at least its intrinsic value (exercise now), so no one sells it below that.
    const floor = c.cls.cfg.style === 'American' && intrinsic > 0 ? floorTick(c.tickRule, intrinsic) : 0;
    const bid = Math.max(floor, floorTick(c.tickRule, theo - w / 2));
    let ask = ceilTick(c.tickRule, theo + w / 2);
    const minAsk = bid > 0 ? nextTickUp(c.tickRule, bid) : tickAt(c.tickRule, 0);
    if (ask < minAsk) ask = minAsk;
    return { bid, ask };
  }

  /** Liquidity weight: highest at the money and in near expiries. */
  private liquidity(c: OptionContract, spot: number, iv: number, years: number): number {
    const x = Math.abs(Math.log(c.strike / spot)) / (iv * Math.sqrt(Math.max(years, 1 / 365)));
    return Math.exp(-0.35 * x) / (1 + 1.5 * years);
  }

  /** Settlement value of an expired option: intrinsic at the underlying price at the expiry instant. */
  settlementPrice(c: OptionContract): number {
    const s = this.settlementSpot(c);
    return cents(c.right === 'C' ? Math.max(0, s - c.strike) : Math.max(0, c.strike - s));
  }

  /** Underlying settlement price used for an expiry. */
  settlementSpot(c: OptionContract): number {
    return cents(this.price(c.cls.underlying, c.expiryInstant));
  }

  /** Full quote of an option at t. */
  optionQuote(c: OptionContract, t: number): OptionQuote {
    const u = c.cls.underlying;
    const tradable = t < c.expiryInstant;
    const th = this.theoretical(c, tradable ? t : c.expiryInstant - MIN_T_MS);
    const intrinsic = c.right === 'C' ? th.spot - c.strike : c.strike - th.spot;
    const { bid, ask } = tradable ? this.bidAsk(c, th.theo, th.years, intrinsic) : { bid: 0, ask: 0 };
    const st = this.stats(u, t);
    const liq = this.liquidity(c, th.spot, th.iv, th.years);
    const bucket = Math.floor(t / SIZE_BUCKET_MS);
    const cfg = c.cls.cfg;
    const size = (salt: number): number => Math.max(1, Math.round(cfg.size * liq * (0.3 + 1.4 * uniform(this.seed, c.conId, bucket, salt))));
    const bidSize = bid > 0 ? size(1) : 0;
    const askSize = tradable ? size(2) : 0;
    // Day statistics: prior close and open from the model at those instants; high/low from the underlying's range.
    const r = this.config.rate;
    const q = u.divYield;
    const dayOpenT = sessionOf(st.day)?.open ?? t;
    const prevDay = prevTradingDay(st.day);
    const prevCloseT = sessionOf(prevDay)?.close ?? t;
    // The prior close and today's open are fixed for the day (and the scenario in force): computed once.
    const dayKey = st.day * 4096 + (this.scenario.version & 4095);
    let day = this.dayMarks.get(c.conId);
    if (!day || day.key !== dayKey || day.pre !== (st.phase === 'pre')) {
      const cl = c.expiryInstant > prevCloseT ? cents(this.theoPrice(c, prevCloseT, st.prevClose).theo) : 0;
      const op = st.phase === 'pre' ? cl : cents(this.theoPrice(c, Math.min(dayOpenT, c.expiryInstant - MIN_T_MS), st.open).theo);
      day = { key: dayKey, pre: st.phase === 'pre', close: cl, open: op };
      if (this.dayMarks.size > 200_000) this.dayMarks.clear();
      this.dayMarks.set(c.conId, day);
    }
    const { close, open } = day;
    const oi = this.openInterest(c, st.day, th.spot, th.iv, th.years);
    const dailyVol = Math.round(oi * 0.25 * (0.5 + uniform(this.seed, c.conId, st.day, 7)));
    const volume = Math.round(dailyVol * st.volumeFraction);
    const lastTrade = st.phase === 'pre' ? null : this.lastTrade(c, Math.min(t, c.expiryInstant - 1), liq);
    const last = lastTrade?.price ?? close;
    const lastSize = lastTrade?.size ?? 0;
    const lastTime = lastTrade?.time ?? Math.floor(prevCloseT / 1000);
    const atHigh = c.right === 'C' ? st.high : st.low;
    const atLow = c.right === 'C' ? st.low : st.high;
    const yrs = th.years;
    const american = c.cls.cfg.style === 'American';
    const hiTheo = st.phase === 'pre' ? close : optionPriceOnly(american, c.right === 'C', atHigh, c.strike, yrs, r, q, th.iv);
    const loTheo = st.phase === 'pre' ? close : optionPriceOnly(american, c.right === 'C', atLow, c.strike, yrs, r, q, th.iv);
    const high = cents(Math.max(hiTheo, open, last));
    const low = cents(Math.min(loTheo, open, last));
    // The IV each price implies, exactly (the model inverted at that price), as TWS computes bid/ask/last IVs.
    const ivs: { bid?: number | null; ask?: number | null; last?: number | null } = {};
    const ivOnce = (k: 'bid' | 'ask' | 'last', px: number): number | null => {
      if (!(k in ivs)) ivs[k] = ivFrom(px);
      return ivs[k] ?? null;
    };
    const ivFrom = (px: number): number | null => impliedVolNear(american, c.right === 'C', px, th.spot, c.strike, yrs, r, q, th.iv, th.theo, th.vega);
    return {
      conId: c.conId,
      bid,
      ask,
      bidSize,
      askSize,
      last,
      lastSize,
      lastTime,
      volume,
      high,
      low,
      open,
      close,
      openInterest: oi,
      theo: th.theo,
      iv: th.iv,
      delta: th.delta,
      gamma: th.gamma,
      vega: th.vega,
      theta: th.theta,
      undPrice: th.spot,
      pvDividend: th.spot * (1 - Math.exp(-q * th.years)),
      // Solved on first read: only the streamed option-computation ticks ask, matching and marks do not.
      get bidIv(): number | null {
        return ivOnce('bid', tradable ? bid : 0);
      },
      get askIv(): number | null {
        return ivOnce('ask', tradable ? ask : 0);
      },
      get lastIv(): number | null {
        return ivOnce('last', last);
      },
      tradable,
    };
  }

  /** Open interest: heaviest at the money and around a month out, fixed for the day. */
  openInterest(c: OptionContract, day: DayNum, spot: number, iv: number, years: number): number {
    const x = Math.abs(Math.log(c.strike / spot)) / (iv * Math.sqrt(Math.max(years, 1 / 365)));
    const term = 0.3 + Math.exp(-Math.abs(years - 1 / 12) / 0.2);
    return Math.round(c.cls.cfg.openInterest * Math.exp(-0.5 * x) * term * (0.5 + uniform(this.seed, c.conId, day, 11)));
  }

  /**
   * The most recent simulated trade at or before t: trades happen in 5-second slots with a probability that
   * follows liquidity, at the bid or the ask of that moment. Looks back at most 10 minutes.
   */
  private lastTrade(c: OptionContract, t: number, liq: number): { price: number; size: number; time: number } | null {
    const p = Math.min(0.8, Math.max(0.04, 0.6 * liq));
    const s = sessionOf(utcToEt(t).day);
    const openSlot = s ? Math.ceil(s.open / TRADE_SLOT_MS) : -Infinity;
    const now = Math.floor(t / TRADE_SLOT_MS);
    const oldest = Math.max(now - 119, openSlot);
    // Streaming asks again every round with t a little later: the slots searched last time are not searched again.
    // Whether a slot traded is a pure function of (seed, conid, slot); the memo only skips re-deriving it.
    const memo = this.tradeMemo.get(c.conId);
    const usable = memo !== undefined && memo.version === this.scenario.version && memo.from <= now && memo.from >= oldest - 1;
    let found: { price: number; slot: number } | null = null;
    let j = now;
    const stop = usable ? Math.max(memo.from + 1, oldest) : oldest;
    for (; j >= stop; j--) {
      if (uniform(this.seed, c.conId, j, 21) >= p) continue;
      const tt = j * TRADE_SLOT_MS;
      const th = this.theoPrice(c, tt);
      const { bid, ask } = this.bidAsk(c, th.theo, th.years, th.intrinsic);
      const atAsk = (hash32(this.seed, c.conId, j, 22) & 1) === 1;
      found = { price: atAsk || bid <= 0 ? ask : bid, slot: j };
      break;
    }
    // Nothing since the last search: the trade found then holds while it is still inside the look-back window
    // and the same session. The price at a slot is a pure function of the slot (and the scenario, checked above);
    // the size follows today's liquidity, so it is drawn at return.
    if (!found && usable && memo.found && memo.found.slot >= oldest) found = memo.found;
    if (memo === undefined || usable || now > memo.from) {
      if (this.tradeMemo.size > 200_000) this.tradeMemo.clear();
      this.tradeMemo.set(c.conId, { from: now, version: this.scenario.version, found });
    }
    if (!found) return null;
    const size = 1 + Math.floor(uniform(this.seed, c.conId, found.slot, 23) * Math.max(1, c.cls.cfg.size * liq * 0.3));
    return { price: found.price, size, time: Math.floor((found.slot * TRADE_SLOT_MS) / 1000) };
  }

  /** Sum of open interest and volume over an underlying's listed chain near the money (for generic ticks 100/101). */
  chainTotals(u: UnderlyingConfig, t: number): { callVolume: number; putVolume: number; callOi: number; putOi: number } {
    const day = this.listingDay(t);
    let callVolume = 0;
    let putVolume = 0;
    let callOi = 0;
    let putOi = 0;
    const spot = this.spot(u, t);
    const st = this.stats(u, t);
    for (const info of this.classesOf(u.symbol)) {
      for (const e of this.expiries(info, day).slice(0, 6)) {
        for (const k of this.strikes(info, e, day)) {
          if (Math.abs(k / spot - 1) > 0.1) continue;
          for (const r of ['C', 'P'] as const) {
            const c = makeOption(info, e, k, r);
            if (!c) continue;
            const years = this.years(c, t);
            const oi = this.openInterest(c, st.day, spot, u.iv.atmShort, years);
            const vol = Math.round(oi * 0.25 * st.volumeFraction);
            if (r === 'C') {
              callOi += oi;
              callVolume += vol;
            } else {
              putOi += oi;
              putVolume += vol;
            }
          }
        }
      }
    }
    return { callVolume, putVolume, callOi, putOi };
  }

  /** 30-day ATM implied vol of an underlying (generic tick 106 on the underlying). */
  impliedVol30(u: UnderlyingConfig, t: number): number {
    const p = this.path(u);
    const st = this.stats(u, t);
    return Math.max(0.01, atmVol(u.iv, 30 / 365, p.volFactor(st.day), spotVolFactor(u.iv, this.spot(u, t), st.open)) + this.scenario.volShift);
  }

  /** The anchor day of the price paths. */
  get anchor(): DayNum {
    return this.anchorDay;
  }
}
