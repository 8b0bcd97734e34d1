// The risk service: RiskGate.check for every order (context gathered from broker, execution, settings, clock), breakers, arming and the kill switch.
// Length (~410 lines): the checks themselves are pure (core/risk); this file is the one in-memory record they all step.
//
// Every state change (breaker, arm, reset, limits) is a synchronous step on one in-memory record, persisted and
// published before the next can run; the kill switch is single-flight (a second press joins the first run).
// Limits and a latched breaker live in <dataDir>/risk.json, so a HALT survives a restart until reset; arming is
// never persisted (a restart or a disconnect disarms).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ContractFailure, DEFAULT_PROFILES, type ConnectionStatus } from '../../../core/contract';
import { KillReport, RiskBreaker, RiskLimits, type KillAction, type RiskLimitsPatch, type RiskStatus } from '../../../core/contract/risk';
import type { BrokerEvent } from '../../../core/broker';
import {
  DEFAULT_RISK_LIMITS, NO_BREAKER, evaluate, isAllowed, killed, onAccepted, onDailyPnl, onReject, ticketKey, unrealizedAtNatural,
  type BreakerState, type DailyPnl, type HeldLegMark, type LegQuoteFacts, type OpenSpreadFacts, type RiskContext, type RiskOrder, type RiskVerdict,
} from '../../../core/risk';
import type { Broker, QuoteSubscription } from '../broker/types';
import type { EventBus } from '../events';
import type { JournalService } from '../journal/service';
import type { Logger } from '../logging';
import { writeFileAtomic } from '../../fs/atomic-write';
import type { TradingGate } from '../trading/service';

export const RISK_FILE = 'risk.json';

/** One open spread as the kill switch flattens it. */
export interface KillSpread extends OpenSpreadFacts {
  /** For the report: "SPY 20261218 500/505 C ×2". */
  label: string;
}

/** What the kill switch and the open-spread count need from the execution service (cancelAll / closeSpread). */
export interface ExecutionForRisk {
  cancelAll(): Promise<Array<{ orderId: number; ok: boolean; message: string }>>;
  /** Open spreads, or null when no service can list them yet (then nothing is flattened, and the report says so). */
  listOpenSpreads(): Promise<KillSpread[] | null>;
  /** Closes one spread as ONE combo order at a steep walk; resolves once it is sent (not filled). */
  closeSpread(spreadId: number): Promise<{ orderId: number | null; ok: boolean; message: string }>;
}

export type RiskBroker = Pick<Broker, 'status' | 'onEvent' | 'onStatus' | 'accountSummary' | 'subscribeQuote' | 'subscribePnl' | 'positions'>;

export interface RiskServiceDeps {
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  now: () => number;
  broker: RiskBroker;
  journal: Pick<JournalService, 'journal'>;
  gate: TradingGate;
  /** The execution service, once composed (kill switch flatten, open spreads). */
  execution?: ExecutionForRisk;
  /** Leg quotes for a check; defaults to the broker's quote lines (waits up to quoteWaitMs for a first tick). */
  quotes?: (conIds: number[]) => Promise<LegQuoteFacts[]>;
  quoteWaitMs?: number;
}

export interface RiskCheckExtras {
  whatIf?: { initMarginChange: number | null } | null;
  combo?: RiskContext['combo'];
}

export interface RiskService {
  check(order: RiskOrder, extras?: RiskCheckExtras): Promise<{ allowed: boolean; verdicts: RiskVerdict[] }>;
  /** Breaker hooks (the execution service calls them; broker events feed them too, de-duplicated by order id). */
  onRejected(info: { orderId: number; message?: string }): void;
  onSubmitted(info: { orderId: number }): void;
  onPnl(p: DailyPnl): void;
  limits(): RiskLimits;
  updateLimits(patch: RiskLimitsPatch): RiskLimits;
  status(): RiskStatus;
  arm(confirm: string): RiskStatus;
  disarm(): RiskStatus;
  reset(confirm: string): RiskStatus;
  kill(options: { flatten: boolean }): Promise<KillReport>;
  attachExecution(execution: ExecutionForRisk): void;
  close(): void;
}

const Persisted = z.object({ limits: RiskLimits.partial(), breaker: RiskBreaker.nullable() }).partial();

export function createRiskService(deps: RiskServiceDeps): RiskService {
  const log = deps.logger.child({ service: 'risk' });
  const file = join(deps.dataDir, RISK_FILE);
  let limits: RiskLimits = { ...DEFAULT_RISK_LIMITS };
  let breakers: BreakerState = NO_BREAKER;
  let armed = false;
  let execution = deps.execution;
  let dailyPnl: RiskStatus['dailyPnl'] = null;
  const account = { netLiquidation: null as number | null, buyingPower: null as number | null };
  const recent: { key: string; at: number }[] = [];
  const rejected = new Set<number>();
  let killRun: Promise<KillReport> | null = null;

  if (existsSync(file)) {
    try {
      const p = Persisted.parse(JSON.parse(readFileSync(file, 'utf8')));
      limits = RiskLimits.parse({ ...DEFAULT_RISK_LIMITS, ...p.limits });
      breakers = { ...NO_BREAKER, breaker: p.breaker ?? null };
    } catch (e) {
      // An unreadable file must not silently lift a HALT: start HALTED and say why.
      log.error({ err: e, file }, 'risk file unreadable');
      breakers = { ...NO_BREAKER, breaker: { state: 'HALTED', code: 'RISK_FILE', reason: `The risk settings file could not be read (${e instanceof Error ? e.message : String(e)}); reset to trade.`, at: deps.now() } };
    }
  }

  const conn = (): ConnectionStatus => deps.broker.status();
  const armRequired = () => {
    const c = conn();
    // A live profile needs arming even when its accounts look like paper ones (DU…): the profile is what the trader chose.
    return c.state === 'connected' && (c.accountMode === 'LIVE' || DEFAULT_PROFILES.some((p) => p.id === c.profile && p.live));
  };
  const accountId = () => conn().accounts[0] ?? null;
  const journal = (kind: string, code: string, message: string, details?: unknown, ticketId?: string) => {
    const j = deps.journal.journal;
    if (!j) return;
    const r = j.recordRiskEvent({ kind, code, message, details: details ?? {}, ...(ticketId ? { ticketId } : {}), at: deps.now() });
    if (!r.ok) log.warn({ error: r.error }, 'risk event not journaled');
  };
  const persist = () => writeFileAtomic(file, JSON.stringify({ limits, breaker: breakers.breaker }, null, 2));

  const status = (): RiskStatus => ({
    trading: deps.gate.status(),
    breaker: breakers.breaker,
    armRequired: armRequired(),
    armed: armRequired() && armed,
    account: accountId(),
    consecutiveRejects: breakers.consecutiveRejects,
    dailyPnl,
  });
  const publish = () => {
    deps.gate.setOverlay({ breaker: breakers.breaker, armRequired: armRequired(), armed: armRequired() && armed });
    deps.bus.emit('risk.status', status());
  };

  /** The one way the breaker record changes: apply, persist if the latch moved, journal the trip, publish. */
  const apply = (next: BreakerState, tripped: RiskBreaker | null) => {
    const latchMoved = next.breaker !== breakers.breaker;
    breakers = next;
    if (latchMoved) persist();
    if (tripped) {
      log.warn({ code: tripped.code, state: tripped.state }, tripped.reason);
      journal('breaker', tripped.code, tripped.reason, { state: tripped.state });
      deps.bus.emit('app.logged', { level: 'error', message: `Trading ${tripped.state}: ${tripped.reason}`, at: deps.now() });
    }
    publish();
  };

  const onRejected = (info: { orderId: number; message?: string }) => {
    if (rejected.has(info.orderId)) return;
    rejected.add(info.orderId);
    const r = onReject(breakers, limits, deps.now());
    apply(r.state, r.tripped);
  };
  const onSubmitted = (_info: { orderId: number }) => {
    const next = onAccepted(breakers);
    if (next !== breakers) apply(next, null);
  };
  const onPnl = (p: DailyPnl) => {
    dailyPnl = { ...p, at: deps.now() };
    const r = onDailyPnl(breakers, p, limits, deps.now());
    if (r.tripped) apply(r.state, r.tripped);
    else deps.bus.emit('risk.status', status());
  };

  // Broker events: rejects (201) and acceptances feed the reject breaker; account values feed the checks.
  const offEvents = deps.broker.onEvent((e: BrokerEvent) => {
    if (e.type === 'orderError' && e.code === 201) onRejected({ orderId: e.orderId, message: e.message });
    else if (e.type === 'orderStatus' && (e.status === 'Submitted' || e.status === 'PreSubmitted' || e.status === 'Filled')) onSubmitted({ orderId: e.orderId });
    else if (e.type === 'position') notePosition(e.contract.conId, e.position, e.contract.multiplier);
    else if (e.type === 'execution') heldDirty = true;
    else if (e.type === 'accountValue' && (e.currency === 'USD' || e.currency === 'BASE' || e.currency === '')) {
      const v = Number(e.value);
      if (!Number.isFinite(v)) return;
      if (e.key === 'NetLiquidation') account.netLiquidation = v;
      if (e.key === 'AvailableFunds') account.buyingPower = v;
    }
  });

  // Daily loss at natural: the held legs' quotes, streamed only while that basis is chosen (market-data lines are scarce).
  const marks = new Map<number, QuoteSubscription>();
  const releaseMarks = () => {
    for (const sub of marks.values()) sub.release();
    marks.clear();
  };
  /** Held legs (signed quantity, multiplier) from the broker's position messages, re-asked when stale or after a fill. */
  const held = new Map<number, { qty: number; multiplier: number }>();
  let heldAt = 0;
  let heldDirty = true;
  let heldFlight: Promise<void> | null = null;
  const notePosition = (conId: number, position: number, multiplier: unknown) => {
    const m = Number(multiplier);
    if (position === 0) held.delete(conId);
    else held.set(conId, { qty: position, multiplier: Number.isFinite(m) && m > 0 ? m : 1 });
  };
  const refreshHeld = () => {
    if (heldFlight || conn().state !== 'connected') return;
    heldFlight = deps.broker.positions().then(
      (rows) => {
        held.clear();
        for (const r of rows) notePosition(r.contract.conId, r.position, r.contract.multiplier);
        heldAt = deps.now();
        heldDirty = false;
      },
      (e: unknown) => log.warn({ err: e }, 'positions for the daily-loss mark failed'),
    ).finally(() => {
      heldFlight = null;
    });
  };
  const unrealizedNatural = (unrealizedMid: number): number | null => {
    if (limits.dailyLossBasis !== 'natural' || limits.dailyLossLimitUsd === null) {
      releaseMarks();
      return null;
    }
    if (heldDirty || deps.now() - heldAt > 30_000) refreshHeld();
    // Until the positions have been read once, the natural figure is unknown (the breaker falls back to mid).
    if (heldAt === 0) return null;
    const legsHeld = [...held].map(([conId, h]) => ({ conId, ...h }));
    const keep = new Set(legsHeld.map((h) => h.conId));
    for (const [conId, sub] of marks) {
      if (keep.has(conId)) continue;
      sub.release();
      marks.delete(conId);
    }
    for (const h of legsHeld) if (!marks.has(h.conId)) marks.set(h.conId, deps.broker.subscribeQuote({ conId: h.conId }, undefined, { genericTicks: '' }));
    const legs: HeldLegMark[] = legsHeld.map((h) => {
      const q = marks.get(h.conId)?.latest() ?? null;
      return { qty: h.qty, multiplier: h.multiplier, bid: q?.bid ?? null, ask: q?.ask ?? null };
    });
    return unrealizedAtNatural(unrealizedMid, legs);
  };

  // Connection: disarm on any loss of the session; follow the account's daily P&L while connected.
  let pnlLease: { release(): void } | null = null;
  let wasConnected = false;
  const offStatus = deps.broker.onStatus((c) => {
    const connected = c.state === 'connected';
    if (!connected && armed) {
      armed = false;
      journal('state', 'DISARMED', 'Disconnected: the live account is disarmed.');
    }
    if (connected && !wasConnected && c.accounts[0]) {
      pnlLease?.release();
      pnlLease = deps.broker.subscribePnl(c.accounts[0], (p) => {
        const realized = p.realizedPnL ?? 0;
        const unrealizedMid = p.dailyPnL - realized;
        onPnl({ realized, unrealizedMid, unrealizedNatural: unrealizedNatural(unrealizedMid) });
      });
    } else if (!connected && pnlLease) {
      pnlLease.release();
      pnlLease = null;
      releaseMarks();
    }
    wasConnected = connected;
    publish();
  });

  const defaultQuotes = async (conIds: number[]): Promise<LegQuoteFacts[]> => {
    const subs = conIds.map((conId) => deps.broker.subscribeQuote({ conId }, undefined, { genericTicks: '' }));
    try {
      const deadline = Date.now() + (deps.quoteWaitMs ?? 2_000);
      while (subs.some((s) => s.latest() === null && s.status !== 'failed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return subs.map((s) => {
        const q = s.latest();
        return { conId: s.conId, bid: q?.bid ?? null, ask: q?.ask ?? null, volume: q?.volume ?? null, openInterest: null, updatedAt: q?.updatedAt ?? null };
      });
    } finally {
      for (const s of subs) s.release();
    }
  };

  const fetchAccount = async () => {
    if (account.netLiquidation !== null && account.buyingPower !== null) return;
    if (conn().state !== 'connected') return;
    try {
      const rows = await deps.broker.accountSummary(['NetLiquidation', 'AvailableFunds']);
      for (const r of rows) {
        const v = Number(r.value);
        if (r.key === 'NetLiquidation' && Number.isFinite(v)) account.netLiquidation = v;
        if (r.key === 'AvailableFunds' && Number.isFinite(v)) account.buyingPower = v;
      }
    } catch (e) {
      log.warn({ err: e }, 'account summary for risk checks failed');
    }
  };

  const check: RiskService['check'] = async (order, extras = {}) => {
    let ctx: RiskContext | null = null;
    if ((order.action ?? 'submit') !== 'cancel') {
      const conIds = order.legs.flatMap((l) => (l.conId === undefined ? [] : [l.conId]));
      const [quotes, open] = await Promise.all([
        conIds.length > 0 ? (deps.quotes ?? defaultQuotes)(conIds) : Promise.resolve([] as LegQuoteFacts[]),
        execution ? execution.listOpenSpreads().then((x) => x ?? [], () => [] as KillSpread[]) : Promise.resolve([] as KillSpread[]),
        fetchAccount(),
      ]);
      const t = deps.gate.status();
      ctx = {
        now: deps.now(), limits: conn().accountMode === 'SIMULATED' ? { ...limits, requireRegularSession: false } : limits, trading: { state: t.state, code: t.code, reason: t.reason }, connected: conn().state === 'connected',
        armRequired: armRequired(), armed, account: accountId(), netLiquidation: account.netLiquidation, buyingPower: account.buyingPower,
        whatIf: extras.whatIf ?? null, openSpreads: open, legQuotes: quotes, combo: extras.combo ?? null, recentTickets: recent,
      };
    }
    // A cancel never needs context (and must never wait on quotes while HALTED).
    if (!ctx) return { allowed: true, verdicts: [{ code: 'CANCEL', level: 'pass', message: 'Cancels are always allowed.' }] };
    const verdicts = evaluate(order, ctx);
    const allowed = isAllowed(verdicts);
    // A preview's verdicts are shown in the Ticket, not journaled (it refreshes every few seconds); a denied send is.
    if (!allowed && order.action !== 'preview') {
      const blocks = verdicts.filter((v) => v.level === 'block');
      journal('denied', blocks[0]!.code, blocks.map((b) => b.message).join(' '), { order, verdicts }, order.ticketId);
    } else if (allowed && (order.action ?? 'submit') === 'submit') {
      const at = deps.now();
      recent.push({ key: ticketKey(order), at });
      while (recent.length > 0 && at - recent[0]!.at > 3_600_000) recent.shift();
    }
    return { allowed, verdicts };
  };

  const kill = async ({ flatten }: { flatten: boolean }): Promise<KillReport> => {
    const pressedAt = deps.now();
    const actions: KillAction[] = [];
    const act = (a: Omit<KillAction, 'at'>) => actions.push({ ...a, at: deps.now() });
    // New opens stop at once; closes stay possible while flattening; HALTED at the end.
    apply(killed(breakers, flatten ? 'REDUCING' : 'HALTED', pressedAt), null);
    journal('state', 'KILL_SWITCH', `Kill switch pressed${flatten ? ' (flatten open spreads)' : ''}.`);
    // Cancels go through the execution service only (the one path to the broker's order calls); it cancels its own
    // orders all at once (stopping their walks), and other working orders of this client one after another.
    if (!execution) act({ kind: 'cancel', orderId: null, spread: null, ok: false, message: 'No execution service is running, so no order could be cancelled from here.' });
    else {
      const results = await execution.cancelAll().catch((e: unknown) => [{ orderId: -1, ok: false, message: `Cancel all failed: ${e instanceof Error ? e.message : String(e)}` }]);
      for (const r of results) act({ kind: 'cancel', orderId: r.orderId < 0 ? null : r.orderId, spread: null, ok: r.ok, message: r.message });
      if (results.length === 0) act({ kind: 'cancel', orderId: null, spread: null, ok: true, message: 'No working orders to cancel.' });
    }
    const cancelsSentAt = deps.now();
    if (flatten) {
      if (!execution) act({ kind: 'close', orderId: null, spread: null, ok: false, message: 'Flattening needs the execution service; none is running, so open spreads were left as they are.' });
      else {
        const spreads = await execution.listOpenSpreads().catch(() => null);
        if (spreads === null) act({ kind: 'close', orderId: null, spread: null, ok: false, message: 'Open spreads cannot be listed in this build yet, so none were flattened: close them from Positions.' });
        else if (spreads.length === 0) act({ kind: 'close', orderId: null, spread: null, ok: true, message: 'No open spreads to flatten.' });
        for (const s of spreads ?? []) {
          const r = await execution.closeSpread(s.spreadId).catch((e: unknown) => ({ orderId: null, ok: false, message: e instanceof Error ? e.message : String(e) }));
          act({ kind: 'close', orderId: r.orderId, spread: s.label, ok: r.ok, message: r.message });
        }
      }
    }
    apply(killed(breakers, 'HALTED', deps.now()), null);
    act({ kind: 'halt', orderId: null, spread: null, ok: true, message: 'Trading HALTED until you reset it.' });
    journal('state', 'KILL_SWITCH', `Kill switch done: ${actions.filter((a) => a.kind === 'cancel').length} cancels, ${actions.filter((a) => a.kind === 'close' && a.spread).length} closes.`, { actions });
    return KillReport.parse({ pressedAt, cancelsSentAt, finishedAt: deps.now(), actions, trading: deps.gate.status() });
  };

  publish();

  return {
    check,
    onRejected,
    onSubmitted,
    onPnl,
    limits: () => limits,
    updateLimits(patch) {
      limits = RiskLimits.parse({ ...limits, ...patch });
      persist();
      journal('state', 'LIMITS_CHANGED', 'Risk limits changed.', { patch });
      publish();
      return limits;
    },
    status,
    arm(confirm) {
      if (!armRequired()) throw new ContractFailure('CONFLICT', conn().state === 'connected' ? 'This is not a live account: paper and simulated accounts need no arming.' : 'Connect to the live account first, then arm it.');
      const id = accountId();
      if (confirm.trim() !== id) throw new ContractFailure('VALIDATION', `Type the account id ${id ?? ''} exactly to arm it.`);
      armed = true;
      journal('state', 'ARMED', `Live account ${id} armed for this session.`);
      publish();
      return status();
    },
    disarm() {
      if (armed) journal('state', 'DISARMED', 'Live account disarmed.');
      armed = false;
      publish();
      return status();
    },
    reset(confirm) {
      if (confirm.trim() !== 'RESET') throw new ContractFailure('VALIDATION', 'Type RESET to clear the halt.');
      const was = breakers.breaker;
      apply({ breaker: null, consecutiveRejects: 0 }, null);
      journal('state', 'RESET', was ? `Trader reset ${was.state} (${was.code}).` : 'Trader reset (nothing latched).', { was });
      return status();
    },
    kill(options) {
      // Single-flight: a second press (or the shortcut and the button together) joins the run in progress.
      killRun ??= kill(options).finally(() => {
        killRun = null;
      });
      return killRun;
    },
    attachExecution(e) {
      execution = e;
    },
    close() {
      offEvents();
      offStatus();
      pnlLease?.release();
      pnlLease = null;
      releaseMarks();
    },
  };
}
