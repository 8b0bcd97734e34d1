// Market-data subscriptions: line budget, streaming diffs, snapshots, delayed data, generic ticks.
import { comboNatural } from '../../core/sim/matching';
import type { MarketModel, OptionQuote, UnderlyingQuote } from '../../core/sim/model';
import { uniform } from '../../core/sim/rng';
import { conIdOf, type Instrument, resolveContract, type Single } from './contracts';
import type { Session } from './session';
import * as enc from './wire/encode';
import type { WireContract } from './wire/types';

/** Tick ids (TickType) used here. */
const T = {
  BID_SIZE: 0, BID: 1, ASK: 2, ASK_SIZE: 3, LAST: 4, LAST_SIZE: 5, HIGH: 6, LOW: 7, VOLUME: 8, CLOSE: 9,
  BID_OPTION: 10, ASK_OPTION: 11, LAST_OPTION: 12, MODEL_OPTION: 13, OPEN: 14, OPTION_HIST_VOL: 23, OPTION_IMPLIED_VOL: 24,
  OPTION_CALL_OI: 27, OPTION_PUT_OI: 28, OPTION_CALL_VOLUME: 29, OPTION_PUT_VOLUME: 30, MARK_PRICE: 37, LAST_TIMESTAMP: 45,
  SHORTABLE: 46, RT_VOLUME: 48, RT_HIST_VOL: 58, DIVIDENDS: 59,
} as const;

/** Live tick id → delayed tick id (reqMarketDataType 3/4). */
const DELAYED: Record<number, number> = { 0: 69, 1: 66, 2: 67, 3: 70, 4: 68, 5: 71, 6: 72, 7: 73, 8: 74, 9: 75, 14: 76, 10: 80, 11: 81, 12: 82, 13: 83, 45: 88 };

/** Generic tick lists TWS accepts (a subset is simulated; the rest are accepted and stay silent). */
const LEGAL_GENERIC = [100, 101, 104, 105, 106, 107, 125, 165, 166, 221, 225, 232, 233, 236, 258, 291, 293, 294, 295, 318, 375, 377, 381, 384, 387, 388, 391, 407, 411, 428, 439, 456, 459, 460, 499, 506, 511, 512, 513, 514, 515, 516, 517, 545, 576, 577, 578, 584, 585, 587, 588, 589, 590, 591, 592, 593, 594, 595, 614, 619];

const DELAY_MS = 15 * 60_000;

interface Sub {
  session: Session;
  reqId: number;
  inst: Instrument;
  snapshot: boolean;
  generic: Set<number>;
  delayed: boolean;
  frozen: boolean;
  /** Last value sent per tick key; only changes go out. */
  sent: Map<number, string>;
  timer: NodeJS.Timeout | null;
  openedAt: number;
}

export interface MarketDataOptions {
  lineBudget: number;
  snapshotLatencyMs: { min: number; max: number };
}

export interface MarketDataHost {
  readonly model: MarketModel;
  readonly seed: number;
  simNow(): number;
  /** False during an injected connectivity loss: no market data flows. */
  dataFlowing(): boolean;
  /** The number of lines in use changed (statistics observers). */
  linesChanged?(): void;
}

export class MarketDataHub {
  private readonly subs = new Map<Session, Map<number, Sub>>();
  private lines = 0;
  private snapshotCounter = 0;
  ticksSent = 0;

  constructor(
    private readonly host: MarketDataHost,
    readonly opts: MarketDataOptions,
  ) {}

  get linesInUse(): number {
    return this.lines;
  }

  linesOf(session: Session): number {
    return this.subs.get(session)?.size ?? 0;
  }

  subscriptionsOf(session: Session): { reqId: number; conIds: number[]; snapshot: boolean }[] {
    return [...(this.subs.get(session)?.values() ?? [])].map((s) => ({
      reqId: s.reqId,
      conIds: s.inst.kind === 'bag' ? s.inst.legs.map((l) => conIdOf(l.inst)) : [conIdOf(s.inst)],
      snapshot: s.snapshot,
    }));
  }

  request(session: Session, reqId: number, contract: WireContract, genericTicks: string, snapshot: boolean, regulatory: boolean): void {
    const mine = this.subs.get(session) ?? new Map<number, Sub>();
    if (mine.has(reqId)) {
      session.error(reqId, 102, 'Duplicate ticker ID.');
      return;
    }
    const generic = new Set<number>();
    for (const part of genericTicks.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      const n = Number(part);
      if (!Number.isInteger(n) || !LEGAL_GENERIC.includes(n)) {
        session.error(reqId, 321, `Error validating request.-'bO' : cause - Incorrect generic tick list of ${part}.  Legal ones for (${contract.secType || 'STK'}) are: ${LEGAL_GENERIC.join(',')}`);
        return;
      }
      generic.add(n);
    }
    const isSnap = snapshot || regulatory;
    if (isSnap && generic.size > 0) {
      session.error(reqId, 321, "Error validating request.-'bQ' : cause - Snapshot market data subscription is not applicable to generic ticks");
      return;
    }
    const t = this.host.simNow();
    const res = resolveContract(this.host.model, contract, t);
    if (!res.ok) {
      session.error(reqId, res.code, res.message);
      return;
    }
    if (this.lines >= this.opts.lineBudget) {
      session.error(reqId, 101, 'Max number of tickers has been reached.');
      return;
    }
    const type = session.marketDataType;
    const sub: Sub = { session, reqId, inst: res.inst, snapshot: isSnap, generic, delayed: type === 3 || type === 4, frozen: type === 2 || type === 4, sent: new Map(), timer: null, openedAt: t };
    mine.set(reqId, sub);
    this.subs.set(session, mine);
    this.lines++;
    this.host.linesChanged?.();
    if (isSnap) {
      const { min, max } = this.opts.snapshotLatencyMs;
      const wait = min + (max - min) * uniform(this.host.seed, session.connId, reqId, this.snapshotCounter++);
      sub.timer = setTimeout(() => this.finishSnapshot(sub), Math.max(0, wait));
      return;
    }
    this.emit(sub, true);
  }

  private finishSnapshot(sub: Sub): void {
    sub.timer = null;
    if (!this.remove(sub.session, sub.reqId)) return;
    if (!sub.session.isReady) return;
    try {
      this.emit(sub, true);
    } catch (e) {
      sub.session.error(sub.reqId, 322, `Error processing request.-'snapshot' : cause - ${e instanceof Error ? e.message : String(e)}`);
    }
    sub.session.send(enc.tickSnapshotEnd(sub.reqId));
  }

  cancel(session: Session, reqId: number): void {
    if (!this.remove(session, reqId)) session.error(reqId, 300, `Can't find EId with tickerId:${reqId}`);
  }

  private remove(session: Session, reqId: number): boolean {
    const mine = this.subs.get(session);
    const sub = mine?.get(reqId);
    if (!mine || !sub) return false;
    if (sub.timer) clearTimeout(sub.timer);
    mine.delete(reqId);
    if (mine.size === 0) this.subs.delete(session);
    this.lines--;
    this.host.linesChanged?.();
    return true;
  }

  /** Releases everything a session holds (disconnect, or "data lost" after a connectivity break). */
  dropSession(session: Session): void {
    const mine = this.subs.get(session);
    if (!mine) return;
    for (const reqId of [...mine.keys()]) this.remove(session, reqId);
  }

  dropAll(): void {
    for (const s of [...this.subs.keys()]) this.dropSession(s);
  }

  private roundRunning = false;

  /**
   * One publishing round: every streaming subscription gets the ticks that changed. Timer-driven rounds
   * work in slices of a few milliseconds and yield between them; a round still running when the next is
   * due makes that one skip (the diff state conflates the missed changes). `sync` runs the whole round now.
   */
  publish(sync = true): number {
    if (!this.host.dataFlowing() || this.roundRunning) return 0;
    const before = this.ticksSent;
    const work: Sub[] = [];
    for (const [session, mine] of this.subs) {
      if (!session.isReady || session.congested) continue;
      for (const sub of mine.values()) if (!sub.snapshot && !sub.frozen) work.push(sub);
    }
    const cache = new Map<string, UnderlyingQuote | OptionQuote>();
    if (sync) {
      for (const sub of work) this.emit(sub, false, cache);
      return this.ticksSent - before;
    }
    this.roundRunning = true;
    let i = 0;
    const slice = (): void => {
      const until = performance.now() + 8;
      for (; i < work.length && performance.now() < until; ) {
        const end = Math.min(work.length, i + 32);
        for (; i < end; i++) {
          const sub = work[i];
          if (!sub || this.subs.get(sub.session)?.get(sub.reqId) !== sub || !sub.session.isReady) continue;
          try {
            this.emit(sub, false, cache);
          } catch {
            // A failing quote must not stop the round for everyone else; the next round retries it.
          }
        }
      }
      if (i < work.length) setImmediate(slice);
      else this.roundRunning = false;
    };
    slice();
    return this.ticksSent - before;
  }

  private quoteOf(s: Single, t: number, cache?: Map<string, UnderlyingQuote | OptionQuote>): UnderlyingQuote | OptionQuote {
    const key = `${conIdOf(s)}@${t}`;
    const hit = cache?.get(key);
    if (hit) return hit;
    const m = this.host.model;
    const q = s.kind === 'underlying' ? m.underlyingQuote(s.u, t) : m.optionQuote(s.c, t);
    cache?.set(key, q);
    return q;
  }

  /** Sends the subscription's ticks: all of them when `full`, else only those that changed. */
  private emit(sub: Sub, full: boolean, cache?: Map<string, UnderlyingQuote | OptionQuote>): void {
    const now = this.host.simNow();
    const t = sub.delayed ? now - DELAY_MS : now;
    const session = sub.session;
    const sv = session.serverVersion;
    const id = sub.reqId;
    const tt = (n: number): number => (sub.delayed ? (DELAYED[n] ?? n) : n);
    const put = (key: number, value: string, fields: () => enc.Fields): void => {
      if (!full && sub.sent.get(key) === value) return;
      sub.sent.set(key, value);
      session.send(fields());
      this.ticksSent++;
    };
    if (full) {
      const open = this.isOpen(sub.inst, now);
      const type = sub.delayed ? (sub.frozen && !open ? 4 : 3) : sub.frozen && !open ? 2 : 1;
      session.send(enc.marketDataType(id, type));
      session.send(enc.tickReqParams(id, this.minTick(sub.inst), '9c0001', 3));
    }
    const inst = sub.inst;
    // A halted underlying's quotes freeze where they were (a first full send still goes out).
    if (!full && this.host.model.scenario.isHalted(inst.kind === 'underlying' ? inst.u.symbol : inst.kind === 'option' ? inst.c.cls.underlying.symbol : inst.symbol)) return;
    if (inst.kind === 'bag') {
      this.emitBag(sub, inst, t, put, tt, cache);
      return;
    }
    const q = this.quoteOf(inst, t, cache);
    const isOption = inst.kind === 'option';
    if (q.bid >= 0 || !('isIndex' in q) || !q.isIndex) {
      put(1, `${q.bid}|${q.bidSize}`, () => enc.tickPrice(id, tt(T.BID), q.bid, q.bidSize, 1));
      // @stoqey/ib does not derive BID_SIZE from tickPrice(BID): send the size on its own too.
      put(1001, `${q.bidSize}`, () => enc.tickSize(id, tt(T.BID_SIZE), q.bidSize));
      put(2, `${q.ask}|${q.askSize}`, () => enc.tickPrice(id, tt(T.ASK), q.ask, q.askSize, 1));
      put(1003, `${q.askSize}`, () => enc.tickSize(id, tt(T.ASK_SIZE), q.askSize));
    }
    put(4, `${q.last}|${q.lastTime}`, () => enc.tickPrice(id, tt(T.LAST), q.last, q.lastSize, 0));
    put(1005, `${q.lastSize}|${q.lastTime}`, () => enc.tickSize(id, tt(T.LAST_SIZE), q.lastSize));
    put(6, `${q.high}`, () => enc.tickPrice(id, tt(T.HIGH), q.high, 0, 0));
    put(7, `${q.low}`, () => enc.tickPrice(id, tt(T.LOW), q.low, 0, 0));
    put(1008, `${q.volume}`, () => enc.tickSize(id, tt(T.VOLUME), q.volume));
    put(9, `${q.close}`, () => enc.tickPrice(id, tt(T.CLOSE), q.close, 0, 0));
    put(14, `${q.open}`, () => enc.tickPrice(id, tt(T.OPEN), q.open, 0, 0));
    put(2045, `${q.lastTime}`, () => enc.tickString(id, tt(T.LAST_TIMESTAMP), String(q.lastTime)));
    if (isOption && 'theo' in q) {
      const base = { pvDividend: q.pvDividend, gamma: q.gamma, vega: q.vega, theta: q.theta, undPrice: q.undPrice };
      const comp = (key: number, tick: number, iv: number | null, price: number | null): void => {
        const c: enc.OptionComputation = { impliedVol: iv, delta: iv === null ? null : q.delta, optPrice: price, ...base };
        const f = enc.tickOptionComputation(sv, id, tt(tick), c);
        put(key, f.slice(3).join('|'), () => f);
      };
      comp(3010, T.BID_OPTION, q.bidIv, q.bid > 0 ? q.bid : null);
      comp(3011, T.ASK_OPTION, q.askIv, q.ask > 0 ? q.ask : null);
      comp(3012, T.LAST_OPTION, q.lastIv, q.last > 0 ? q.last : null);
      comp(3013, T.MODEL_OPTION, q.iv, q.theo);
      const g = sub.generic;
      const right = inst.c.right;
      if (g.has(100)) put(1029, `${q.volume}`, () => enc.tickSize(id, right === 'C' ? T.OPTION_CALL_VOLUME : T.OPTION_PUT_VOLUME, q.volume));
      if (g.has(101)) put(1027, `${q.openInterest}`, () => enc.tickSize(id, right === 'C' ? T.OPTION_CALL_OI : T.OPTION_PUT_OI, q.openInterest));
      if (g.has(104)) put(4023, 'hv', () => enc.tickGeneric(id, T.OPTION_HIST_VOL, inst.c.cls.underlying.realizedVol));
      if (g.has(106)) put(4024, `${q.iv.toPrecision(6)}`, () => enc.tickGeneric(id, T.OPTION_IMPLIED_VOL, q.iv));
      if (g.has(221)) put(37, `${q.theo.toFixed(4)}`, () => enc.tickPrice(id, T.MARK_PRICE, Math.round(q.theo * 10_000) / 10_000, 0, 0));
      return;
    }
    if (inst.kind !== 'underlying') return;
    const u = inst.u;
    const g = sub.generic;
    const m = this.host.model;
    if (g.has(100) || g.has(101)) {
      // Chain totals are costly; refresh them at most every 10 simulated seconds.
      const bucket = Math.floor(t / 10_000);
      if (full || sub.sent.get(9999) !== String(bucket)) {
        sub.sent.set(9999, String(bucket));
        const tot = m.chainTotals(u, t);
        if (g.has(100)) {
          put(1029, `${tot.callVolume}`, () => enc.tickSize(id, T.OPTION_CALL_VOLUME, tot.callVolume));
          put(1030, `${tot.putVolume}`, () => enc.tickSize(id, T.OPTION_PUT_VOLUME, tot.putVolume));
        }
        if (g.has(101)) {
          put(1027, `${tot.callOi}`, () => enc.tickSize(id, T.OPTION_CALL_OI, tot.callOi));
          put(1028, `${tot.putOi}`, () => enc.tickSize(id, T.OPTION_PUT_OI, tot.putOi));
        }
      }
    }
    if (g.has(104)) put(4023, 'hv', () => enc.tickGeneric(id, T.OPTION_HIST_VOL, u.realizedVol));
    if (g.has(106)) {
      const iv = m.impliedVol30(u, t);
      put(4024, iv.toPrecision(5), () => enc.tickGeneric(id, T.OPTION_IMPLIED_VOL, iv));
    }
    if (g.has(221)) {
      const mark = q.bid > 0 && q.ask > 0 ? Math.round(((q.bid + q.ask) / 2) * 1000) / 1000 : q.last;
      put(37, `${mark}`, () => enc.tickPrice(id, T.MARK_PRICE, mark, 0, 0));
    }
    if (g.has(233)) put(48, `${q.lastTime}`, () => enc.tickString(id, T.RT_VOLUME, `${q.last};${q.lastSize};${q.lastTime * 1000};${q.volume};${q.last};false`));
    if (g.has(236)) put(4046, 'sh', () => enc.tickGeneric(id, T.SHORTABLE, 3));
    if (g.has(411)) put(4058, 'rhv', () => enc.tickGeneric(id, T.RT_HIST_VOL, u.realizedVol * 100));
    if (g.has(456) && u.divYield > 0) {
      // TWS's layout: "past12,next12,nextDate,nextAmount" (e.g. "0.83,0.92,20130219,0.23"); quarterly payments here.
      const qd = Math.round(((q.last * u.divYield) / 4) * 100) / 100;
      const next = nextQuarterlyDate(t);
      put(59, `${qd}|${next}`, () => enc.tickString(id, T.DIVIDENDS, `${(qd * 4).toFixed(2)},${(qd * 4).toFixed(2)},${next},${qd.toFixed(2)}`));
    }
  }

  /** Natural combo quote from the legs: bid = Σ buys' bids − Σ sells' asks, and the mirror for the ask. */
  private emitBag(
    sub: Sub,
    inst: Extract<Instrument, { kind: 'bag' }>,
    t: number,
    put: (key: number, value: string, fields: () => enc.Fields) => void,
    tt: (n: number) => number,
    cache?: Map<string, UnderlyingQuote | OptionQuote>,
  ): void {
    // The combo's natural quote, as the order matcher computes it.
    const { bid, ask, bidSize: bs, askSize: as } = comboNatural(inst.legs, inst.legs.map((l) => this.quoteOf(l.inst, t, cache)));
    const id = sub.reqId;
    put(1, `${bid}|${bs}`, () => enc.tickPrice(id, tt(T.BID), bid, bs, 1));
    put(1001, `${bs}`, () => enc.tickSize(id, tt(T.BID_SIZE), bs));
    put(2, `${ask}|${as}`, () => enc.tickPrice(id, tt(T.ASK), ask, as, 1));
    put(1003, `${as}`, () => enc.tickSize(id, tt(T.ASK_SIZE), as));
  }

  private minTick(inst: Instrument): number {
    if (inst.kind === 'option') return inst.c.tickRule === 'nickel-dime' ? 0.05 : 0.01;
    return 0.01;
  }

  private isOpen(inst: Instrument, t: number): boolean {
    const u = inst.kind === 'underlying' ? inst.u : inst.kind === 'option' ? inst.c.cls.underlying : null;
    if (!u) return true;
    return this.host.model.paths.get(u.symbol)?.locate(t).phase === 'open';
  }
}

/** The simulated next dividend date after `t`: the 15th of the next March, June, September or December, as YYYYMMDD (UTC). */
export function nextQuarterlyDate(t: number): string {
  const d = new Date(t);
  let y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  // Quarter months are 2, 5, 8, 11 (0-based): this one while its 15th is still ahead, else the next.
  let next = m + (2 - (m % 3));
  if (next === m && d.getUTCDate() >= 15) next += 3;
  if (next > 11) {
    next -= 12;
    y++;
  }
  return `${y}${String(next + 1).padStart(2, '0')}15`;
}
