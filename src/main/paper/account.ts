// Account valuation and the account streams: positions, account summary, account updates, P&L.
// Length (~480 lines): the streams (summary, updates, positions, P&L and their *Multi forms) are views of one valuation
// and share its snapshot and push schedule.
import { formatEt, utcToEt } from '../../core/sim/calendar';
import { accountMargin, type MarginPosition } from '../../core/sim/margin';
import type { MarketModel } from '../../core/sim/model';
import { type BookPosition, unrealized } from '../../core/sim/books';
import type { Ledger, PositionRec } from './ledger';
import type { Session } from './session';
import * as enc from './wire/encode';

export interface Mark {
  mark: number;
  spot: number;
  multiplier: number;
  value: number;
  unrealized: number;
}

export interface AccountSnapshot {
  cash: number;
  stockValue: number;
  optionValue: number;
  longOptionValue: number;
  shortOptionValue: number;
  nlv: number;
  elv: number;
  gross: number;
  initMargin: number;
  maintMargin: number;
  available: number;
  excess: number;
  buyingPower: number;
  cushion: number;
  realizedToday: number;
  unrealized: number;
  marks: Map<number, Mark>;
}

/** Mark price (per share) and underlying price of a conid at t: mid for options (intrinsic once expired), last for stock. */
export function markOf(model: MarketModel, conId: number, t: number): { mark: number; spot: number; multiplier: number; margin: Omit<MarginPosition, 'qty' | 'conId'> } | null {
  const u = model.underlyingByConId(conId);
  if (u) {
    const q = model.underlyingQuote(u, t);
    return { mark: q.last, spot: q.last, multiplier: 1, margin: { secType: u.secType === 'IND' ? 'IND' : 'STK', underlying: u.symbol, broadIndex: u.secType === 'IND', multiplier: 1, mark: q.last, spot: q.last } };
  }
  const c = model.option(conId, t);
  if (!c) return null;
  const q = model.optionQuote(c, t);
  const mark = q.tradable ? Math.round(((q.bid + q.ask) / 2) * 10_000) / 10_000 : model.settlementPrice(c);
  const spot = q.undPrice;
  return {
    mark,
    spot,
    multiplier: c.multiplier,
    margin: { secType: 'OPT', underlying: c.symbol, broadIndex: c.cls.underlying.secType === 'IND', right: c.right, strike: c.strike, expiryDay: c.expiryDay, multiplier: c.multiplier, mark, spot },
  };
}

/** Values the account at t; `positions`/`cashDelta` allow hypothetical books (what-if, buying-power checks). */
export function valuation(model: MarketModel, ledger: Ledger, t: number, positions: Iterable<BookPosition> = ledger.positions.values(), cashDelta = 0): AccountSnapshot {
  const cash = ledger.cashDollars + cashDelta;
  let stockValue = 0;
  let longOptionValue = 0;
  let shortOptionValue = 0;
  let unr = 0;
  const marks = new Map<number, Mark>();
  const mpos: MarginPosition[] = [];
  for (const p of positions) {
    if (p.qty === 0) continue;
    const m = markOf(model, p.conId, t);
    if (!m) continue;
    const value = p.qty * m.mark * p.multiplier;
    const u = unrealized(p, m.mark);
    unr += u;
    marks.set(p.conId, { mark: m.mark, spot: m.spot, multiplier: p.multiplier, value, unrealized: u });
    if (m.margin.secType === 'OPT') {
      if (p.qty > 0) longOptionValue += value;
      else shortOptionValue += value;
    } else stockValue += value;
    mpos.push({ conId: p.conId, qty: p.qty, ...m.margin });
  }
  const margin = accountMargin(mpos);
  const optionValue = longOptionValue + shortOptionValue;
  const nlv = cash + stockValue + optionValue;
  // Reg-T equity with loan value excludes US option values: premiums paid leave it, credits received enter it.
  const elv = cash + stockValue;
  const available = elv - margin.initial;
  const excess = elv - margin.maintenance;
  return {
    cash, stockValue, optionValue, longOptionValue, shortOptionValue, nlv, elv,
    gross: Math.abs(stockValue) + longOptionValue - shortOptionValue,
    initMargin: margin.initial, maintMargin: margin.maintenance, available, excess,
    buyingPower: Math.max(0, available) * 4,
    cushion: nlv !== 0 ? excess / nlv : 0,
    realizedToday: ledger.realizedOn(utcToEt(t).day),
    unrealized: unr,
    marks,
  };
}

const money = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);

/** Account-summary tags and their values (the tags TWS documents for reqAccountSummary). */
export function summaryValues(s: AccountSnapshot): [string, string, string][] {
  return [
    ['AccountType', 'INDIVIDUAL', ''],
    ['NetLiquidation', money(s.nlv), 'USD'],
    ['TotalCashValue', money(s.cash), 'USD'],
    ['SettledCash', money(s.cash), 'USD'],
    ['AccruedCash', '0.00', 'USD'],
    ['BuyingPower', money(s.buyingPower), 'USD'],
    ['EquityWithLoanValue', money(s.elv), 'USD'],
    ['PreviousDayEquityWithLoanValue', money(s.elv), 'USD'],
    ['GrossPositionValue', money(s.gross), 'USD'],
    ['RegTEquity', money(s.elv), 'USD'],
    ['RegTMargin', money(s.initMargin), 'USD'],
    ['SMA', money(Math.max(0, s.available)), 'USD'],
    ['InitMarginReq', money(s.initMargin), 'USD'],
    ['MaintMarginReq', money(s.maintMargin), 'USD'],
    ['AvailableFunds', money(s.available), 'USD'],
    ['ExcessLiquidity', money(s.excess), 'USD'],
    ['Cushion', s.cushion.toFixed(4), ''],
    ['FullInitMarginReq', money(s.initMargin), 'USD'],
    ['FullMaintMarginReq', money(s.maintMargin), 'USD'],
    ['FullAvailableFunds', money(s.available), 'USD'],
    ['FullExcessLiquidity', money(s.excess), 'USD'],
    ['LookAheadNextChange', '0', ''],
    ['LookAheadInitMarginReq', money(s.initMargin), 'USD'],
    ['LookAheadMaintMarginReq', money(s.maintMargin), 'USD'],
    ['LookAheadAvailableFunds', money(s.available), 'USD'],
    ['LookAheadExcessLiquidity', money(s.excess), 'USD'],
    ['HighestSeverity', '0', ''],
    ['DayTradesRemaining', '-1', ''],
    ['Leverage', (s.nlv !== 0 ? s.gross / s.nlv : 0).toFixed(2), ''],
    ['RealizedPnL', money(s.realizedToday), 'USD'],
    ['UnrealizedPnL', money(s.unrealized), 'USD'],
  ];
}

/** Keys of reqAccountUpdates (account values). */
export function updateValues(s: AccountSnapshot, account: string): [string, string, string][] {
  return [
    ['AccountCode', account, ''],
    ['AccountReady', 'true', ''],
    ['AccountType', 'INDIVIDUAL', ''],
    ['Currency', 'USD', 'USD'],
    ['NetLiquidation', money(s.nlv), 'USD'],
    ['TotalCashValue', money(s.cash), 'USD'],
    ['CashBalance', money(s.cash), 'USD'],
    ['CashBalance', money(s.cash), 'BASE'],
    ['SettledCash', money(s.cash), 'USD'],
    ['EquityWithLoanValue', money(s.elv), 'USD'],
    ['BuyingPower', money(s.buyingPower), 'USD'],
    ['AvailableFunds', money(s.available), 'USD'],
    ['ExcessLiquidity', money(s.excess), 'USD'],
    ['InitMarginReq', money(s.initMargin), 'USD'],
    ['MaintMarginReq', money(s.maintMargin), 'USD'],
    ['GrossPositionValue', money(s.gross), 'USD'],
    ['OptionMarketValue', money(s.optionValue), 'USD'],
    ['StockMarketValue', money(s.stockValue), 'USD'],
    ['UnrealizedPnL', money(s.unrealized), 'USD'],
    ['RealizedPnL', money(s.realizedToday), 'USD'],
    ['Cushion', s.cushion.toFixed(4), ''],
  ];
}

export interface AccountStreamsHost {
  readonly model: MarketModel;
  readonly ledger: Ledger;
  readonly accountId: string;
  simNow(): number;
  wallNow(): number;
  /** Wall ms between periodic account-summary / account-update pushes (TWS: 3 minutes). */
  readonly accountUpdateIntervalMs: number;
  /** Wall ms between P&L messages (TWS: about a second). */
  readonly pnlIntervalMs: number;
}

/** The account subscriptions of all sessions. */
export class AccountStreams {
  private readonly positionSubs = new Set<Session>();
  /** Account summaries per session: tags and the wall time of the last push (each subscription gets one snapshot, then one per interval). */
  private readonly summarySubs = new Map<Session, Map<number, { tags: string[]; sentAt: number }>>();
  /** reqAccountUpdates subscribers and the wall time of their last full push. */
  private readonly updateSubs = new Map<Session, number>();
  /** reqPositionsMulti / reqAccountUpdatesMulti subscriptions per session: reqId → model code. */
  private readonly positionMultiSubs = new Map<Session, Map<number, string>>();
  private readonly updateMultiSubs = new Map<Session, Map<number, { modelCode: string; sentAt: number }>>();
  private readonly pnlSubs = new Map<Session, Set<number>>();
  private readonly pnlSingleSubs = new Map<Session, Map<number, number>>();
  private lastPeriodic = 0;
  private lastPnl = 0;

  constructor(private readonly host: AccountStreamsHost) {}

  dropSession(s: Session): void {
    this.positionSubs.delete(s);
    this.summarySubs.delete(s);
    this.updateSubs.delete(s);
    this.pnlSubs.delete(s);
    this.pnlSingleSubs.delete(s);
    this.positionMultiSubs.delete(s);
    this.updateMultiSubs.delete(s);
  }

  private snapshot(): AccountSnapshot {
    return valuation(this.host.model, this.host.ledger, this.host.simNow());
  }

  reqPositions(s: Session): void {
    this.positionSubs.add(s);
    for (const p of this.host.ledger.positions.values()) s.send(enc.position(this.host.accountId, p.contract, p.qty, p.avgCost));
    s.send(enc.positionEnd());
  }

  cancelPositions(s: Session): void {
    this.positionSubs.delete(s);
  }

  reqAccountSummary(s: Session, reqId: number, group: string, tags: string): void {
    const mine = this.summarySubs.get(s) ?? new Map<number, { tags: string[]; sentAt: number }>();
    if (mine.has(reqId)) {
      s.error(reqId, 322, `Error processing request.-'cs' : cause - Duplicate account summary request id ${reqId}`);
      return;
    }
    if (mine.size >= 2) {
      s.error(reqId, 322, "Error processing request.-'cs' : cause - Maximum number of account summary requests exceeded");
      return;
    }
    if (group !== 'All' && group !== '' && group !== this.host.accountId) {
      s.error(reqId, 321, `Error validating request.-'cs' : cause - Unknown group ${group}`);
      return;
    }
    const list = tags.split(',').map((x) => x.trim()).filter((x) => x !== '');
    mine.set(reqId, { tags: list, sentAt: this.host.wallNow() });
    this.summarySubs.set(s, mine);
    this.sendSummary(s, reqId, list, this.snapshot());
    s.send(enc.accountSummaryEnd(reqId));
  }

  private sendSummary(s: Session, reqId: number, tags: string[], snap: AccountSnapshot): void {
    const values = summaryValues(snap);
    const ledger = tags.some((t) => t.startsWith('$LEDGER'));
    for (const [tag, value, currency] of values) if (tags.includes(tag)) s.send(enc.accountSummary(reqId, this.host.accountId, tag, value, currency));
    if (ledger) {
      for (const cur of ['BASE', 'USD']) {
        s.send(enc.accountSummary(reqId, this.host.accountId, 'CashBalance', snap.cash.toFixed(2), cur));
        s.send(enc.accountSummary(reqId, this.host.accountId, 'TotalCashBalance', snap.cash.toFixed(2), cur));
        s.send(enc.accountSummary(reqId, this.host.accountId, 'NetLiquidationByCurrency', snap.nlv.toFixed(2), cur));
        s.send(enc.accountSummary(reqId, this.host.accountId, 'RealizedPnL', snap.realizedToday.toFixed(2), cur));
        s.send(enc.accountSummary(reqId, this.host.accountId, 'UnrealizedPnL', snap.unrealized.toFixed(2), cur));
      }
    }
  }

  cancelAccountSummary(s: Session, reqId: number): void {
    this.summarySubs.get(s)?.delete(reqId);
  }

  reqAccountUpdates(s: Session, subscribe: boolean, account: string): void {
    if (!subscribe) {
      this.updateSubs.delete(s);
      return;
    }
    if (account !== '' && account !== this.host.accountId) {
      s.error(-1, 321, `Error validating request.-'bB' : cause - Unknown account ${account}`);
      return;
    }
    // A repeated subscription re-sends the snapshot once; the periodic push waits a full interval from here.
    this.updateSubs.set(s, this.host.wallNow());
    this.sendUpdates(s, this.snapshot(), null);
    s.send(enc.accountDownloadEnd(this.host.accountId));
  }

  private knownAccount(account: string): boolean {
    return account === '' || account === 'All' || account === this.host.accountId;
  }

  /** reqPositionsMulti: the rows on this request id, then positionMultiEnd; later changes follow on the same id. */
  reqPositionsMulti(s: Session, reqId: number, account: string, modelCode: string): void {
    if (!this.knownAccount(account)) {
      s.error(reqId, 321, `Error validating request.-'cv' : cause - Unknown account ${account}`);
      return;
    }
    const mine = this.positionMultiSubs.get(s) ?? new Map<number, string>();
    mine.set(reqId, modelCode);
    this.positionMultiSubs.set(s, mine);
    for (const p of this.host.ledger.positions.values()) s.send(enc.positionMulti(reqId, this.host.accountId, p.contract, p.qty, p.avgCost, modelCode));
    s.send(enc.positionMultiEnd(reqId));
  }

  cancelPositionsMulti(s: Session, reqId: number): void {
    this.positionMultiSubs.get(s)?.delete(reqId);
  }

  /** reqAccountUpdatesMulti (ib_async sends it on every connect and waits for its End): the values once, then on change and per interval. */
  reqAccountUpdatesMulti(s: Session, reqId: number, account: string, modelCode: string): void {
    if (!this.knownAccount(account)) {
      s.error(reqId, 321, `Error validating request.-'cx' : cause - Unknown account ${account}`);
      return;
    }
    const mine = this.updateMultiSubs.get(s) ?? new Map<number, { modelCode: string; sentAt: number }>();
    mine.set(reqId, { modelCode, sentAt: this.host.wallNow() });
    this.updateMultiSubs.set(s, mine);
    this.sendUpdatesMulti(s, reqId, modelCode, this.snapshot());
    s.send(enc.accountUpdateMultiEnd(reqId));
  }

  cancelAccountUpdatesMulti(s: Session, reqId: number): void {
    this.updateMultiSubs.get(s)?.delete(reqId);
  }

  private sendUpdatesMulti(s: Session, reqId: number, modelCode: string, snap: AccountSnapshot): void {
    for (const [k, v, c] of updateValues(snap, this.host.accountId)) s.send(enc.accountUpdateMulti(reqId, this.host.accountId, modelCode, k, v, c));
  }

  private sendUpdates(s: Session, snap: AccountSnapshot, only: number | null): void {
    for (const [k, v, c] of updateValues(snap, this.host.accountId)) s.send(enc.accountValue(k, v, c, this.host.accountId));
    for (const p of this.host.ledger.positions.values()) {
      if (only !== null && p.conId !== only) continue;
      this.sendPortfolio(s, p, snap);
    }
    const { msOfDay } = utcToEt(this.host.simNow());
    const hh = Math.floor(msOfDay / 3_600_000);
    const mm = Math.floor((msOfDay % 3_600_000) / 60_000);
    s.send(enc.accountUpdateTime(`${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}`));
  }

  private sendPortfolio(s: Session, p: PositionRec, snap: AccountSnapshot): void {
    const m = snap.marks.get(p.conId);
    const mark = m?.mark ?? 0;
    const realized = p.realizedDay === utcToEt(this.host.simNow()).day ? p.realizedToday : 0;
    const contract = p.contract.secType === 'STK' ? { ...p.contract, exchange: '' } : p.contract;
    s.send(enc.portfolioValue(contract, p.qty, mark, m?.value ?? 0, p.avgCost, m?.unrealized ?? 0, realized, this.host.accountId));
  }

  reqPnL(s: Session, reqId: number): void {
    const mine = this.pnlSubs.get(s) ?? new Set<number>();
    mine.add(reqId);
    this.pnlSubs.set(s, mine);
    this.sendPnl(s, reqId, this.snapshot());
  }

  cancelPnL(s: Session, reqId: number): void {
    this.pnlSubs.get(s)?.delete(reqId);
  }

  reqPnLSingle(s: Session, reqId: number, conId: number): void {
    const mine = this.pnlSingleSubs.get(s) ?? new Map<number, number>();
    mine.set(reqId, conId);
    this.pnlSingleSubs.set(s, mine);
    this.sendPnlSingle(s, reqId, conId, this.snapshot());
  }

  cancelPnLSingle(s: Session, reqId: number): void {
    this.pnlSingleSubs.get(s)?.delete(reqId);
  }

  /**
   * Daily P&L of a conid: its value now, plus today's cash flows from trading it, minus its value at the start
   * of the day (the quantity held then, at the prior close). Summed over conids for the account.
   */
  private daily(snap: AccountSnapshot, conId: number | null): number {
    const t = this.host.simNow();
    const day = utcToEt(t).day;
    const flows = new Map<number, { cash: number; qty: number }>();
    for (const e of this.host.ledger.executions) {
      if (e.day !== day || e.isCombo) continue;
      const f = flows.get(e.contract.conId) ?? { cash: 0, qty: 0 };
      const mult = Number(e.contract.multiplier) || 1;
      const sign = e.side === 'BOT' ? 1 : -1;
      f.cash += -sign * e.shares * e.price * mult - e.commission;
      f.qty += sign * e.shares;
      flows.set(e.contract.conId, f);
    }
    const ids = conId !== null ? [conId] : [...new Set([...this.host.ledger.positions.keys(), ...flows.keys()])];
    let total = 0;
    for (const id of ids) {
      const p = this.host.ledger.positions.get(id);
      const f = flows.get(id) ?? { cash: 0, qty: 0 };
      const now = snap.marks.get(id)?.value ?? 0;
      const qtySod = (p?.qty ?? 0) - f.qty;
      let sod = 0;
      if (qtySod !== 0) {
        const close = this.closeMark(id, t);
        sod = qtySod * close * (p?.multiplier ?? 1);
      }
      total += now + f.cash - sod;
    }
    return Math.round(total * 100) / 100;
  }

  /** The prior close of a conid (the reference for daily P&L). */
  private closeMark(conId: number, t: number): number {
    const m = this.host.model;
    const u = m.underlyingByConId(conId);
    if (u) return m.underlyingQuote(u, t).close;
    const c = m.option(conId, t);
    return c ? m.optionQuote(c, t).close : 0;
  }

  /** Kept for callers that announce new positions; daily P&L is derived from today's executions. */
  positionOpened(_conId: number): void {}

  private sendPnl(s: Session, reqId: number, snap: AccountSnapshot): void {
    s.send(enc.pnl(s.serverVersion, reqId, this.daily(snap, null), snap.unrealized, snap.realizedToday));
  }

  private sendPnlSingle(s: Session, reqId: number, conId: number, snap: AccountSnapshot): void {
    const p = this.host.ledger.positions.get(conId);
    const m = snap.marks.get(conId);
    const day = utcToEt(this.host.simNow()).day;
    const realized = p && p.realizedDay === day ? p.realizedToday : 0;
    s.send(enc.pnlSingle(s.serverVersion, reqId, p?.qty ?? 0, this.daily(snap, conId), m?.unrealized ?? 0, realized, m?.value ?? 0));
  }

  /** A position changed: position subscribers get its row, account-update subscribers the row and fresh values. */
  positionChanged(conId: number, contract: PositionRec['contract']): void {
    const p = this.host.ledger.positions.get(conId);
    for (const s of this.positionSubs) s.send(enc.position(this.host.accountId, p?.contract ?? contract, p?.qty ?? 0, p?.avgCost ?? 0));
    for (const [s, m] of this.positionMultiSubs) for (const [id, model] of m) s.send(enc.positionMulti(id, this.host.accountId, p?.contract ?? contract, p?.qty ?? 0, p?.avgCost ?? 0, model));
    if (this.updateSubs.size === 0 && this.updateMultiSubs.size === 0) return;
    const snap = this.snapshot();
    for (const [s, m] of this.updateMultiSubs) for (const [id, sub] of m) this.sendUpdatesMulti(s, id, sub.modelCode, snap);
    for (const s of this.updateSubs.keys()) {
      if (p) this.sendPortfolio(s, p, snap);
      else s.send(enc.portfolioValue(contract, 0, 0, 0, 0, 0, 0, this.host.accountId));
      for (const [k, v, c] of updateValues(snap, this.host.accountId)) s.send(enc.accountValue(k, v, c, this.host.accountId));
    }
  }

  /** Periodic pushes: P&L about once a second, account summary and updates every interval. */
  tick(): void {
    const wall = this.host.wallNow();
    const dueP = wall - this.lastPnl >= this.host.pnlIntervalMs;
    // Checked once a second; each subscription is then due a full interval after its own last push.
    const dueA = wall - this.lastPeriodic >= Math.min(1000, this.host.accountUpdateIntervalMs);
    if (!dueP && !dueA) return;
    const anyP = this.pnlSubs.size > 0 || this.pnlSingleSubs.size > 0;
    const anyA = this.summarySubs.size > 0 || this.updateSubs.size > 0 || this.updateMultiSubs.size > 0;
    if (!(dueP && anyP) && !(dueA && anyA)) return;
    const snap = this.snapshot();
    if (dueP && anyP) {
      this.lastPnl = wall;
      for (const [s, ids] of this.pnlSubs) for (const id of ids) this.sendPnl(s, id, snap);
      for (const [s, m] of this.pnlSingleSubs) for (const [id, conId] of m) this.sendPnlSingle(s, id, conId, snap);
    }
    if (dueA && anyA) {
      this.lastPeriodic = wall;
      // Each subscription is pushed a full interval after its own last push, so a new one never gets its snapshot twice.
      const due = (sentAt: number): boolean => wall - sentAt >= this.host.accountUpdateIntervalMs;
      for (const [s, m] of this.summarySubs) {
        for (const [id, sub] of m) {
          if (!due(sub.sentAt)) continue;
          sub.sentAt = wall;
          this.sendSummary(s, id, sub.tags, snap);
        }
      }
      for (const [s, sentAt] of this.updateSubs) {
        if (!due(sentAt)) continue;
        this.updateSubs.set(s, wall);
        this.sendUpdates(s, snap, null);
      }
      for (const [s, m] of this.updateMultiSubs) {
        for (const [id, sub] of m) {
          if (!due(sub.sentAt)) continue;
          sub.sentAt = wall;
          this.sendUpdatesMulti(s, id, sub.modelCode, snap);
        }
      }
    }
  }

  /** For logs: the account time as TWS prints it. */
  timeText(): string {
    return formatEt(this.host.simNow());
  }
}
