// Attached exits: once an entry fills, its profit target works at the broker and its stop is watched by the app.
//
// Why this split: the profit target is a plain GTC BAG limit (IBKR works it natively, and it keeps working when the
// app is closed), so it is placed as a closing order through the execution service. A stop on a combo is not native
// at IBKR (it would be simulated by IBKR on leg prices, with no guarantee for the combo), so the stop is the app's
// monitored exit: every `pollMs` it reads the combo quote and evaluates core/portfolio's exit rules at mid (guarded
// against stale, crossed and wide quotes); when it fires, the target is cancelled first (the app enforces
// one-cancels-other, the OCA group is shown on both rows) and a closing ticket at the natural price is submitted
// through execution — so the stop passes the same risk gate and journal intent as any order. The stop is watched
// only while the app runs; at the next start the execution service re-arms it from the journal (the entry ticket
// keeps its exit plan), and a target still working at the broker is watched, not placed twice.
import type { TicketParsed } from '../../../core/contract';
import type { ComboQuote } from '../../../core/orders/ladder';
import { evaluateExit, freshExitState, type ExitRules, type ExitState } from '../../../core/portfolio/exits';
import { roundToTick, TICKS_COMBO, toDollars, toMicros, type Micros, type NetPrice } from '../../../core/spreads';
import type { Logger } from '../logging';

export interface ExitPlan {
  entryOrderId: number;
  entryTicketId: string;
  spreadId: number;
  ticket: TicketParsed;
  legConIds: [number, number];
  quantity: number;
  /** Entry cash per share, $: + credit received, − debit paid. */
  entryCash: number;
  /** Strike width per share, $. */
  width: number;
  /** Fraction of max profit, when a target is attached. */
  profitTarget: number | null;
  stop: { creditMultiple: number } | { maxLossPct: number } | null;
  /** Re-armed after a restart: the target already working at the broker (not placed again). */
  targetOrderId?: number | null;
}

interface Armed extends ExitPlan {
  targetOrderId: number | null;
  targetTries: number;
  state: ExitState;
  done: boolean;
}

export interface ExitMonitorDeps {
  comboQuote(legConIds: [number, number]): Promise<{ quote: ComboQuote | null; stale: boolean; at: number }>;
  /** Submits a closing ticket through the execution service; resolves with its order id. */
  placeClose(plan: ExitPlan, kind: 'exit-target' | 'exit-stop', limit: NetPrice, tif: 'DAY' | 'GTC'): Promise<number>;
  cancel(orderId: number): Promise<void>;
  /** Whether an order is done (filled, cancelled…), and whether it filled. */
  orderState(orderId: number): 'working' | 'filled' | 'done';
  now: () => number;
  setTimer: (fn: () => void, ms: number) => { cancel(): void };
  pollMs?: number;
  logger?: Logger;
}

export interface ExitMonitor {
  arm(plan: ExitPlan): void;
  /** Order ids of the exits placed for an entry so far. */
  exitOrders(entryOrderId: number): number[];
  dispose(): void;
}

/** The closing price that books `target` of max profit: credit spreads buy back at (1 − p) × credit, debit ones sell at entry + p × (width − debit). */
export function targetClosePrice(entryCash: number, width: number, target: number): NetPrice {
  if (entryCash > 0) {
    // Pay at most this debit: rounded down, so the target is never worse than asked.
    return { amount: roundToTick(toMicros(entryCash * (1 - target)), TICKS_COMBO, 'down'), kind: 'debit' };
  }
  const debit = -entryCash;
  return { amount: roundToTick(toMicros(debit + target * (width - debit)), TICKS_COMBO, 'up'), kind: 'credit' };
}

export function createExitMonitor(deps: ExitMonitorDeps): ExitMonitor {
  const pollMs = deps.pollMs ?? 2_000;
  const armed = new Map<number, Armed>();
  const placed = new Map<number, number[]>();
  let timer: { cancel(): void } | null = null;
  let running = false;
  let disposed = false;

  const rulesOf = (a: Armed): ExitRules => ({
    ...(a.stop && 'creditMultiple' in a.stop ? { stopCreditMultiple: a.stop.creditMultiple } : {}),
    ...(a.stop && 'maxLossPct' in a.stop ? { stopMaxLossPct: a.stop.maxLossPct } : {}),
    // Stops never fire on a quote older than 15 s or wider than half the spread's range.
    guard: { maxWidthPct: 0.5, maxAgeMs: 15_000 },
  });

  const record = (entryOrderId: number, orderId: number) => placed.set(entryOrderId, [...(placed.get(entryOrderId) ?? []), orderId]);

  async function tick(a: Armed): Promise<void> {
    if (a.targetOrderId !== null) {
      // Filled: the position is closed. Cancelled (by the trader) with no stop: nothing left to watch.
      const st = deps.orderState(a.targetOrderId);
      if (st === 'filled' || (st === 'done' && !a.stop)) {
        a.done = true;
        return;
      }
    }
    if (a.profitTarget !== null && a.targetOrderId === null && a.targetTries < 30) {
      a.targetTries++;
      try {
        a.targetOrderId = await deps.placeClose(a, 'exit-target', targetClosePrice(a.entryCash, a.width, a.profitTarget), 'GTC');
        record(a.entryOrderId, a.targetOrderId);
      } catch (e) {
        // Typically the journal has not folded the entry's fills yet (the close names a spread not open): retry.
        deps.logger?.warn({ err: e, entry: a.entryOrderId }, 'profit target not placed yet');
      }
    }
    if (!a.stop) return;
    const { quote, at } = await deps.comboQuote(a.legConIds);
    const maxProfit = a.entryCash > 0 ? a.entryCash : a.width + a.entryCash;
    const maxLoss = a.entryCash > 0 ? a.width - a.entryCash : -a.entryCash;
    const q = quote ? { bid: toDollars(quote.bid), ask: toDollars(quote.ask), at } : null;
    const r = evaluateExit(rulesOf(a), { entry: a.entryCash, maxProfit, maxLoss, dte: Number.POSITIVE_INFINITY, nyMinute: 0 }, a.state, q, deps.now());
    a.state = r.state;
    if (r.decision.action !== 'close' || !quote) return;
    a.done = true;
    deps.logger?.warn({ entry: a.entryOrderId, reason: r.decision.reason }, 'stop fired');
    // One cancels the other: the target leaves before the stop's close is sent.
    if (a.targetOrderId !== null && deps.orderState(a.targetOrderId) === 'working') await deps.cancel(a.targetOrderId).catch(() => undefined);
    if (a.targetOrderId !== null && deps.orderState(a.targetOrderId) === 'filled') return;
    // Closing sells the held combo: its natural is the combo bid, rounded toward crossing.
    const natural = roundToTick(quote.bid, TICKS_COMBO, 'down') as Micros;
    const net: NetPrice = natural >= 0 ? { amount: natural, kind: 'credit' } : { amount: (-natural) as Micros, kind: 'debit' };
    const id = await deps.placeClose(a, 'exit-stop', net, 'DAY');
    record(a.entryOrderId, id);
  }

  async function sweep(): Promise<void> {
    if (running || disposed) return;
    running = true;
    try {
      for (const a of armed.values()) {
        if (a.done) continue;
        await tick(a).catch((e: unknown) => deps.logger?.warn({ err: e, entry: a.entryOrderId }, 'exit check failed'));
      }
      for (const [id, a] of armed) if (a.done) armed.delete(id);
    } finally {
      running = false;
      schedule();
    }
  }

  function schedule(): void {
    timer?.cancel();
    timer = null;
    if (disposed || armed.size === 0) return;
    timer = deps.setTimer(() => void sweep(), pollMs);
  }

  return {
    arm(plan) {
      if (disposed || armed.has(plan.entryOrderId)) return;
      armed.set(plan.entryOrderId, { ...plan, targetOrderId: plan.targetOrderId ?? null, targetTries: 0, state: freshExitState(), done: false });
      if (plan.targetOrderId) record(plan.entryOrderId, plan.targetOrderId);
      // First look after one interval: the journal folds the entry's fills meanwhile (a close needs the spread open).
      if (!running) schedule();
    },
    exitOrders: (entryOrderId) => placed.get(entryOrderId) ?? [],
    dispose() {
      disposed = true;
      timer?.cancel();
      timer = null;
      armed.clear();
    },
  };
}
