// The trading gate at start-up and after every reconnect: start a journal session, reconcile, then allow trading.
import type { ConnectionStatus, TradingStatus } from '../../../core/contract';
import type { HandlerMap } from '../../../core/contract';
import { decideTradingState, type TradingFacts } from '../../../core/risk';
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

export interface TradingGate {
  status(): TradingStatus;
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

  const recompute = () => {
    const conn = deps.status();
    const d = decideTradingState({
      connection: conn.state,
      linkLost: conn.linkLost ?? false,
      journalAvailable: deps.journal.status().available,
      reconciliation,
      ...(summary !== undefined ? { reconciliationSummary: summary } : {}),
    });
    if (d.state === current.state && d.code === current.code) return;
    current = { ...d, since: deps.now() };
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
    settled: () => running,
    close: off,
  };
}

export function tradingHandlers(gate: TradingGate): Pick<HandlerMap, 'trading.get'> {
  return { 'trading.get': () => gate.status() };
}
