// The execution service: the one place an order leaves SpreadDesk — validate, price on the grid, risk gate,
// journal intent, our own order id, one BAG order; then track it, walk its limit, modify, cancel and close it.
//
// This file is long (~740 lines) because submit, its walk and the order tracking share one per-order queue:
// every place/modify/cancel of an order runs through `serial(orderId, …)`, so a walk step, a trader's modify
// and a cancel never race. A test (execution.boundary.test.ts) checks no other module calls the broker's
// placeOrder/modifyOrder/cancelOrder.
import { ContractFailure, Ticket, type ExecutionRow, type OrderRow, type SubmitResult, type TicketParsed } from '../../../core/contract';
import { errorSentence } from '../broker/errors';
import type { BrokerEvent } from '../../../core/broker/events';
import { foldStatus, isTerminal, markRejected, markSent, newOrder, withTotal, type OrderProgress } from '../../../core/orders/state';
import { nextLadderStep, type ComboQuote, type LadderPolicy } from '../../../core/orders/ladder';
import { bagToNet, expectedNetKind, netToMicros, rightOf, rollBag, verticalBag, type BagTicket } from '../../../core/orders/ticket';
import type { RiskGate, RiskOrder, RiskVerdict } from '../../../core/risk/types';
import { fromBagOrder, roundToTick, TICKS_COMBO, toDollars, toMicros, type Micros, type NetPrice } from '../../../core/spreads';
import type { IbBroker } from '../broker/ib-broker';
import type { ComboLeg, TrackedOrder } from '../broker/types';
import type { Journal } from '../journal';
import type { Logger } from '../logging';
import type { LegQuoteCache } from './quotes';
import { earlierSubmission, journaledExits, journaledTicket } from './resume';
import { createExitMonitor } from './exits';
import { verticalOrderRequest } from './vertical-order';

/** What the service needs of the broker adapter (IbBroker satisfies it). */
export type ExecutionBroker = Pick<IbBroker, 'reserveOrderId' | 'placeOrder' | 'modifyOrder' | 'cancelOrder' | 'cancelAllOrders' | 'trackedOrders' | 'restoreOrderRequest' | 'onEvent'>;

/** One order the kill switch's sweep acted on (or the global cancel itself, orderId null). */
export interface SweepResult {
  orderId: number | null;
  clientId: number | null;
  ok: boolean;
  message: string;
}

export interface ExecutionDeps {
  broker: ExecutionBroker;
  /** Leg contracts and live quotes (shared with the preview so a submit reads streamed quotes). */
  quotes: LegQuoteCache;
  journal: () => Journal | null;
  gate: RiskGate;
  clientId: () => number;
  emit?: (e: { type: 'order.updated'; row: OrderRow } | { type: 'execution.added'; row: ExecutionRow }) => void;
  logger?: Logger;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
  /** A leg quote older than this pauses a walk. */
  staleQuoteMs?: number;
  /** Combo bid-ask wider than this fraction of the strike width pauses a walk. */
  maxSpreadOfWidth?: number;
  /** How often the app's stop of an attached exit reads the combo quote. */
  exitPollMs?: number;
}

/** How an exit's closing order is labelled in the blotter: its role, the entry it belongs to, its OCA group. */
interface CloseMeta {
  intent: 'exit-target' | 'exit-stop';
  parentTicketId: string;
  ocaGroup: string;
}

interface Working {
  row: OrderRow;
  progress: OrderProgress;
  bag: BagTicket;
  legConIds: [number, number];
  journalTicketId: string;
  ticket: TicketParsed;
  /** Confirmed signed BAG limit. */
  current: Micros;
  /** The journal's spread this order opens or closes; attached exits are armed once, on the entry's fill. */
  spreadId: number | null;
  exitsArmed: boolean;
  walk: { policy: LadderPolicy; startedAt: number; timer: { cancel(): void } | null; stopped: boolean } | null;
}

export interface ExecutionService {
  submit(ticketId: string, ticket: unknown): Promise<SubmitResult>;
  modify(orderId: number, change: { limit?: { amount: number; kind: 'credit' | 'debit' }; quantity?: number }): Promise<OrderRow>;
  cancel(orderId: number): Promise<OrderRow>;
  /** Cancels every working order of this app (kill switch). */
  cancelAll(): Promise<{ cancelled: number[] }>;
  /**
   * Kill switch: cancels the working orders this service did not place — earlier sessions of this client (by id) and,
   * with one reqGlobalCancel, every other order of the account (other API clients, TWS itself) — reported one by one.
   */
  cancelOthers(): Promise<SweepResult[]>;
  /** Closes a held spread with the opposite BAG (exits, kill switch). */
  closeSpread(args: { ticketId: string; spreadId: number; symbol: string; expiry: string; kind: TicketParsed['kind']; longStrike: number; shortStrike: number; quantity: number; limit: { amount: number; kind: 'credit' | 'debit' } }): Promise<SubmitResult>;
  list(includeDone?: boolean): OrderRow[];
  executions(orderId?: number): ExecutionRow[];
  /**
   * After a restart: working orders of earlier sessions are never re-sent. `resume`: an order our journal knows is
   * taken over again (modify/cancel work, a walk continues from its journaled start and step; past its last step the
   * walk's end action applies); `leave`: listed, left working; `cancel`: cancelled.
   */
  recoverWorking(policy: 'leave' | 'cancel' | 'resume'): Promise<{ adopted: number[]; cancelled: number[]; resumed: number[]; exitsRearmed: number[] }>;
  dispose(): void;
}

const fail = (code: ConstructorParameters<typeof ContractFailure>[0], message: string, details?: unknown): never => {
  throw new ContractFailure(code, message, details);
};
const microsNet = (n: NetPrice) => ({ amount: toDollars(n.amount), kind: n.kind });

export function createExecutionService(deps: ExecutionDeps): ExecutionService {
  const now = deps.now ?? Date.now;
  const setTimer = deps.setTimer ?? ((fn, ms) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  });
  const staleMs = deps.staleQuoteMs ?? 15_000;
  const byTicket = new Map<string, Promise<SubmitResult>>();
  const orders = new Map<number, Working>();
  const adopted = new Map<number, OrderRow>();
  const execs: ExecutionRow[] = [];
  const queues = new Map<number, Promise<unknown>>();
  let disposed = false;

  /** Runs `fn` after every earlier operation on the same order (place/modify/cancel/walk step). */
  const serial = <T>(orderId: number, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(orderId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    queues.set(orderId, next.catch(() => undefined));
    return next;
  };

  const publish = (w: Working) => {
    // A walk ends with its order (filled, cancelled, rejected), whichever path got there first.
    if (isTerminal(w.progress.state) && w.row.walk && w.row.walk.state !== 'done') w.row = { ...w.row, walk: { ...w.row.walk, state: 'done' } };
    w.row = { ...w.row, status: w.progress.state === 'New' ? 'PendingSubmit' : w.progress.state, done: isTerminal(w.progress.state), filled: w.progress.filled, remaining: Math.max(0, w.progress.total - w.progress.filled), updatedAt: now() };
    deps.emit?.({ type: 'order.updated', row: w.row });
  };

  const legQuotes = async (w: Pick<Working, 'legConIds'>): Promise<{ quote: ComboQuote | null; stale: boolean }> => {
    const [l, s] = await Promise.all(w.legConIds.map((conId) => deps.quotes.quote(conId)));
    if (!l || !s || l.bid === null || l.ask === null || s.bid === null || s.ask === null) return { quote: null, stale: true };
    const t = now();
    const stale = [l, s].some((q) => q.updatedAt !== null && t - q.updatedAt > staleMs);
    // BAG terms, the combo as held: bid = long.bid − short.ask, ask = long.ask − short.bid.
    return { quote: { bid: (toMicros(l.bid) - toMicros(s.ask)) as Micros, ask: (toMicros(l.ask) - toMicros(s.bid)) as Micros }, stale };
  };

  const resolveLegs = async (t: TicketParsed): Promise<[number, number]> => {
    const right = rightOf(t.kind);
    const contracts = await deps.quotes.contracts(t.symbol, t.expiry, right);
    const find = (k: number) => contracts.find((c) => c.strike !== null && Math.abs(c.strike - k) < 1e-6)?.conId;
    const long = find(t.longStrike);
    const short = find(t.shortStrike);
    if (long === undefined || short === undefined) fail('NOT_FOUND', `${t.symbol} ${t.expiry} has no ${right === 'C' ? 'call' : 'put'} at ${long === undefined ? t.longStrike : t.shortStrike}.`);
    return [long as number, short as number];
  };

  const riskOrder = (ticketId: string, t: TicketParsed, limit: NetPrice, quote: ComboQuote | null, action: 'BUY' | 'SELL', legConIds?: readonly [number, number]): RiskOrder => {
    const width = Math.abs(t.longStrike - t.shortStrike);
    const amt = toDollars(limit.amount);
    const credit = limit.kind === 'credit';
    const opening = t.intent !== 'close';
    const maxLossPer = opening ? (credit ? width - amt : amt) : 0;
    const maxProfitPer = opening ? (credit ? amt : width - amt) : 0;
    const mid = quote ? bagToNet(action, Math.round((quote.bid + quote.ask) / 2) as Micros) : null;
    const natural = quote ? bagToNet(action, action === 'BUY' ? quote.ask : quote.bid) : null;
    const units = 100 * t.quantity;
    return {
      ticketId, symbol: t.symbol, kind: t.kind, expiry: t.expiry, longStrike: t.longStrike, shortStrike: t.shortStrike, intent: t.intent, quantity: t.quantity,
      limit: microsNet(limit), mid: mid ? microsNet(mid) : null, natural: natural ? microsNet(natural) : null, multiplier: 100,
      maxLoss: maxLossPer * units, maxProfit: maxProfitPer * units,
      margin: opening ? (credit ? width * units : amt * units) : 0, commission: Math.max(1, 0.65 * 2 * t.quantity),
      // With conIds the risk service reads the legs' live quotes (liquidity, staleness) itself.
      legs: [
        { symbol: t.symbol, expiry: t.expiry, strike: t.longStrike, right: rightOf(t.kind), side: 1, ratio: 1, ...(legConIds ? { conId: legConIds[0] } : {}) },
        { symbol: t.symbol, expiry: t.expiry, strike: t.shortStrike, right: rightOf(t.kind), side: -1, ratio: 1, ...(legConIds ? { conId: legConIds[1] } : {}) },
      ],
      ...(t.spreadId !== undefined ? { spreadId: t.spreadId } : {}),
      quoteAgeMs: null, pop: null, at: now(),
    };
  };

  const ladderPolicy = (t: TicketParsed): LadderPolicy | null => {
    if (t.pricing.mode !== 'walk') return null;
    const p = t.pricing;
    const width = toMicros(Math.abs(t.longStrike - t.shortStrike));
    const maxSpread = deps.maxSpreadOfWidth === undefined ? undefined : (Math.round(width * deps.maxSpreadOfWidth) as Micros);
    return { stepTicks: p.stepTicks, intervalMs: p.intervalSec * 1000, capPct: p.capPct, maxSteps: p.maxSteps, endAction: p.endAction, ...(maxSpread !== undefined ? { maxSpread } : {}) };
  };

  /** The one placement step (inside the order's serial lane): mark sent, place, fold TWS's answer, or record the refusal. */
  async function sendPlacement(w: Working, what: 'order' | 'roll', request: Parameters<ExecutionBroker['placeOrder']>[0]): Promise<void> {
    w.progress = markSent(w.progress);
    publish(w);
    try {
      const placed = await deps.broker.placeOrder(request);
      w.row = { ...w.row, permId: placed.permId };
      w.progress = foldStatus(w.progress, { status: placed.status, filled: w.progress.filled });
      publish(w);
    } catch (e) {
      w.progress = markRejected(w.progress);
      w.row = { ...w.row, message: errorSentence(e) };
      publish(w);
      fail('BROKER', `The ${what} was not accepted: ${errorSentence(e)}`);
    }
  }

  async function doSubmit(ticketId: string, raw: unknown, meta?: CloseMeta): Promise<SubmitResult> {
    const parsed = Ticket.safeParse(raw);
    if (!parsed.success) return fail('VALIDATION', `The ticket is not valid: ${parsed.error.issues[0]?.message ?? 'check the fields'}.`);
    const t = parsed.data;
    const prior = deps.journal();
    // Sent before a restart: never a second order. Its order (if it got one) is returned; a ticket whose order
    // id never reached the journal may still be at the broker, so it is refused rather than guessed.
    const earlier = prior ? earlierSubmission(prior, ticketId) : null;
    if (earlier) {
      if (earlier.orderId !== null) return { orderId: earlier.orderId, ticketId, duplicate: true, verdicts: [], sentence: earlier.sentence, exitOrderIds: [] };
      fail('CONFLICT', `Ticket ${ticketId} was already recorded before a restart and may have reached the broker; check Orders and Executions, and send a new ticket if it did not.`);
    }
    if (t.intent === 'roll') return doRoll(ticketId, t);
    if (t.exits && (t.exits.profitTargetPct !== undefined || t.exits.stop !== undefined)) {
      // Exits attach to an opening order; a combo stop at IBKR would be simulated, so only the app's stop is offered (exits.ts).
      if (t.intent !== 'open') return fail('VALIDATION', 'Profit targets and stops attach to an opening ticket.');
      if (t.exits.stop && t.exits.stopVenue === 'broker') return fail('UNAVAILABLE', 'IBKR would only simulate a stop on a combo; use the app’s stop (stop venue “app”).');
      if (t.exits.stop?.basis === 'creditMultiple' && expectedNetKind(t.kind, 'open') !== 'credit') return fail('VALIDATION', 'A stop as a multiple of the credit needs a credit spread; use % of max loss.');
    }
    if (t.intent === 'close' && t.spreadId === undefined) return fail('VALIDATION', 'Closing needs the journal’s spread id (pick the spread in Positions).');
    const journal = deps.journal() ?? fail('UNAVAILABLE', 'The trade journal is not available, so no order can be recorded before it is sent.');
    const intent = t.intent === 'close' ? 'close' : 'open';
    const legConIds = await resolveLegs(t);
    const { quote } = await legQuotes({ legConIds }).catch(() => ({ quote: null, stale: true }));
    const policy = ladderPolicy(t);
    // The first limit: a walk starting at mid uses the ladder's start (mid on the conservative side).
    let limit: NetPrice = netToMicros(t.limit);
    const action: 'BUY' | 'SELL' = intent === 'open' ? 'BUY' : 'SELL';
    if (policy && t.pricing.mode === 'walk' && t.pricing.start === 'mid') {
      if (!quote) return fail('UNAVAILABLE', 'A walk starts at mid, but the legs have no two-sided quote now; use a fixed limit or try again.');
      const first = nextLadderStep({ action, quote, stale: false, table: TICKS_COMBO, policy, elapsedMs: 0, current: null });
      if (first.type === 'limit') limit = bagToNet(action, first.price);
    }
    if (limit.amount !== 0 && limit.kind !== expectedNetKind(t.kind, intent)) {
      return fail('VALIDATION', `${intent === 'open' ? 'Opening' : 'Closing'} a ${t.kind} spread is a ${expectedNetKind(t.kind, intent)}, and the market's mid is a ${limit.kind}; check the strikes.`);
    }
    const capNet = policy && quote ? bagToNet(action, ladderCap(action, quote, policy)) : null;
    const bag = verticalBag(t, intent, t.quantity, limit, TICKS_COMBO, capNet);
    if (!bag.ok) return fail('VALIDATION', bag.message);

    const check = await deps.gate.check(riskOrder(ticketId, t, limit, quote, action, legConIds));
    if (!check.allowed) {
      const why = check.verdicts.filter((v) => v.level === 'block').map((v) => v.message).join(' ');
      return fail('RISK_DENIED', `Not sent: ${why || 'the risk checks blocked it.'}`, { verdicts: check.verdicts });
    }

    // Our id, reserved (and durably high-watered) here; never taken from a caller.
    const orderId = deps.broker.reserveOrderId();
    const clientId = deps.clientId();
    const mid = quote ? Math.round((quote.bid + quote.ask) / 2) : null;
    const startedAt = now();
    const recorded = journal.recordIntent({
      purpose: intent, ...(t.spreadId !== undefined ? { spreadId: t.spreadId } : {}), underlying: t.symbol, kind: t.kind, right: rightOf(t.kind), expiry: t.expiry,
      longStrike: t.longStrike, shortStrike: t.shortStrike, multiplier: 100,
      legs: bag.value.legs.map((l, i) => ({ conId: legConIds[i] ?? null, action: intent === 'open' ? l.action : l.action === 'BUY' ? 'SELL' : 'BUY', ratio: 1, expiry: l.expiry, strike: l.strike, right: l.right })),
      action: bag.value.action, quantity: t.quantity, limitPrice: toDollars(bag.value.lmtPrice), midPrice: mid === null ? null : toDollars(mid as Micros),
      pricingPolicy: { ...t.pricing, mode: t.pricing.mode === 'walk' ? 'custom' : 'custom', kind: t.pricing.mode },
      // The parsed ticket, leg conIds and walk start are what a restarted app needs to take the order over (resume.ts).
      preview: { clientTicketId: ticketId, sentence: bag.value.sentence, verdicts: check.verdicts, ticket: t, legConIds, walkStartedAt: startedAt },
      popAtEntry: null, maxLoss: null, maxProfit: null,
      risk: { verdict: check.verdicts.some((v) => v.level === 'warn') ? 'warn' : 'allow', reasons: check.verdicts.filter((v) => v.level !== 'pass').map((v) => ({ code: v.code, message: v.message })) },
      createdBy: 'execution', orderId, clientId,
    });
    if (!recorded.ok) return fail('UNAVAILABLE', `Not sent: ${recorded.error.message}`);

    const w: Working = {
      row: { ...newRow({ orderId, ticketId, t, bag: bag.value, quantity: t.quantity, limit, midAtSubmit: mid === null ? null : bagToNet(action, mid as Micros), submittedAt: now() }), ...(meta ?? {}) },
      progress: newOrder(t.quantity), bag: bag.value, legConIds, journalTicketId: recorded.value.ticketId, ticket: t, current: bag.value.lmtPrice, spreadId: recorded.value.spreadId, exitsArmed: false,
      walk: policy ? { policy, startedAt, timer: null, stopped: false } : null,
    };
    // A walking order shows its walk from the start (step 0, the cap it may reach), not only after its first step.
    if (policy) w.row = { ...w.row, walk: { step: 0, maxSteps: policy.maxSteps, current: w.row.limit, cap: capNet ? microsNet(capNet) : w.row.limit, state: 'walking', nextStepAt: null } };
    orders.set(orderId, w);
    await serial(orderId, async () => {
      await sendPlacement(w, 'order', verticalOrderRequest({ ticketId: recorded.value.ticketId, orderId, symbol: t.symbol, action: bag.value.action, quantity: t.quantity, tif: t.tif, net: limit, legConIds }));
    });
    if (w.walk) scheduleWalk(w);
    return { orderId, ticketId, duplicate: false, verdicts: check.verdicts, sentence: bag.value.sentence, exitOrderIds: [] };
  }

  const newRow = (a: { orderId: number; ticketId: string; t: TicketParsed; bag: BagTicket; quantity: number; limit: NetPrice; midAtSubmit: NetPrice | null; submittedAt: number }): OrderRow => ({
    orderId: a.orderId, ticketId: a.ticketId, permId: null, symbol: a.t.symbol, kind: a.t.kind, expiry: a.t.expiry, longStrike: a.t.longStrike, shortStrike: a.t.shortStrike, intent: a.t.intent,
    action: a.bag.action, quantity: a.quantity, filled: 0, remaining: a.quantity, limit: microsNet(a.limit), avgFill: null, midAtSubmit: a.midAtSubmit ? microsNet(a.midAtSubmit) : null, slippage: null,
    commission: 0, tif: a.t.tif, status: 'PendingSubmit', done: false, walk: null, message: null, ocaGroup: null, parentTicketId: null, submittedAt: a.submittedAt, updatedAt: now(), sentence: a.bag.sentence,
  });

  /** After a restart: takes over a working order of ours that the journal knows (see resume.ts). */
  function takeOver(o: TrackedOrder): boolean {
    const journal = deps.journal();
    if (!journal || !o.ticketId || o.lmtPrice === null) return false;
    const jt = journaledTicket(journal, o.ticketId);
    if (!jt || jt.ticket.intent === 'roll') return false;
    const t = jt.ticket;
    const intent = t.intent === 'close' ? 'close' : 'open';
    const action: 'BUY' | 'SELL' = intent === 'open' ? 'BUY' : 'SELL';
    const current = Math.round(o.lmtPrice * 1_000_000) as Micros;
    const limit = bagToNet(action, current);
    const total = o.filled + o.remaining;
    const bag = verticalBag(t, intent, total, limit, TICKS_COMBO);
    if (!bag.ok) return false;
    const restored = deps.broker.restoreOrderRequest(o.orderId, verticalOrderRequest({ ticketId: jt.journalTicketId, orderId: o.orderId, symbol: t.symbol, action, quantity: total, tif: t.tif, net: limit, legConIds: jt.legConIds }));
    if (!restored) return false;
    const policy = ladderPolicy(t);
    const clientTicketId = jt.clientTicketId ?? jt.journalTicketId;
    const w: Working = {
      row: { ...newRow({ orderId: o.orderId, ticketId: clientTicketId, t, bag: bag.value, quantity: total, limit, midAtSubmit: null, submittedAt: jt.createdAt }), permId: o.permId },
      progress: foldStatus(markSent(newOrder(total)), { status: o.status, filled: o.filled, ...(o.avgFillPrice !== null ? { avgFillPrice: o.avgFillPrice } : {}) }),
      bag: bag.value, legConIds: jt.legConIds, journalTicketId: jt.journalTicketId, ticket: t, current, spreadId: null, exitsArmed: true,
      // The walk continues on its original clock: its step index is (now − start) ÷ interval, as before the restart.
      walk: policy && jt.walkStartedAt !== null ? { policy, startedAt: jt.walkStartedAt, timer: null, stopped: false } : null,
    };
    if (w.walk) w.row = { ...w.row, walk: { step: Math.max(0, jt.submissions - 1), maxSteps: w.walk.policy.maxSteps, current: w.row.limit, cap: w.row.limit, state: 'walking', nextStepAt: null } };
    orders.set(o.orderId, w);
    // The same client ticket sent again after the restart finds this order instead of placing a second one.
    if (!byTicket.has(clientTicketId)) byTicket.set(clientTicketId, Promise.resolve({ orderId: o.orderId, ticketId: clientTicketId, duplicate: false, verdicts: [], sentence: bag.value.sentence, exitOrderIds: [] }));
    publish(w);
    if (w.walk) scheduleWalk(w);
    deps.logger?.info({ orderId: o.orderId, ticketId: jt.journalTicketId, walk: w.walk !== null }, 'took over a working order after restart');
    return true;
  }

  /**
   * Roll: ONE 4-leg BAG that closes the held spread and opens the new one at a net price (core/orders rollBag), bought
   * (BUY = +debit / −credit). Priced fixed — a walk on a 4-leg net is not offered. Journaled as a close of `spreadId`
   * whose two extra legs open the new spread (the journal's one-ticket roll). Judged by the risk gate as an opening
   * order, with the new spread's full width as its max loss (an upper bound: the net of a roll says nothing alone).
   */
  async function doRoll(ticketId: string, t: TicketParsed): Promise<SubmitResult> {
    const to = t.rollTo ?? fail('VALIDATION', 'A roll needs the spread to roll to.');
    if (t.spreadId === undefined) return fail('VALIDATION', 'Rolling needs the journal’s spread id (pick the spread in Positions).');
    if (to.symbol !== t.symbol) return fail('VALIDATION', 'A roll stays on the same underlying.');
    if (t.pricing.mode !== 'fixed') return fail('VALIDATION', 'A roll is sent at a fixed net price; walking a 4-leg net is not offered.');
    if (t.exits) return fail('VALIDATION', 'Attach exits to the new spread after the roll fills.');
    const journal = deps.journal() ?? fail('UNAVAILABLE', 'The trade journal is not available, so no order can be recorded before it is sent.');
    const [oldLegs, newLegs] = await Promise.all([resolveLegs(t), resolveLegs({ ...t, ...to })]);
    const net = netToMicros(t.limit);
    const bag = rollBag(t, to, t.quantity, net, TICKS_COMBO);
    if (!bag.ok) return fail('VALIDATION', bag.message);
    // BAG legs in order: the old spread reversed, then the new one as held.
    const conIds = [oldLegs[0], oldLegs[1], newLegs[0], newLegs[1]];
    if (new Set(conIds).size !== 4) return fail('VALIDATION', 'The new spread shares a leg with the old one; roll to other strikes or expiry.');
    const legs = bag.value.legs.map((l, i) => ({ ...l, conId: conIds[i] as number }));
    const quotes = await Promise.all(conIds.map((c) => deps.quotes.quote(c).catch(() => null)));
    // Natural of the BAG as bought: BUY legs at the ask, SELL legs at the bid (+ = debit paid).
    let naturalU: number | null = 0;
    for (const [i, l] of legs.entries()) {
      const q = quotes[i];
      const px = l.action === 'BUY' ? q?.ask : q?.bid;
      naturalU = px === null || px === undefined || naturalU === null ? null : naturalU + (l.action === 'BUY' ? toMicros(px) : -toMicros(px));
    }
    const width = Math.abs(to.longStrike - to.shortStrike);
    const units = 100 * t.quantity;
    const limit = bagToNet('BUY', bag.value.lmtPrice);
    const natural = naturalU === null ? null : bagToNet('BUY', naturalU as Micros);
    const check = await deps.gate.check({
      ticketId, symbol: t.symbol, kind: to.kind, expiry: to.expiry, longStrike: to.longStrike, shortStrike: to.shortStrike, intent: 'roll', quantity: t.quantity, spreadId: t.spreadId,
      limit: microsNet(limit), mid: null, natural: natural ? microsNet(natural) : null, multiplier: 100, maxLoss: width * units, maxProfit: width * units, margin: width * units,
      commission: Math.max(1, 0.65 * 4 * t.quantity),
      legs: legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, strike: l.strike, right: l.right, side: l.action === 'BUY' ? 1 : -1, ratio: 1, conId: l.conId })),
      quoteAgeMs: null, pop: null, at: now(),
    });
    if (!check.allowed) {
      const why = check.verdicts.filter((v) => v.level === 'block').map((v) => v.message).join(' ');
      return fail('RISK_DENIED', `Not sent: ${why || 'the risk checks blocked it.'}`, { verdicts: check.verdicts });
    }
    const orderId = deps.broker.reserveOrderId();
    const recorded = journal.recordIntent({
      purpose: 'close', spreadId: t.spreadId, underlying: t.symbol, kind: t.kind, right: rightOf(t.kind), expiry: t.expiry, longStrike: t.longStrike, shortStrike: t.shortStrike, multiplier: 100,
      legs: legs.map((l) => ({ conId: l.conId, action: l.action, ratio: 1, expiry: l.expiry, strike: l.strike, right: l.right })),
      action: 'BUY', quantity: t.quantity, limitPrice: toDollars(bag.value.lmtPrice), midPrice: null, pricingPolicy: { mode: 'custom', kind: 'fixed' },
      preview: { clientTicketId: ticketId, sentence: bag.value.sentence, verdicts: check.verdicts, ticket: t, rollLegConIds: conIds },
      popAtEntry: null, maxLoss: null, maxProfit: null,
      risk: { verdict: check.verdicts.some((v) => v.level === 'warn') ? 'warn' : 'allow', reasons: check.verdicts.filter((v) => v.level !== 'pass').map((v) => ({ code: v.code, message: v.message })) },
      createdBy: 'execution', orderId, clientId: deps.clientId(),
    });
    if (!recorded.ok) return fail('UNAVAILABLE', `Not sent: ${recorded.error.message}`);
    const w: Working = {
      row: { ...newRow({ orderId, ticketId, t, bag: bag.value, quantity: t.quantity, limit, midAtSubmit: null, submittedAt: now() }), rollTo: { kind: to.kind, expiry: to.expiry, longStrike: to.longStrike, shortStrike: to.shortStrike } },
      progress: newOrder(t.quantity), bag: bag.value, legConIds: oldLegs, journalTicketId: recorded.value.ticketId, ticket: t, current: bag.value.lmtPrice, spreadId: t.spreadId, exitsArmed: true, walk: null,
    };
    orders.set(orderId, w);
    await serial(orderId, async () => {
      await sendPlacement(w, 'roll', {
        ticketId: recorded.value.ticketId, orderId, action: 'BUY', quantity: t.quantity, orderType: 'LMT', tif: t.tif, net: limit,
        contract: { kind: 'combo', symbol: t.symbol, legs: legs.map((l) => ({ conId: l.conId, action: l.action, ratio: 1 })) as [ComboLeg, ComboLeg, ComboLeg, ComboLeg] },
      });
    });
    return { orderId, ticketId, duplicate: false, verdicts: check.verdicts, sentence: bag.value.sentence, exitOrderIds: [] };
  }

  const ladderCap = (action: 'BUY' | 'SELL', quote: ComboQuote, policy: LadderPolicy): Micros => {
    const mid = Math.round((quote.bid + quote.ask) / 2);
    const nat = action === 'BUY' ? quote.ask : quote.bid;
    return roundToTick(Math.round(mid + ((nat - mid) * policy.capPct) / 100) as Micros, TICKS_COMBO, action === 'BUY' ? 'down' : 'up');
  };

  /** Walk-the-limit: one step per interval, each after the previous modify was confirmed by TWS. */
  function scheduleWalk(w: Working): void {
    const walk = w.walk;
    if (!walk || walk.stopped || disposed || isTerminal(w.progress.state)) return;
    const elapsed = now() - walk.startedAt;
    const nextAt = (Math.floor(elapsed / walk.policy.intervalMs) + 1) * walk.policy.intervalMs;
    walk.timer = setTimer(() => void serial(w.row.orderId, () => walkStep(w)).catch((e: unknown) => deps.logger?.warn({ err: e, orderId: w.row.orderId }, 'walk step failed')), nextAt - elapsed);
  }

  async function walkStep(w: Working): Promise<void> {
    const walk = w.walk;
    if (!walk || walk.stopped || isTerminal(w.progress.state)) return;
    const action = w.bag.action;
    const { quote, stale } = await legQuotes(w).catch(() => ({ quote: null, stale: true }));
    const d = nextLadderStep({ action, quote, stale, table: TICKS_COMBO, policy: walk.policy, elapsedMs: now() - walk.startedAt, current: w.current });
    const journal = deps.journal();
    if (d.type === 'stop') {
      walk.stopped = true;
      if (d.endAction === 'cancel' && !isTerminal(w.progress.state)) await cancelNow(w);
      publish(w);
      return;
    }
    if (d.type === 'limit' && journal && !isTerminal(w.progress.state)) {
      // Write-ahead: the step (with the quote it saw, in the log) is journaled before the modify leaves.
      const rec = journal.recordSubmission({ ticketId: w.journalTicketId, orderId: w.row.orderId, clientId: deps.clientId(), limitPrice: toDollars(d.price) });
      if (rec.ok) {
        const seen = { orderId: w.row.orderId, step: d.step, price: toDollars(d.price), bid: quote && toDollars(quote.bid), ask: quote && toDollars(quote.ask), atCap: d.atCap };
        deps.logger?.info(seen, 'walk step');
        // The quote the step saw, journaled with it (the submission row keeps only the price).
        journal.recordRiskEvent({ kind: 'walk', code: 'WALK_STEP', message: `Walk step ${d.step}: limit ${seen.price} on a combo quote ${seen.bid ?? '—'} / ${seen.ask ?? '—'}.`, ticketId: w.journalTicketId, details: seen, at: now() });
        try {
          await deps.broker.modifyOrder(w.row.orderId, { net: fromBagOrder({ action, lmtPrice: d.price }).net });
          // Confirmed by TWS: the order worked at this price (even when its fill arrived before the confirmation).
          w.current = d.price;
          w.row = { ...w.row, limit: microsNet(bagToNet(action, d.price)) };
        } catch (e) {
          w.row = { ...w.row, message: errorSentence(e) };
        }
      }
    }
    const cap = quote ? microsNet(bagToNet(action, ladderCap(action, quote, walk.policy))) : (w.row.walk?.cap ?? w.row.limit);
    w.row = { ...w.row, walk: { step: d.type === 'limit' ? d.step : w.row.walk?.step ?? 0, maxSteps: walk.policy.maxSteps, current: w.row.limit, cap, state: isTerminal(w.progress.state) ? 'done' : d.type === 'hold' ? (d.reason === 'stale' || d.reason === 'no-quote' ? 'paused-stale' : d.reason === 'wide' ? 'paused-wide' : 'walking') : 'walking', nextStepAt: null } };
    publish(w);
    scheduleWalk(w);
  }

  async function cancelNow(w: Working): Promise<void> {
    if (w.walk) {
      w.walk.stopped = true;
      w.walk.timer?.cancel();
    }
    if (isTerminal(w.progress.state)) return;
    try {
      await deps.broker.cancelOrder(w.row.orderId);
      w.progress = foldStatus(w.progress, { status: 'Cancelled', filled: w.progress.filled });
    } catch (e) {
      w.row = { ...w.row, message: errorSentence(e) };
    }
    publish(w);
  }

  /** Folds one report of an order's progress (an orderStatus, or a combo execution) and what follows from it. */
  const fold = (w: Working, msg: { status: string; filled: number; avgFillPrice?: number }) => {
    w.progress = foldStatus(w.progress, msg);
    if (w.progress.avgFillPrice !== null) {
      const avg = bagToNet(w.bag.action, toMicros(w.progress.avgFillPrice));
      const mid = w.row.midAtSubmit;
      // Slippage vs mid at submit, $ per share: positive = worse for us than mid.
      const cash = (n: { amount: number; kind: string }) => (n.kind === 'credit' ? n.amount : -n.amount);
      w.row = { ...w.row, avgFill: microsNet(avg), slippage: mid ? Math.round((cash(mid) - cash(microsNet(avg))) * 1e6) / 1e6 : null };
    }
    if (isTerminal(w.progress.state) && w.walk) {
      w.walk.stopped = true;
      w.walk.timer?.cancel();
      if (w.row.walk) w.row = { ...w.row, walk: { ...w.row.walk, state: 'done' } };
    }
    if (w.progress.state === 'Filled' && !w.exitsArmed) armExits(w);
    publish(w);
  };

  const onEvent = (e: BrokerEvent) => {
    if (e.type === 'orderStatus' && e.clientId === deps.clientId()) {
      const w = orders.get(e.orderId);
      if (!w) return;
      fold(w, { status: e.status, filled: e.filled, avgFillPrice: e.avgFillPrice });
    } else if (e.type === 'execution' && e.clientId === deps.clientId() && orders.has(e.orderId)) {
      const w = orders.get(e.orderId) as Working;
      const isCombo = e.contract.secType === 'BAG';
      const row: ExecutionRow = {
        execId: e.execId, orderId: e.orderId, ticketId: w.row.ticketId, level: isCombo ? 'combo' : 'leg', symbol: e.contract.symbol, conId: e.contract.conId, strike: e.contract.strike ?? null,
        right: e.contract.right === 'C' || e.contract.right === 'P' ? e.contract.right : null, expiry: e.contract.lastTradeDateOrContractMonth ?? null, side: e.side, quantity: e.shares, price: e.price,
        net: isCombo ? microsNet(bagToNet(w.bag.action, toMicros(e.price))) : null, commission: null, time: e.receivedAt,
      };
      if (execs.some((x) => x.execId === row.execId)) return;
      execs.push(row);
      deps.emit?.({ type: 'execution.added', row });
      // A fill made while the app was disconnected comes back only as executions (reqExecutions after the reconnect):
      // TWS sends no orderStatus for an order that is no longer open. The combo's own execution carries the fill.
      if (isCombo) {
        const filled = e.cumQty ?? execs.filter((x) => x.orderId === e.orderId && x.level === 'combo').reduce((a, x) => a + x.quantity, 0);
        fold(w, { status: filled >= w.progress.total ? 'Filled' : 'Submitted', filled, ...(e.avgPrice !== undefined ? { avgFillPrice: e.avgPrice } : {}) });
      }
    } else if (e.type === 'commissionReport') {
      const x = execs.find((r) => r.execId === e.execId);
      if (!x || x.commission !== null) return;
      x.commission = e.commission;
      const w = orders.get(x.orderId);
      if (w) {
        w.row = { ...w.row, commission: Math.round((w.row.commission + e.commission) * 1e6) / 1e6 };
        publish(w);
      }
      deps.emit?.({ type: 'execution.added', row: { ...x } });
    }
  };
  const exits = createExitMonitor({
    comboQuote: async (legConIds) => ({ ...(await legQuotes({ legConIds }).catch(() => ({ quote: null, stale: true }))), at: now() }),
    placeClose: async (plan, kind, limit, tif) => {
      const t = plan.ticket;
      const r = await doSubmit(`${plan.entryTicketId}:${kind}:${now()}`, {
        symbol: t.symbol, expiry: t.expiry, kind: t.kind, longStrike: t.longStrike, shortStrike: t.shortStrike, quantity: plan.quantity, tif,
        limit: { amount: toDollars(limit.amount), kind: limit.kind }, intent: 'close', spreadId: plan.spreadId,
      }, { intent: kind, parentTicketId: plan.entryTicketId, ocaGroup: `oca-${plan.entryOrderId}` });
      return r.orderId;
    },
    // An exit order this service did not take over after a restart is still ours at the broker: addressed there.
    cancel: (orderId) => (orders.has(orderId) ? service.cancel(orderId).then(() => undefined) : deps.broker.cancelOrder(orderId)),
    orderState: (orderId) => {
      const w = orders.get(orderId);
      if (w) return w.progress.state === 'Filled' ? 'filled' : isTerminal(w.progress.state) ? 'done' : 'working';
      const own = deps.clientId();
      const o = deps.broker.trackedOrders().find((x) => x.orderId === orderId && (x.clientId ?? own) === own);
      return !o ? 'done' : o.status === 'Filled' ? 'filled' : TERMINAL_STATUS.has(o.status) || o.stuck ? 'done' : 'working';
    },
    now,
    setTimer,
    ...(deps.exitPollMs !== undefined ? { pollMs: deps.exitPollMs } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });

  /** The entry filled: its profit target goes to the broker and its stop is watched (exits.ts). */
  function armExits(w: Working): void {
    w.exitsArmed = true;
    const x = w.ticket.exits;
    if (!x || (x.profitTargetPct === undefined && x.stop === undefined) || w.spreadId === null || !w.row.avgFill) return;
    const entryCash = w.row.avgFill.kind === 'credit' ? w.row.avgFill.amount : -w.row.avgFill.amount;
    exits.arm({
      entryOrderId: w.row.orderId, entryTicketId: w.row.ticketId, spreadId: w.spreadId, ticket: w.ticket, legConIds: w.legConIds, quantity: w.progress.filled, entryCash,
      width: Math.abs(w.ticket.longStrike - w.ticket.shortStrike), profitTarget: x.profitTargetPct === undefined ? null : x.profitTargetPct / 100,
      stop: !x.stop ? null : x.stop.basis === 'creditMultiple' ? { creditMultiple: x.stop.value } : { maxLossPct: x.stop.value / 100 },
    });
    w.row = { ...w.row, ocaGroup: `oca-${w.row.orderId}` };
  }

  /**
   * After a restart: open spreads whose entry attached exits get them back — the target that still works at the broker
   * is watched (not placed again; not re-placed if the trader cancelled it), the stop is re-armed unless it had
   * already fired (its close was sent).
   */
  function rearmExits(): number[] {
    const journal = deps.journal();
    if (!journal) return [];
    const own = deps.clientId();
    const working = new Set(deps.broker.trackedOrders().filter((o) => (o.clientId ?? own) === own && !o.stuck && !TERMINAL_STATUS.has(o.status)).map((o) => o.orderId));
    const rearmed: number[] = [];
    for (const x of journaledExits(journal, own)) {
      if (x.exitOrders.some((o) => o.kind === 'exit-stop')) continue;
      const e = x.entry.ticket.exits;
      if (!e) continue;
      const entryTicketId = x.entry.clientTicketId ?? x.entry.journalTicketId;
      const entryOrderId = x.entryOrderId ?? -x.spreadId;
      const target = x.exitOrders.filter((o) => o.kind === 'exit-target' && working.has(o.orderId)).at(-1) ?? null;
      const targetSentBefore = x.exitOrders.some((o) => o.kind === 'exit-target');
      const tw = target ? orders.get(target.orderId) : undefined;
      if (tw) {
        tw.row = { ...tw.row, intent: 'exit-target', parentTicketId: entryTicketId, ocaGroup: `oca-${entryOrderId}` };
        publish(tw);
      }
      const profitTarget = e.profitTargetPct !== undefined && (target !== null || !targetSentBefore) ? e.profitTargetPct / 100 : null;
      const stop = !e.stop ? null : e.stop.basis === 'creditMultiple' ? { creditMultiple: e.stop.value } : { maxLossPct: e.stop.value / 100 };
      if (profitTarget === null && stop === null) continue;
      exits.arm({
        entryOrderId, entryTicketId, spreadId: x.spreadId, ticket: x.entry.ticket, legConIds: x.entry.legConIds, quantity: x.openQuantity, entryCash: x.entryCashPerShare,
        width: Math.abs(x.entry.ticket.longStrike - x.entry.ticket.shortStrike), profitTarget, stop, targetOrderId: target?.orderId ?? null,
      });
      rearmed.push(x.spreadId);
    }
    if (rearmed.length > 0) deps.logger?.info({ spreads: rearmed }, 're-armed attached exits after restart');
    return rearmed;
  }

  const offEvents = deps.broker.onEvent(onEvent);

  const mustGet = (orderId: number): Working => orders.get(orderId) ?? fail('NOT_FOUND', `Order ${orderId} was not placed by SpreadDesk in this session.`);

  const service: ExecutionService = {
    submit(ticketId, ticket) {
      const existing = byTicket.get(ticketId);
      if (existing) return existing.then((r) => ({ ...r, duplicate: true }));
      const p = doSubmit(ticketId, ticket);
      byTicket.set(ticketId, p);
      // A ticket refused before an order id was reserved may be corrected and sent again under the same id.
      p.catch(() => {
        if (![...orders.values()].some((w) => w.row.ticketId === ticketId)) byTicket.delete(ticketId);
      });
      return p;
    },
    modify(orderId, change) {
      const w = mustGet(orderId);
      return serial(orderId, async () => {
        if (isTerminal(w.progress.state)) fail('CONFLICT', `Order ${orderId} is ${w.progress.state}; it can no longer be changed.`);
        if (w.walk) {
          // A trader's modify takes over from the walk.
          w.walk.stopped = true;
          w.walk.timer?.cancel();
        }
        const intent = w.bag.action === 'BUY' ? 'open' : 'close';
        const net = change.limit ? netToMicros(change.limit) : bagToNet(w.bag.action, w.current);
        const quantity = change.quantity ?? w.progress.total;
        const bag = w.ticket.intent === 'roll' && w.ticket.rollTo ? rollBag(w.ticket, w.ticket.rollTo, quantity, net, TICKS_COMBO) : verticalBag(w.ticket, intent, quantity, net, TICKS_COMBO);
        if (!bag.ok) fail('VALIDATION', bag.ok ? '' : bag.message);
        const journal = deps.journal() ?? fail('UNAVAILABLE', 'The trade journal is not available, so the change cannot be recorded first.');
        const rec = journal.recordSubmission({ ticketId: w.journalTicketId, orderId, clientId: deps.clientId(), limitPrice: bag.ok ? toDollars(bag.value.lmtPrice) : 0, quantity });
        if (!rec.ok) fail('UNAVAILABLE', `Not changed: ${rec.error.message}`);
        try {
          await deps.broker.modifyOrder(orderId, { net, quantity });
        } catch (e) {
          fail('BROKER', `TWS did not accept the change: ${errorSentence(e)}`);
        }
        w.current = bag.ok ? bag.value.lmtPrice : w.current;
        w.progress = withTotal(w.progress, quantity);
        w.row = { ...w.row, limit: microsNet(net), quantity, walk: w.row.walk ? { ...w.row.walk, state: 'done' } : null };
        publish(w);
        return w.row;
      });
    },
    cancel(orderId) {
      const w = mustGet(orderId);
      return serial(orderId, async () => {
        await cancelNow(w);
        return w.row;
      });
    },
    async cancelAll() {
      const ids = [...orders.values()].filter((w) => !isTerminal(w.progress.state)).map((w) => w.row.orderId);
      await Promise.all(ids.map((id) => service.cancel(id).catch(() => undefined)));
      return { cancelled: ids };
    },
    async cancelOthers() {
      const own = deps.clientId();
      const live = (o: TrackedOrder) => !o.stuck && !TERMINAL_STATUS.has(o.status);
      const tracked = deps.broker.trackedOrders().filter(live);
      // Earlier sessions of this client: addressable by id (TWS order ids are per client).
      const earlier = tracked.filter((o) => (o.clientId ?? own) === own && !orders.has(o.orderId));
      const foreign = tracked.filter((o) => o.clientId !== null && o.clientId !== undefined && o.clientId !== own);
      const out: SweepResult[] = await Promise.all(
        earlier.map((o) =>
          deps.broker.cancelOrder(o.orderId).then(
            () => ({ orderId: o.orderId, clientId: own, ok: true, message: `Order ${o.orderId} (from an earlier session) cancelled.` }),
            (e: unknown) => ({ orderId: o.orderId, clientId: own, ok: false, message: `Order ${o.orderId} (from an earlier session) could not be cancelled: ${errorSentence(e)}` }),
          ),
        ),
      );
      // Orders of other clients and of TWS itself cannot be cancelled by id from here (and are mostly invisible to
      // this client): one reqGlobalCancel reaches every working order of the account. TWS reports those cancels to
      // their own client only, so they are reported as requested, not confirmed.
      try {
        await deps.broker.cancelAllOrders();
        out.push({ orderId: null, clientId: null, ok: true, message: 'Global cancel sent to TWS: every other working order of the account (other API clients, orders entered in TWS) is cancelled too.' });
        for (const o of foreign) out.push({ orderId: o.orderId, clientId: o.clientId ?? null, ok: true, message: `Order ${o.orderId} of API client ${o.clientId} cancelled by the global cancel (requested; TWS confirms it to that client).` });
      } catch (e) {
        out.push({ orderId: null, clientId: null, ok: false, message: `The global cancel could not be sent: ${errorSentence(e)}. Orders placed in TWS or by other clients may still work.` });
      }
      return out;
    },
    closeSpread(a) {
      return service.submit(a.ticketId, { symbol: a.symbol, expiry: a.expiry, kind: a.kind, longStrike: a.longStrike, shortStrike: a.shortStrike, quantity: a.quantity, limit: a.limit, intent: 'close', spreadId: a.spreadId });
    },
    list(includeDone = true) {
      const rows = [...[...orders.values()].map((w) => w.row), ...adopted.values()];
      return rows.filter((r) => includeDone || !r.done).sort((a, b) => b.submittedAt - a.submittedAt || b.orderId - a.orderId);
    },
    executions(orderId) {
      return execs.filter((x) => orderId === undefined || x.orderId === orderId).slice().reverse();
    },
    async recoverWorking(policy) {
      const out = { adopted: [] as number[], cancelled: [] as number[], resumed: [] as number[], exitsRearmed: [] as number[] };
      const own = deps.clientId();
      for (const o of deps.broker.trackedOrders()) {
        // Only this client's orders: another client's order 7 is not ours to adopt or cancel by id.
        if ((o.clientId ?? own) !== own || orders.has(o.orderId) || adopted.has(o.orderId) || o.stuck) continue;
        if (TERMINAL_STATUS.has(o.status)) continue;
        if (policy === 'cancel') {
          // The walk that priced it is gone with the old process: cancel rather than leave it unattended.
          await deps.broker.cancelOrder(o.orderId).then(() => out.cancelled.push(o.orderId), (e: unknown) => deps.logger?.warn({ err: e, orderId: o.orderId }, 'could not cancel a recovered order'));
        } else if (policy === 'resume' && takeOver(o)) {
          out.resumed.push(o.orderId);
        } else {
          out.adopted.push(o.orderId);
        }
      }
      if (policy === 'resume') out.exitsRearmed = rearmExits();
      return out;
    },
    dispose() {
      disposed = true;
      exits.dispose();
      offEvents();
      for (const w of orders.values()) w.walk?.timer?.cancel();
    },
  };
  return service;
}

const TERMINAL_STATUS = new Set(['Filled', 'Cancelled', 'ApiCancelled', 'Inactive', 'Rejected', 'Unknown']);

/** The gate until the risk engine lands: the trading state (ACTIVE allows, REDUCING only closes, HALTED nothing). */
export function tradingStateGate(status: () => { state: 'ACTIVE' | 'REDUCING' | 'HALTED'; code: string; reason: string }): RiskGate {
  return {
    check(order) {
      const s = status();
      const verdict: RiskVerdict =
        s.state === 'ACTIVE' || (s.state === 'REDUCING' && order.intent === 'close')
          ? { code: 'TRADING_STATE', level: 'pass', message: 'Trading is allowed.' }
          : { code: `TRADING_${s.code}`, level: 'block', message: s.state === 'REDUCING' ? `Only closing orders are allowed now: ${s.reason}` : s.reason };
      return Promise.resolve({ allowed: verdict.level !== 'block', verdicts: [verdict] });
    },
  };
}
