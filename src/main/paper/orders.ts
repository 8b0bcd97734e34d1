// The order engine: placement, modification, cancels, matching against simulated quotes, executions, OCA,
// parent/child, what-if, DAY expiry (option expiry and assignment: assignment.ts). Every change is committed to the books
// before any client hears about it.
// Length (~720 lines): every order kind moves through one book and one commit-then-tell rule; the pure matching is in
// core/sim (matching.ts, trading.ts), and splitting the rest would split that rule.
import { type DayNum, etToUtc, formatEt, parseYmd, sessionOf, utcToEt } from '../../core/sim/calendar';
import { applyFill, type BookPosition } from '../../core/sim/books';
import { type CommissionConfig, executionCommission, orderCommissionEstimate } from '../../core/sim/commission';
import { comboNatural, evaluate, type FillModel, type LegQuote, legPricesForNet, type OrderKind, type WorkingOrder } from '../../core/sim/matching';
import { hash32, uniform } from '../../core/sim/rng';
import { isValidTick } from '../../core/sim/ticks';
import { type Micros, toDollars, toMicros } from '../../core/spreads';
import { type AccountStreams, valuation } from './account';
import { Assignments } from './assignment';
import { conIdOf, type Instrument, resolveContract, type Single, wireContractOf } from './contracts';
import type { MarketModel } from '../../core/sim/model';
import { type ExecRec, type Ledger, OPEN_STATUSES, type OrderRec, type OrderStatus } from './ledger';
import type { Session } from './session';
import * as enc from './wire/encode';
import type { Request } from './wire/decode';
import type { OrderStateOut, WireContract, WireOrder } from './wire/types';

export interface OrderEngineOptions {
  commission: CommissionConfig;
  fills: FillModel;
  /** Orders placed while the session is closed ('nyse' mode): hold until the open, or reject with 201. */
  closedMarketOrders: 'queue' | 'reject';
}

const SUPPORTED_TYPES: ReadonlySet<string> = new Set(['LMT', 'MKT', 'STP', 'STP LMT']);
const REJECT = 'Order rejected - reason:';

type Reject = { code: number; message: string };

/** What the order engine needs from the exchange that owns it (issue 18: a narrow seam, not the whole exchange). */
export interface OrderEngineHost {
  readonly model: MarketModel;
  readonly accountId: string;
  readonly seed: number;
  simNow(): number;
  /** Connected sessions (the engine picks each order's client's). */
  sessionsList(): Session[];
  log(line: string): void;
}

export class OrderEngine {
  private readonly insts = new Map<number, Instrument>();
  private rejectQueue: string[] = [];
  private readonly assignments: Assignments;

  constructor(
    private readonly ex: OrderEngineHost,
    readonly ledger: Ledger,
    private readonly streams: AccountStreams,
    readonly opts: OrderEngineOptions,
  ) {
    this.assignments = new Assignments(ex, ledger, streams);
  }

  private get model() {
    return this.ex.model;
  }

  /** Fault injection: the next n placements are rejected with this reason. */
  rejectNext(n: number, reason: string): void {
    for (let i = 0; i < n; i++) this.rejectQueue.push(reason);
  }

  handle(s: Session, req: Request): boolean {
    switch (req.type) {
      case 'placeOrder':
        this.place(s, req.orderId, req.contract, req.order);
        return true;
      case 'cancelOrder':
        this.cancelRequest(s, req.orderId);
        return true;
      case 'reqGlobalCancel':
        for (const o of this.ledger.openOrders()) this.cancel(o, 'Order Canceled - reason:', true, true);
        return true;
      case 'reqOpenOrders':
        for (const o of this.ledger.openOrders()) if (o.clientId === s.clientId) this.sendOrder(s, o);
        s.send(enc.openOrderEnd());
        return true;
      case 'reqAllOpenOrders':
        for (const o of this.ledger.openOrders()) this.sendOrder(s, o);
        s.send(enc.openOrderEnd());
        return true;
      case 'reqAutoOpenOrders':
        return true;
      case 'reqCompletedOrders':
        // Completed orders are not reported (yet); the end marker keeps clients that wait for it moving.
        s.send(enc.completedOrdersEnd());
        return true;
      case 'reqExecutions':
        this.executions(s, req.reqId, req.filter);
        return true;
      default:
        return false;
    }
  }

  // ---- sending ------------------------------------------------------------------------------------

  private sessionsOf(clientId: number): Session[] {
    return this.ex.sessionsList().filter((x) => x.isReady && x.clientId === clientId);
  }

  private stateOf(o: OrderRec): OrderStateOut {
    return { status: o.status };
  }

  private openOrderFields(s: Session, o: OrderRec, state: OrderStateOut = this.stateOf(o)): enc.Fields {
    const order = { ...o.order, account: o.order.account || this.ex.accountId };
    return enc.openOrder(s.serverVersion, { order, contract: o.contract, clientId: o.clientId, permId: o.permId, state });
  }

  private statusFields(s: Session, o: OrderRec, status: OrderStatus = o.status): enc.Fields {
    return enc.orderStatus(s.serverVersion, {
      orderId: o.orderId, status, filled: o.filled, remaining: Math.max(0, o.order.totalQuantity - o.filled), avgFillPrice: o.avgFillPrice,
      permId: o.permId, parentId: o.order.parentId, lastFillPrice: o.lastFillPrice, clientId: o.clientId, whyHeld: o.whyHeld, mktCapPrice: 0,
    });
  }

  private sendOrder(s: Session, o: OrderRec): void {
    s.send(this.openOrderFields(s, o));
    s.send(this.statusFields(s, o));
  }

  private notify(o: OrderRec, withOpenOrder = true): void {
    for (const s of this.sessionsOf(o.clientId)) {
      if (withOpenOrder) s.send(this.openOrderFields(s, o));
      s.send(this.statusFields(s, o));
    }
  }

  /** A reconnecting client gets its open orders, as TWS sends them after the connection is made. */
  onSessionReady(s: Session): void {
    for (const o of this.ledger.openOrders()) if (o.clientId === s.clientId) this.sendOrder(s, o);
  }

  // ---- placement ----------------------------------------------------------------------------------

  private instOf(o: OrderRec): Instrument | null {
    const hit = this.insts.get(o.permId);
    if (hit) return hit;
    const r = resolveContract(this.model, o.contract, this.ex.simNow());
    if (!r.ok) return null;
    this.insts.set(o.permId, r.inst);
    return r.inst;
  }

  private place(s: Session, orderId: number, contract: WireContract, order: WireOrder): void {
    const clientId = s.clientId ?? 0;
    const existing = this.ledger.order(clientId, orderId);
    if (existing) {
      this.modify(s, existing, contract, order);
      return;
    }
    if (orderId <= 0 || orderId <= (this.ledger.maxOrderId.get(clientId) ?? 0)) {
      s.error(orderId, 103, 'Duplicate order id');
      return;
    }
    const t = this.ex.simNow();
    if (order.whatIf) {
      this.ledger.store.tx(() => this.ledger.useOrderId(clientId, orderId));
      if (!order.transmit) {
        s.error(orderId, 413, 'What-if order should have the transmit flag set to true.');
        return;
      }
      const res = resolveContract(this.model, contract, t);
      const bad = res.ok ? this.validate(res.inst, order, t, false) : { code: 201, message: `${REJECT}${res.message}` };
      if (bad || !res.ok) {
        s.error(orderId, bad?.code ?? 201, bad?.message ?? REJECT);
        return;
      }
      this.whatIf(s, orderId, res.inst, order, t);
      return;
    }
    const res = resolveContract(this.model, contract, t);
    const forced = this.rejectQueue.shift();
    let reject: Reject | null = forced !== undefined ? { code: 201, message: `${REJECT}${forced}` } : null;
    if (!reject && !res.ok) reject = { code: 201, message: `${REJECT}${res.message}` };
    if (!reject && res.ok) reject = this.validate(res.inst, order, t, true);
    const rec: OrderRec = {
      permId: 0, clientId, orderId,
      contract: res.ok ? this.echoContract(res.inst, contract) : contract,
      order: { ...order, account: order.account || this.ex.accountId, tif: order.tif || 'DAY' },
      status: 'PendingSubmit', filled: 0, avgFillPrice: 0, lastFillPrice: 0,
      legFilled: contract.comboLegs.map(() => 0), legAvg: contract.comboLegs.map(() => 0),
      triggered: false, whyHeld: '', commissionCharged: 0, commissionVariable: 0,
      day: this.ex.model.listingDay(t), createdAt: t, lastEvalAt: t,
    };
    if (reject) {
      rec.status = 'Inactive';
      this.ledger.store.tx(() => {
        this.ledger.useOrderId(clientId, orderId);
        rec.permId = this.ledger.allocatePermId();
        this.ledger.saveOrder(rec);
      });
      s.error(orderId, reject.code, reject.message);
      s.send(this.statusFields(s, rec));
      return;
    }
    if (res.ok) this.insts.set(-1, res.inst);
    this.ledger.store.tx(() => {
      this.ledger.useOrderId(clientId, orderId);
      rec.permId = this.ledger.allocatePermId();
      this.ledger.saveOrder(rec);
    });
    if (res.ok) {
      this.insts.delete(-1);
      this.insts.set(rec.permId, res.inst);
    }
    if (!order.transmit) {
      this.notify(rec);
      return;
    }
    this.transmit(rec);
  }

  /** The contract as TWS echoes it: canonical fields, the client's combo legs as resolved. */
  private echoContract(inst: Instrument, sent: WireContract): WireContract {
    const w = wireContractOf(inst);
    if (inst.kind === 'bag') w.symbol = sent.symbol || w.symbol;
    return w;
  }

  /** Sends a held order (and a held parent first) to the market. */
  private transmit(o: OrderRec): void {
    if (o.order.parentId !== 0) {
      const parent = this.ledger.order(o.clientId, o.order.parentId);
      if (parent && parent.status === 'PendingSubmit') this.transmit(parent);
    }
    const t = this.ex.simNow();
    const parent = o.order.parentId !== 0 ? this.ledger.order(o.clientId, o.order.parentId) : undefined;
    const waitsForParent = parent !== undefined && parent.status !== 'Filled';
    const closed = !this.marketOpen(o, t);
    this.setStatus(o, 'PreSubmitted', waitsForParent ? 'child' : closed ? 'market closed' : '');
    this.notify(o);
    if (!waitsForParent && !closed) this.activate(o);
    // Children held with transmit=false go out with their parent.
    for (const c of this.ledger.openOrders()) if (c.clientId === o.clientId && c.order.parentId === o.orderId && c.status === 'PendingSubmit') this.transmit(c);
  }

  /** PreSubmitted → Submitted, then an immediate match attempt. */
  private activate(o: OrderRec): void {
    const t = this.ex.simNow();
    o.lastEvalAt = t;
    this.setStatus(o, 'Submitted', '');
    this.notify(o);
    this.match(o, t);
  }

  private setStatus(o: OrderRec, status: OrderStatus, whyHeld: string): void {
    o.status = status;
    o.whyHeld = whyHeld;
    this.ledger.store.tx(() => this.ledger.saveOrder(o));
  }

  private marketOpen(o: OrderRec, t: number): boolean {
    const inst = this.instOf(o);
    const sym = inst ? (inst.kind === 'underlying' ? inst.u.symbol : inst.kind === 'option' ? inst.c.symbol : (inst.legs[0]?.inst.kind === 'option' ? inst.legs[0].inst.c.symbol : inst.symbol)) : '';
    const path = this.model.paths.get(sym);
    return !path || path.locate(t).phase === 'open';
  }

  private tickRuleOk(inst: Instrument, price: number): boolean {
    if (inst.kind === 'bag') return Math.abs(Math.round(price * 100) - price * 100) < 1e-6;
    if (price < 0) return false;
    if (inst.kind === 'underlying') return Math.abs(Math.round(price * 100) - price * 100) < 1e-6;
    return isValidTick(inst.c.tickRule, price);
  }

  private tradable(s: Single, t: number): string | null {
    if (s.kind === 'underlying') return s.u.secType === 'IND' ? `${s.u.symbol} is an index and cannot be traded` : null;
    const c = s.c;
    const lastClose = sessionOf(c.lastTradeDay)?.close ?? c.expiryInstant;
    if (t >= Math.min(lastClose, c.expiryInstant)) return `${c.localSymbol.trim()} has expired (market closed for this contract)`;
    if (!this.model.isListed(c, t)) return 'No security definition has been found for the request';
    return null;
  }

  /** Why an order cannot be accepted, in TWS words, or null. */
  private validate(inst: Instrument, o: WireOrder, t: number, checkFunds: boolean): Reject | null {
    const r = (m: string): Reject => ({ code: 201, message: `${REJECT}${m}` });
    if (o.action !== 'BUY' && o.action !== 'SELL') return r(`Invalid action ${o.action}`);
    if (!SUPPORTED_TYPES.has(o.orderType)) return r(`Order type ${o.orderType || '(none)'} is not supported by the paper exchange (LMT, MKT, STP, STP LMT)`);
    if (!Number.isInteger(o.totalQuantity) || o.totalQuantity <= 0) return r(`Invalid quantity ${o.totalQuantity}`);
    if (o.tif !== '' && o.tif !== 'DAY' && o.tif !== 'GTC') return r(`Time in force ${o.tif} is not supported by the paper exchange (DAY, GTC)`);
    if (o.unsupported.length > 0) return r(`Not supported by the paper exchange: ${o.unsupported.join(', ')}`);
    if (o.account !== '' && o.account !== this.ex.accountId) return r(`Invalid account ${o.account}`);
    if ((o.orderType === 'LMT' || o.orderType === 'STP LMT') && o.lmtPrice === null) return r('Limit price is required');
    if ((o.orderType === 'STP' || o.orderType === 'STP LMT') && o.auxPrice === null) return r('Stop price is required');
    for (const p of [o.orderType === 'LMT' || o.orderType === 'STP LMT' ? o.lmtPrice : null, o.orderType.startsWith('STP') ? o.auxPrice : null]) {
      if (p !== null && !this.tickRuleOk(inst, p)) return { code: 110, message: 'The price does not conform to the minimum price variation for this contract.' };
    }
    const singles = inst.kind === 'bag' ? inst.legs.map((l) => l.inst) : [inst];
    if (inst.kind === 'bag') {
      if (inst.legs.some((l) => l.inst.kind !== 'option')) return r('Only option legs are supported in combos by the paper exchange');
      if (new Set(inst.legs.map((l) => conIdOf(l.inst))).size !== inst.legs.length) return r('Invalid combo: duplicate legs');
      const unders = new Set(inst.legs.map((l) => (l.inst.kind === 'option' ? l.inst.c.symbol : '')));
      if (unders.size !== 1) return r('Invalid combo: legs on different underlyings');
    }
    for (const sgl of singles) {
      const why = this.tradable(sgl, t);
      if (why) return r(why);
    }
    if (this.opts.closedMarketOrders === 'reject') {
      const sym = singles[0]?.kind === 'option' ? singles[0].c.symbol : singles[0]?.kind === 'underlying' ? singles[0].u.symbol : '';
      if (this.model.paths.get(sym)?.locate(t).phase !== 'open') return r('The market is closed');
    }
    if (checkFunds) {
      const funds = this.fundsCheck(inst, o, t);
      if (funds) return funds;
    }
    return null;
  }

  /** Estimated fill price per unit (limit for limits, the natural far side otherwise). */
  private estimatePrice(inst: Instrument, o: Pick<WireOrder, 'action' | 'orderType' | 'lmtPrice' | 'auxPrice'>, t: number): number {
    if ((o.orderType === 'LMT' || o.orderType === 'STP LMT') && o.lmtPrice !== null) return o.lmtPrice;
    const q = this.instQuote(inst, t);
    if (!q) return o.auxPrice ?? 0;
    const far = o.action === 'BUY' ? q.ask : q.bid;
    return o.orderType === 'STP' && o.auxPrice !== null ? (o.action === 'BUY' ? Math.max(far, o.auxPrice) : Math.min(far, o.auxPrice)) : far;
  }

  /** The books after a hypothetical full fill: positions, cash change and the commission estimate. */
  private hypothetical(inst: Instrument, o: WireOrder, t: number, qty: number): { positions: BookPosition[]; cashDelta: number; commission: number } {
    const price = this.estimatePrice(inst, o, t);
    const pos = new Map<number, BookPosition>([...this.ledger.positions].map(([k, v]) => [k, { conId: v.conId, qty: v.qty, avgCost: v.avgCost, multiplier: v.multiplier }]));
    let cashDelta = 0;
    const legs: { inst: Single; ratio: number; action: 'BUY' | 'SELL' }[] = inst.kind === 'bag' ? inst.legs : [{ inst, ratio: 1, action: 'BUY' }];
    const q = inst.kind === 'bag' ? legs.map((l) => this.quoteOf(l.inst, t)) : [];
    const legPrices = inst.kind === 'bag' && q.every((x) => x !== null) ? legPricesForNet(inst.legs, q as LegQuote[], o.action as 'BUY' | 'SELL', price) : [price];
    const units = legs.reduce((a, l) => a + l.ratio * qty, 0);
    const kind = inst.kind === 'underlying' ? 'stock' : 'option';
    const commission = toDollars(orderCommissionEstimate(this.opts.commission, kind, units, Math.abs(price)));
    legs.forEach((l, i) => {
      const s = l.inst as Single;
      const side = inst.kind === 'bag' ? ((l.action === 'BUY') === (o.action === 'BUY') ? 'BUY' : 'SELL') : (o.action as 'BUY' | 'SELL');
      const mult = s.kind === 'option' ? s.c.multiplier : 1;
      const id = conIdOf(s);
      const eff = applyFill(pos.get(id) ?? null, id, side, qty * l.ratio, legPrices[i] ?? price, mult, 0 as Micros);
      cashDelta += toDollars(eff.cashDelta);
      if (eff.position) pos.set(id, eff.position);
      else pos.delete(id);
    });
    return { positions: [...pos.values()], cashDelta: cashDelta - commission, commission };
  }

  private fundsCheck(inst: Instrument, o: WireOrder, t: number, qty = o.totalQuantity): Reject | null {
    const before = valuation(this.model, this.ledger, t);
    const h = this.hypothetical(inst, o, t, qty);
    const after = valuation(this.model, this.ledger, t, h.positions, h.cashDelta);
    if (after.elv < after.initMargin && after.available < before.available - 1e-6) {
      return {
        code: 201,
        message: `${REJECT}YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${after.elv.toFixed(2)} USD] MUST EXCEED THE INITIAL MARGIN [${after.initMargin.toFixed(2)} USD]`,
      };
    }
    return null;
  }

  /** What-if: openOrder only, with margin before/change/after and the commission; nothing is kept. */
  private whatIf(s: Session, orderId: number, inst: Instrument, order: WireOrder, t: number): void {
    const before = valuation(this.model, this.ledger, t);
    const h = this.hypothetical(inst, order, t, order.totalQuantity);
    const after = valuation(this.model, this.ledger, t, h.positions, h.cashDelta);
    const r2 = (x: number): number => Math.round(x * 100) / 100;
    const state: OrderStateOut = {
      status: 'PreSubmitted',
      initMarginBefore: r2(before.initMargin), maintMarginBefore: r2(before.maintMargin), equityWithLoanBefore: r2(before.elv),
      initMarginChange: r2(after.initMargin - before.initMargin), maintMarginChange: r2(after.maintMargin - before.maintMargin), equityWithLoanChange: r2(after.elv - before.elv),
      initMarginAfter: r2(after.initMargin), maintMarginAfter: r2(after.maintMargin), equityWithLoanAfter: r2(after.elv),
      commission: r2(h.commission), minCommission: r2(h.commission), maxCommission: r2(h.commission), commissionCurrency: 'USD',
      warningText: after.elv < after.initMargin ? 'Insufficient equity for this order' : '',
    };
    const rec: OrderRec = {
      permId: this.ledger.nextPermId, clientId: s.clientId ?? 0, orderId, contract: wireContractOf(inst), order: { ...order, account: order.account || this.ex.accountId, tif: order.tif || 'DAY' },
      status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, legFilled: [], legAvg: [], triggered: false, whyHeld: '',
      commissionCharged: 0, commissionVariable: 0, day: 0, createdAt: t, lastEvalAt: t,
    };
    s.send(this.openOrderFields(s, rec, state));
  }

  private modify(s: Session, o: OrderRec, contract: WireContract, order: WireOrder): void {
    if (!OPEN_STATUSES.has(o.status)) {
      s.error(o.orderId, 104, o.status === 'Filled' ? "Can't modify a filled order." : `Can't modify an order that is ${o.status}.`);
      return;
    }
    const t = this.ex.simNow();
    const res = resolveContract(this.model, contract, t);
    const inst = this.instOf(o);
    const sameContract = res.ok && inst !== null && sameInstrument(res.inst, inst);
    if (!sameContract || !inst) {
      s.error(o.orderId, 105, 'Order being modified does not match original order.');
      return;
    }
    if (order.action !== o.order.action) {
      s.error(o.orderId, 105, 'Order being modified does not match original order.');
      return;
    }
    if (order.totalQuantity <= o.filled) {
      s.error(o.orderId, 201, `${REJECT}The new quantity ${order.totalQuantity} is not above the filled quantity ${o.filled}`);
      return;
    }
    const bad = this.validate(inst, order, t, false) ?? this.fundsCheck(inst, order, t, order.totalQuantity - o.filled);
    if (bad) {
      s.error(o.orderId, bad.code, bad.message);
      return;
    }
    o.order = { ...order, account: order.account || this.ex.accountId, tif: order.tif || 'DAY', parentId: o.order.parentId };
    o.triggered = o.triggered && order.orderType.startsWith('STP');
    this.ledger.store.tx(() => this.ledger.saveOrder(o));
    if (o.status === 'PendingSubmit' && order.transmit) {
      this.transmit(o);
      return;
    }
    this.notify(o);
    if (o.status === 'Submitted') this.match(o, t);
  }

  // ---- cancels ------------------------------------------------------------------------------------

  private cancelRequest(s: Session, orderId: number): void {
    const o = this.ledger.order(s.clientId ?? 0, orderId);
    if (!o) {
      s.error(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`);
      return;
    }
    if (!OPEN_STATUSES.has(o.status)) {
      s.error(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`);
      return;
    }
    this.cancel(o, 'Order Canceled - reason:', true, true);
  }

  /**
   * Cancels an order (and its children): orderStatus Cancelled and error 202 to its client. A cancel the client
   * asked for first reports PendingCancel, as TWS does while the exchange confirms it.
   */
  private cancel(o: OrderRec, text: string, announce202 = true, requested = false): void {
    if (!OPEN_STATUSES.has(o.status)) return;
    if (requested) for (const s of this.sessionsOf(o.clientId)) s.send(this.statusFields(s, o, 'PendingCancel'));
    this.setStatus(o, 'Cancelled', '');
    for (const s of this.sessionsOf(o.clientId)) {
      s.send(this.statusFields(s, o));
      if (announce202) s.error(o.orderId, 202, text);
    }
    for (const c of this.ledger.openOrders()) if (c.clientId === o.clientId && c.order.parentId === o.orderId) this.cancel(c, text, announce202);
  }

  // ---- matching -----------------------------------------------------------------------------------

  private quoteOf(s: Single, t: number): LegQuote | null {
    // A halted underlying trades nothing: its orders (and combos with a leg on it) wait.
    if (this.model.scenario.isHalted(s.kind === 'underlying' ? s.u.symbol : s.c.cls.underlying.symbol)) return null;
    if (s.kind === 'underlying') {
      if (s.u.secType === 'IND') return null;
      const q = this.model.underlyingQuote(s.u, t);
      return { bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize };
    }
    const q = this.model.optionQuote(s.c, t);
    if (!q.tradable) return null;
    return { bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize };
  }

  /** A single instrument's quote, or a combo's natural quote. */
  private instQuote(inst: Instrument, t: number): LegQuote | null {
    if (inst.kind !== 'bag') return this.quoteOf(inst, t);
    const qs = inst.legs.map((l) => this.quoteOf(l.inst, t));
    return qs.every((q) => q !== null) ? comboNatural(inst.legs, qs as LegQuote[]) : null;
  }

  private working(o: OrderRec): WorkingOrder {
    return { action: o.order.action as 'BUY' | 'SELL', orderType: o.order.orderType as OrderKind, lmtPrice: o.order.lmtPrice, auxPrice: o.order.auxPrice, remaining: o.order.totalQuantity - o.filled, triggered: o.triggered };
  }

  /** One match attempt of a Submitted order at simulated time t. */
  private match(o: OrderRec, t: number): void {
    if (o.status !== 'Submitted') return;
    const inst = this.instOf(o);
    if (!inst) return;
    if (!this.marketOpen(o, t)) return;
    const elapsed = Math.max(0, t - o.lastEvalAt);
    o.lastEvalAt = t;
    const bucket = Math.floor(t / 100);
    const draws = { u1: uniform(this.ex.seed, o.permId, bucket, 1), u2: uniform(this.ex.seed, o.permId, bucket, 2) };
    const w = this.working(o);
    if (inst.kind === 'bag') {
      const quotes = inst.legs.map((l) => this.quoteOf(l.inst, t));
      if (quotes.some((q) => q === null)) return;
      const qs = quotes as LegQuote[];
      const nat = comboNatural(inst.legs, qs);
      const res = evaluate(w, nat, this.opts.fills, elapsed, draws, true);
      this.noteTrigger(o, res.triggered);
      if (!res.fill) return;
      const net = w.orderType === 'MKT' || (w.orderType === 'STP' && res.triggered) ? (w.action === 'BUY' ? nat.ask : nat.bid) : res.fill.price;
      const passive = w.orderType !== 'MKT' && w.orderType !== 'STP' && (w.action === 'BUY' ? nat.ask > (w.lmtPrice ?? 0) + 1e-9 : nat.bid < (w.lmtPrice ?? 0) - 1e-9);
      this.fillCombo(o, inst, res.fill.qty, net, legPricesForNet(inst.legs, qs, w.action, net), t, passive);
      return;
    }
    const q = this.quoteOf(inst, t);
    if (!q) return;
    const res = evaluate(w, q, this.opts.fills, elapsed, draws, false);
    this.noteTrigger(o, res.triggered);
    if (!res.fill) return;
    const passive = res.fill.price !== (w.action === 'BUY' ? q.ask : q.bid);
    this.fillSingle(o, inst, res.fill.qty, res.fill.price, t, passive);
  }

  private noteTrigger(o: OrderRec, triggered: boolean): void {
    if (triggered && !o.triggered) {
      o.triggered = true;
      this.ledger.store.tx(() => this.ledger.saveOrder(o));
    }
  }

  private exchangeFor(s: Single, permId: number): string {
    if (s.kind === 'underlying') return s.u.primaryExchange;
    const list = s.c.cls.cfg.exchanges.filter((e) => e !== 'SMART');
    return list[hash32(this.ex.seed, permId) % Math.max(1, list.length)] ?? 'CBOE';
  }

  private commissionFor(o: OrderRec, kind: 'option' | 'stock', units: number, price: number): Micros {
    const unitsBefore = Math.round(o.commissionVariable >= 0 ? o.filled : 0);
    const r = executionCommission(this.opts.commission, kind, unitsBefore, units, price, toMicros(o.commissionCharged), toMicros(o.commissionVariable));
    o.commissionCharged = toDollars((toMicros(o.commissionCharged) + r.commission) as Micros);
    o.commissionVariable = toDollars(r.cumVariable);
    return r.commission;
  }

  private fillSingle(o: OrderRec, inst: Single, qty: number, price: number, t: number, passive: boolean): void {
    const day = utcToEt(t).day;
    const side = o.order.action as 'BUY' | 'SELL';
    const mult = inst.kind === 'option' ? inst.c.multiplier : 1;
    const kind = inst.kind === 'option' ? 'option' : 'stock';
    const contract = wireContractOf(inst);
    const conId = conIdOf(inst);
    const existed = this.ledger.positions.has(conId);
    let exec!: ExecRec;
    this.ledger.store.tx(() => {
      const commission = this.commissionFor(o, kind, qty, price);
      const realized = this.ledger.book(conId, contract, side, qty, price, mult, commission, day);
      const cum = o.filled + qty;
      o.avgFillPrice = round6((o.avgFillPrice * o.filled + price * qty) / cum);
      o.filled = cum;
      o.lastFillPrice = price;
      if (o.filled >= o.order.totalQuantity) o.status = 'Filled';
      const id = this.ledger.newExecId();
      exec = {
        ...id, permId: o.permId, clientId: o.clientId, orderId: o.orderId, contract: { ...contract, exchange: this.exchangeFor(inst, o.permId) },
        side: side === 'BUY' ? 'BOT' : 'SLD', shares: qty, price, time: t, day, cumQty: o.filled, avgPrice: o.avgFillPrice, orderRef: o.order.orderRef,
        exchange: this.exchangeFor(inst, o.permId), commission: toDollars(commission), realized, lastLiquidity: passive ? 1 : 2, isCombo: false,
      };
      this.ledger.saveExecution(exec);
      this.ledger.saveOrder(o);
    });
    if (!existed) this.streams.positionOpened(conId);
    this.announceFill(o, [exec], [exec]);
    this.streams.positionChanged(conId, contract);
    this.afterFill(o, qty);
  }

  private fillCombo(o: OrderRec, inst: Extract<Instrument, { kind: 'bag' }>, qty: number, net: number, legPrices: number[], t: number, passive: boolean): void {
    const day = utcToEt(t).day;
    const legExecs: ExecRec[] = [];
    let comboExec!: ExecRec;
    const changed: { conId: number; contract: WireContract; existed: boolean }[] = [];
    this.ledger.store.tx(() => {
      inst.legs.forEach((l, i) => {
        const s = l.inst;
        const side: 'BUY' | 'SELL' = (l.action === 'BUY') === (o.order.action === 'BUY') ? 'BUY' : 'SELL';
        const legQty = qty * l.ratio;
        const price = legPrices[i] ?? 0;
        const mult = s.kind === 'option' ? s.c.multiplier : 1;
        const contract = wireContractOf(s);
        const conId = conIdOf(s);
        changed.push({ conId, contract, existed: this.ledger.positions.has(conId) });
        const commission = this.commissionFor(o, 'option', legQty, price);
        const realized = this.ledger.book(conId, contract, side, legQty, price, mult, commission, day);
        const prevQty = o.legFilled[i] ?? 0;
        const cum = prevQty + legQty;
        o.legAvg[i] = round6(((o.legAvg[i] ?? 0) * prevQty + price * legQty) / cum);
        o.legFilled[i] = cum;
        const id = this.ledger.newExecId();
        legExecs.push({
          ...id, permId: o.permId, clientId: o.clientId, orderId: o.orderId, contract: { ...contract, exchange: this.exchangeFor(s, o.permId) },
          side: side === 'BUY' ? 'BOT' : 'SLD', shares: legQty, price, time: t, day, cumQty: cum, avgPrice: o.legAvg[i] ?? price, orderRef: o.order.orderRef,
          exchange: this.exchangeFor(s, o.permId), commission: toDollars(commission), realized, lastLiquidity: passive ? 1 : 2, isCombo: false,
        });
      });
      const cum = o.filled + qty;
      o.avgFillPrice = round6((o.avgFillPrice * o.filled + net * qty) / cum);
      o.filled = cum;
      o.lastFillPrice = net;
      if (o.filled >= o.order.totalQuantity) o.status = 'Filled';
      const id = this.ledger.newExecId();
      const first = inst.legs[0]?.inst;
      comboExec = {
        ...id, permId: o.permId, clientId: o.clientId, orderId: o.orderId, contract: { ...o.contract, exchange: first ? this.exchangeFor(first, o.permId) : 'SMART' },
        side: o.order.action === 'BUY' ? 'BOT' : 'SLD', shares: qty, price: net, time: t, day, cumQty: o.filled, avgPrice: o.avgFillPrice, orderRef: o.order.orderRef,
        exchange: first ? this.exchangeFor(first, o.permId) : 'SMART', commission: 0, realized: null, lastLiquidity: passive ? 1 : 2, isCombo: true,
      };
      for (const e of legExecs) this.ledger.saveExecution(e);
      this.ledger.saveExecution(comboExec);
      this.ledger.saveOrder(o);
    });
    for (const c of changed) if (!c.existed) this.streams.positionOpened(c.conId);
    this.announceFill(o, [...legExecs, comboExec], [...legExecs, comboExec]);
    for (const c of changed) this.streams.positionChanged(c.conId, c.contract);
    this.afterFill(o, qty);
  }

  /** execDetails, then openOrder and orderStatus, then the commission reports — the order TWS uses. */
  private announceFill(o: OrderRec, execs: ExecRec[], reports: ExecRec[]): void {
    for (const s of this.sessionsOf(o.clientId)) {
      for (const e of execs) s.send(enc.execDetails(s.serverVersion, this.execOut(-1, e)));
      s.send(this.openOrderFields(s, o));
      s.send(this.statusFields(s, o));
      for (const e of reports) s.send(enc.commissionReport(e.execId, e.commission, 'USD', e.realized));
    }
  }

  private execOut(reqId: number, e: ExecRec): Parameters<typeof enc.execDetails>[1] {
    return {
      reqId, orderId: e.orderId, contract: e.contract, execId: e.execId, time: formatEt(e.time), account: this.ex.accountId, exchange: e.exchange, side: e.side,
      shares: e.shares, price: e.price, permId: e.permId, clientId: e.clientId, liquidation: 0, cumQty: e.cumQty, avgPrice: e.avgPrice, orderRef: e.orderRef, lastLiquidity: e.lastLiquidity,
    };
  }

  /** OCA groups and attached children react to a fill. */
  private afterFill(o: OrderRec, qty: number): void {
    const group = o.order.ocaGroup;
    if (group !== '') {
      for (const other of this.ledger.openOrders()) {
        if (other === o || other.order.ocaGroup !== group) continue;
        if (o.order.ocaType === 1 || o.order.ocaType === 0) {
          this.cancel(other, 'Order Canceled - reason:OCA group fill');
        } else {
          other.order = { ...other.order, totalQuantity: Math.max(other.filled, other.order.totalQuantity - qty) };
          if (other.order.totalQuantity - other.filled <= 0) this.cancel(other, 'Order Canceled - reason:OCA group fill');
          else {
            this.ledger.store.tx(() => this.ledger.saveOrder(other));
            this.notify(other);
          }
        }
      }
    }
    if (o.status === 'Filled') {
      for (const c of this.ledger.openOrders()) {
        if (c.clientId === o.clientId && c.order.parentId === o.orderId && c.status === 'PreSubmitted' && c.whyHeld === 'child') this.activate(c);
      }
    }
  }

  // ---- executions ---------------------------------------------------------------------------------

  private executions(s: Session, reqId: number, f: { clientId: number; acctCode: string; time: string; symbol: string; secType: string; exchange: string; side: string }): void {
    const t = this.ex.simNow();
    const today = utcToEt(t).day;
    const after = parseExecTime(f.time);
    for (const e of this.ledger.executions) {
      if (e.day !== today) continue;
      if (f.clientId !== 0 && e.clientId !== f.clientId) continue;
      if (f.acctCode !== '' && f.acctCode !== this.ex.accountId) continue;
      if (after !== null && e.time < after) continue;
      if (f.symbol !== '' && e.contract.symbol !== f.symbol) continue;
      if (f.secType !== '' && e.contract.secType !== f.secType) continue;
      if (f.exchange !== '' && e.exchange !== f.exchange) continue;
      if (f.side !== '' && !((f.side === 'BUY' || f.side === 'BOT') ? e.side === 'BOT' : e.side === 'SLD')) continue;
      s.send(enc.execDetails(s.serverVersion, this.execOut(reqId, e)));
      s.send(enc.commissionReport(e.execId, e.commission, 'USD', e.realized));
    }
    s.send(enc.execDetailsEnd(reqId));
  }

  // ---- time ---------------------------------------------------------------------------------------

  /** Periodic work: DAY expiry, option expiry, held orders reaching the open, and matching. */
  tick(): void {
    const t = this.ex.simNow();
    const today = this.model.listingDay(t);
    for (const o of this.ledger.openOrders()) {
      const ended = o.order.tif !== 'GTC' && (o.day < today || t >= (sessionOf(o.day)?.close ?? Infinity));
      if (ended) {
        this.cancel(o, 'Order Canceled - reason:DAY order expired', false);
        continue;
      }
      const inst = this.instOf(o);
      const singles = inst ? (inst.kind === 'bag' ? inst.legs.map((l) => l.inst) : [inst]) : [];
      if (singles.some((sg) => sg.kind === 'option' && t >= Math.min(sessionOf(sg.c.lastTradeDay)?.close ?? sg.c.expiryInstant, sg.c.expiryInstant))) {
        this.cancel(o, 'Order Canceled - reason:contract expired', false);
      }
    }
    this.assignments.expiry(t);
    this.assignments.early(t);
    for (const o of this.ledger.openOrders()) {
      if (o.status === 'PreSubmitted' && o.whyHeld === 'market closed' && this.marketOpen(o, t)) this.activate(o);
      else if (o.status === 'Submitted') this.match(o, t);
    }
  }
}

function sameInstrument(a: Instrument, b: Instrument): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'bag' && b.kind === 'bag') {
    return a.legs.length === b.legs.length && a.legs.every((l, i) => conIdOf(l.inst) === conIdOf(b.legs[i]?.inst ?? l.inst) && l.ratio === b.legs[i]?.ratio && l.action === b.legs[i]?.action);
  }
  return conIdOf(a as Single) === conIdOf(b as Single);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Execution-filter time "yyyymmdd hh:mm:ss" (Eastern); null when empty or unreadable. */
function parseExecTime(s: string): number | null {
  const m = /^(\d{8})[ -]+(\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  if (!m) return null;
  const day: DayNum | null = parseYmd(m[1] ?? '');
  if (day === null) return null;
  return etToUtc(day, Number(m[2]) * 60 + Number(m[3])) + Number(m[4]) * 1000;
}
