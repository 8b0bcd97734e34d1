// The trading gate at start-up and after every reconnect: start a journal session, reconcile, then allow trading.
import type { ConnectionStatus, TradingStatus } from '../../../core/contract';
import type { HandlerMap } from '../../../core/contract';
import type { RiskBreaker } from '../../../core/contract/risk';
import { combineState, decideTradingState, type TradingFacts } from '../../../core/risk';
import type { EventBus } from '../events';
import type { JournalService } from '../journal/service';
import type { Logger } from '../logging';

export interface TradingGateDeps {
  bus: EventBus;
  journal: JournalService;
  logger: Logger;
  version: string;
  now: () => number;
  status(): ConnectionStatus;
}

/** What the risk service lays over the connection gate: a latched breaker and the live-account arming. */
export interface TradingOverlay {
  breaker: RiskBreaker | null;
  armRequired: boolean;
  armed: boolean;
}

export interface TradingGate {
  status(): TradingStatus;
  /** The connection gate alone (connected, journal, reconciliation), without breakers. */
  connectionDecision(): ReturnType<typeof decideTradingState>;
  /** The risk service's breaker and arming changed: recompute and publish trading.status. */
  setOverlay(overlay: TradingOverlay): void;
  /** Resolves when the reconciliation of the current connection has finished (tests, shutdown). */
  settled(): Promise<void>;
  close(): void;
}

export function createTradingGate(deps: TradingGateDeps): TradingGate {
  const log = deps.logger;
  let reconciliation: TradingFacts['reconciliation'] = 'pending';
  let summary: string | undefined;
  let running: Promise<void> = Promise.resolve();
  let current: TradingStatus = { state: 'HALTED', code: 'NOT_CONNECTED', reason: 'Not connected to the broker.', since: deps.now() };
  let wasConnected = false;
  let overlay: TradingOverlay = { breaker: null, armRequired: false, armed: false };

  const connectionDecision = () => {
    const conn = deps.status();
    return decideTradingState({
      connection: conn.state,
      linkLost: conn.linkLost ?? false,
      journalAvailable: deps.journal.status().available,
      reconciliation,
      ...(summary !== undefined ? { reconciliationSummary: summary } : {}),
    });
  };

  const recompute = () => {
    const d = combineState(connectionDecision(), overlay.breaker);
    const arming = overlay.armRequired ? { armRequired: true, armed: overlay.armed } : {};
    if (d.state === current.state && d.code === current.code && d.reason === current.reason && current.armRequired === arming.armRequired && current.armed === arming.armed) return;
    current = { ...d, since: d.state === current.state && d.code === current.code ? current.since : deps.now(), ...arming };
    deps.bus.emit('trading.status', current);
    log.info({ state: d.state, code: d.code }, 'trading state changed');
  };

  /** Reconcile, and once more if repairs were applied: trading opens only on a clean comparison. */
  const reconcileConnection = async (conn: ConnectionStatus) => {
    reconciliation = 'running';
    recompute();
    const session = deps.journal.startSession({
      appVersion: deps.version,
      profile: conn.profile,
      account: conn.accounts[0] ?? null,
      clientId: conn.clientId ?? null,
      simulated: conn.isSimulated,
    });
    if (!session.ok) log.warn({ error: session.error }, 'journal session not recorded');
    for (let attempt = 1; attempt <= 2; attempt++) {
      const r = await deps.journal.reconcile();
      if (!r.ok) {
        reconciliation = 'differs';
        summary = r.error.message;
        break;
      }
      if (r.value.clean) {
        reconciliation = 'clean';
        summary = undefined;
        if (attempt === 2) deps.bus.emit('app.logged', { level: 'info', message: 'The journal was brought in line with the broker; trading is allowed.', at: deps.now() });
        break;
      }
      reconciliation = 'differs';
      summary = deps.journal.status().lastReconciliation?.summary ?? 'differences found';
    }
    if (reconciliation === 'differs') deps.bus.emit('app.logged', { level: 'warn', message: `Trading stays halted: ${summary ?? 'reconciliation failed'}.`, at: deps.now() });
    recompute();
  };

  const off = deps.bus.subscribe((name, payload) => {
    if (name !== 'connection.status') return;
    const conn = payload as ConnectionStatus;
    const connected = conn.state === 'connected';
    if (connected && !wasConnected) {
      running = reconcileConnection(conn).catch((e: unknown) => {
        reconciliation = 'differs';
        summary = e instanceof Error ? e.message : String(e);
        log.error({ err: e }, 'reconciliation failed');
        recompute();
      });
    } else if (!connected) {
      reconciliation = 'pending';
    }
    wasConnected = connected;
    recompute();
  });
  recompute();

  return {
    status: () => current,
    connectionDecision,
    setOverlay(o) {
      overlay = o;
      recompute();
    },
    settled: () => running,
    close: off,
  };
}

export function tradingHandlers(gate: TradingGate): Pick<HandlerMap, 'trading.get'> {
  return { 'trading.get': () => gate.status() };
}
