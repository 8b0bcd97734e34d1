// Exercise and assignment: options leave the books at expiry, and short American options are assigned early.
//
// At the settlement instant every option position leaves the books: cash-settled classes at intrinsic, equity
// options in the money by ≥ $0.01 exercised (long) or assigned (short) into stock, the rest expire worthless.
// After each session's close, the rule core/sim/settlement `exercisesEarly` (in the money, no time value left
// under the BS2002 value: deep in-the-money puts, in-the-money calls where the dividend yield makes early exercise
// pay) assigns short American equity options whole. Delivery is booked as the option out at intrinsic and the
// shares at the underlying's price (cash-equivalent to trading the shares at the strike), and announced as TWS
// does to API clients: execDetails with order id 0 for the option leaving (BOT closes a short, SLD a long) and the
// shares arriving (BOT) or leaving (SLD), commission reports of 0, position and account updates — plus a notice
// (error id −1, code 2199, a SpreadDesk-exchange code: TWS shows these notices in its own window, not on the API).
// Options that expire worthless or settle in cash only change positions and cash, as in TWS.
import type { MarketModel } from '../../core/sim/model';
import type { OptionContract } from '../../core/sim/universe';
import { type DayNum, isTradingDay, prevTradingDay, sessionOf, utcToEt, formatEt } from '../../core/sim/calendar';
import { exercisesEarly, type Settlement, settleOption } from '../../core/sim/settlement';
import type { Micros } from '../../core/spreads';
import type { AccountStreams } from './account';
import { wireContractOf } from './contracts';
import type { ExecRec, Ledger } from './ledger';
import type { Session } from './session';
import * as enc from './wire/encode';

export const ASSIGNMENT_NOTICE_CODE = 2199;

export interface AssignmentHost {
  readonly model: MarketModel;
  readonly accountId: string;
  sessionsList(): Session[];
  log(line: string): void;
}

/** The latest trading day whose session had closed by t. */
function lastClosedDay(t: number): DayNum {
  const { day } = utcToEt(t);
  const s = isTradingDay(day) ? sessionOf(day) : null;
  if (s && t >= s.close) return day;
  let d = prevTradingDay(day);
  while (!sessionOf(d)) d = prevTradingDay(d);
  return d;
}

export class Assignments {
  /** The last close already examined; positions are looked at once per close. */
  private checkedDay: DayNum | null = null;

  constructor(
    private readonly host: AssignmentHost,
    private readonly ledger: Ledger,
    private readonly streams: AccountStreams,
  ) {}

  /** Called on every engine round: options past their settlement instant leave the books. */
  expiry(t: number): void {
    for (const p of [...this.ledger.positions.values()]) {
      if (p.contract.secType !== 'OPT') continue;
      const c = this.host.model.option(p.conId, t);
      if (!c || t < c.expiryInstant) continue;
      const spot = this.host.model.settlementSpot(c);
      const st = settleOption({ qty: p.qty, right: c.right, strike: c.strike, multiplier: c.multiplier, cashSettled: c.cls.cfg.cashSettled }, spot);
      if (st.exercised && c.cls.underlying.secType === 'STK') {
        this.deliver(p.conId, p.qty, c, st, spot, c.expiryInstant, utcToEt(c.expiryInstant).day, 'at expiry');
        continue;
      }
      const day = utcToEt(c.expiryInstant).day;
      this.ledger.store.tx(() => {
        const realized = this.ledger.book(p.conId, p.contract, p.qty > 0 ? 'SELL' : 'BUY', Math.abs(p.qty), st.closePrice, p.multiplier, 0 as Micros, day);
        this.ledger.store.ledger(c.expiryInstant, c.cls.cfg.cashSettled ? 'cash-settlement' : 'expiry', JSON.stringify({ conId: p.conId, qty: p.qty, settlement: spot, closePrice: st.closePrice, shares: 0, realized }));
      });
      this.host.log(`settled ${c.localSymbol.trim()} x${p.qty} at ${spot} (${c.cls.cfg.cashSettled ? 'cash' : 'expired'})`);
      this.streams.positionChanged(p.conId, p.contract);
    }
  }

  /** Called on every engine round; acts once when a new session close has passed. */
  early(t: number): void {
    const day = lastClosedDay(t);
    if (this.checkedDay === null) {
      // The first round only notes where time is: positions are judged at closes they were held through.
      this.checkedDay = day;
      return;
    }
    if (day <= this.checkedDay) return;
    this.checkedDay = day;
    const close = sessionOf(day)?.close;
    if (close === undefined) return;
    for (const p of [...this.ledger.positions.values()]) {
      if (p.contract.secType !== 'OPT' || p.qty >= 0) continue;
      const c = this.host.model.option(p.conId, close);
      if (!c || c.cls.cfg.style !== 'American' || c.cls.cfg.cashSettled || close >= c.expiryInstant || c.cls.underlying.secType !== 'STK') continue;
      const th = this.host.model.theoretical(c, close - 1);
      if (!exercisesEarly({ right: c.right, strike: c.strike, spot: th.spot, value: th.theo, american: true })) continue;
      const st = settleOption({ qty: p.qty, right: c.right, strike: c.strike, multiplier: c.multiplier, cashSettled: false }, th.spot);
      if (st.exercised) this.deliver(p.conId, p.qty, c, st, th.spot, close, day, 'early');
    }
  }

  /** Books an exercise or assignment (the option out, the shares in or out) and tells every client. */
  private deliver(conId: number, qty: number, c: OptionContract, st: Settlement, spot: number, at: number, day: DayNum, when: 'early' | 'at expiry'): void {
    const p = this.ledger.positions.get(conId);
    if (!p) return;
    const u = c.cls.underlying;
    const stock = wireContractOf({ kind: 'underlying', u });
    const execs: ExecRec[] = [];
    const exec = (contract: ExecRec['contract'], side: 'BOT' | 'SLD', shares: number, price: number, realized: number | null, exchange: string): ExecRec => {
      const id = this.ledger.newExecId();
      return { ...id, permId: 0, clientId: 0, orderId: 0, contract: { ...contract, exchange }, side, shares, price, time: at, day, cumQty: shares, avgPrice: price, orderRef: '', exchange, commission: 0, realized, lastLiquidity: 0, isCombo: false };
    };
    const optionSide = qty > 0 ? 'SELL' : 'BUY';
    const kind = qty > 0 ? 'exercise' : 'assignment';
    this.ledger.store.tx(() => {
      const realized = this.ledger.book(conId, p.contract, optionSide, Math.abs(qty), st.closePrice, p.multiplier, 0 as Micros, day);
      execs.push(exec(p.contract, optionSide === 'BUY' ? 'BOT' : 'SLD', Math.abs(qty), st.closePrice, realized, 'CBOE'));
      const shareSide = st.shares > 0 ? 'BUY' : 'SELL';
      const r2 = this.ledger.book(u.conId, stock, shareSide, Math.abs(st.shares), spot, 1, 0 as Micros, day);
      execs.push(exec(stock, shareSide === 'BUY' ? 'BOT' : 'SLD', Math.abs(st.shares), spot, r2, u.primaryExchange));
      for (const e of execs) this.ledger.saveExecution(e);
      this.ledger.store.ledger(at, when === 'early' ? `early-${kind}` : kind, JSON.stringify({ conId, qty, settlement: spot, closePrice: st.closePrice, shares: st.shares, realized }));
    });
    const verb = qty > 0 ? 'exercised' : 'assigned';
    const what = `${Math.abs(qty)} ${c.localSymbol.trim()} ${verb} ${when} (${Math.abs(st.shares)} shares of ${u.symbol} ${st.shares > 0 ? 'bought' : 'sold'} at ${c.strike.toFixed(2)})`;
    this.host.log(what);
    for (const s of this.host.sessionsList()) {
      if (!s.isReady) continue;
      for (const e of execs) {
        s.send(enc.execDetails(s.serverVersion, {
          reqId: -1, orderId: 0, contract: e.contract, execId: e.execId, time: formatEt(e.time), account: this.host.accountId, exchange: e.exchange, side: e.side,
          shares: e.shares, price: e.price, permId: 0, clientId: 0, liquidation: 0, cumQty: e.cumQty, avgPrice: e.avgPrice, orderRef: '', lastLiquidity: 0,
        }));
        s.send(enc.commissionReport(e.execId, 0, 'USD', e.realized));
      }
      s.error(-1, ASSIGNMENT_NOTICE_CODE, `${qty > 0 ? 'Exercise' : 'Assignment'} notice: ${what} on ${this.host.accountId}.`);
    }
    this.streams.positionChanged(conId, p.contract);
    this.streams.positionChanged(u.conId, stock);
  }
}
