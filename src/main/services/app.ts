// The composition root: createServices(config) builds every main service; both entries (Electron, headless) use it.
// Each domain contributes a handler map (`<domain>Handlers(deps)` in its service folder) that is spread into
// `handlers` below; the HandlerMap type makes a method declared in the contract but not implemented a compile error.
import type { AppInfo } from '../../core/contract';
import { startPaperExchange } from '../paper';
import { startPaperThread } from '../paper/thread';
import type { HandlerMap } from '../../core/contract';
import { createDispatcher, type Dispatcher } from '../transport/dispatch';
import { brokerHandlers, createBrokerService, type BrokerService, type StartPaper } from './broker/service';
import type { IbBrokerOptions } from './broker/ib-broker';
import { createDiagnostics, diagnosticsHandlers } from './diagnostics';
import { createEventBus, type EventBus } from './events';
import { createScannerService, scannerHandlers } from './scanner/service';
import { journalHandlers } from './journal/handlers';
import { createJournalService, type JournalService } from './journal/service';
import type { Logger } from './logging';
import { createSettingsStore, type SettingsStore } from './settings/settings-store';
import { createTradingGate, tradingHandlers, type TradingGate } from './trading/service';
import { createRiskService, type RiskService } from './risk/service';
import { riskHandlers } from './risk/handlers';
import { executionForRisk } from './risk/execution-adapter';
import { executionHandlers } from './execution/handlers';
import { createExecutionService } from './execution/service';
import { createLegQuoteCache, riskQuotesFrom } from './execution/quotes';
import { createPortfolioService } from './portfolio/service';
import { portfolioHandlers } from './portfolio/handlers';
import { simHandlers } from './sim/handlers';
import { createNotificationService, type NotificationService } from './notifications/service';

export interface ServicesConfig {
  mode: AppInfo['mode'];
  dataDir: string;
  version: string;
  logger: Logger;
  /** Validate every emitted event and handler result against the contract (tests, dev). */
  strictContract?: boolean;
  now?: () => number;
  /** Broker adapter overrides (tests shorten timeouts). */
  brokerOptions?: Partial<IbBrokerOptions>;
  /** Connect to the active profile at start-up (off by default: the trader presses Connect). */
  autoConnect?: boolean;
  /**
   * Run the Local paper exchange on the app's own event loop instead of its worker thread (tests that reach into
   * the exchange object). The app runs it on a thread, so a busy main loop never bunches the messages it paces.
   */
  paperInProcess?: boolean;
}

export interface Services {
  dispatcher: Dispatcher;
  bus: EventBus;
  settings: SettingsStore;
  /** Notices the trader has not muted (fills, rejects, exits, breakers, disconnects); the Electron entry shows them natively. */
  notifications: NotificationService;
  broker: BrokerService;
  journal: JournalService;
  trading: TradingGate;
  risk: RiskService;
  close(): Promise<void>;
}

export async function createServices(config: ServicesConfig): Promise<Services> {
  const now = config.now ?? Date.now;
  const log = config.logger;
  const bus = createEventBus({ validate: config.strictContract ?? false, onListenerError: (e) => log.error({ err: e }, 'event listener failed') });
  const settings = createSettingsStore(config.dataDir, log, (s) => bus.emit('settings.changed', s));
  const notifications = createNotificationService({ bus, settings: () => settings.get(), now });
  const startedAt = now();

  const startPaper: StartPaper = config.paperInProcess
    ? (o) => startPaperExchange(o)
    : (o) =>
        startPaperThread(o).then(
          (t) => {
            log.info({ threadId: t.threadId, port: t.port }, 'local paper exchange running on a worker thread');
            return t;
          },
          (e: unknown) => {
            // A thread that cannot start (a packaging fault) must not cost the trader the simulated market.
            log.warn({ err: e }, 'the paper exchange thread did not start; running the exchange in the main process');
            return startPaperExchange(o);
          },
        );
  const broker = createBrokerService({ bus, settings, dataDir: config.dataDir, logger: log, startPaper, brokerOptions: config.brokerOptions });
  const diagnostics = createDiagnostics({ broker, logger: log });
  const scanner = createScannerService({ broker: broker.broker, bus, settings, logger: log });
  const journal = createJournalService({ dataDir: config.dataDir, bus, logger: log, now, broker: broker.broker, backupKeep: () => settings.get().ui.backupKeep });
  const trading = createTradingGate({ bus, journal, logger: log, version: config.version, now, status: () => broker.status() });
  // The risk check reads the legs' streamed quotes (opened by the preview): a submit waits for no new quote line.
  const legQuotes = createLegQuoteCache(broker.broker, { now });
  const risk = createRiskService({ dataDir: config.dataDir, bus, logger: log, now, broker: broker.broker, journal, gate: trading, quotes: riskQuotesFrom(legQuotes) });
  // Every order the execution service sends passes the risk service's checks (and feeds its breakers).
  const gate = risk;
  const execution = createExecutionService({
    broker: broker.broker,
    quotes: legQuotes,
    journal: () => journal.journal,
    gate,
    clientId: () => broker.status().clientId ?? 0,
    emit: (e) => (e.type === 'order.updated' ? bus.emit('order.updated', e.row) : bus.emit('execution.added', e.row)),
    logger: log,
    now,
  });
  // Once trading opens after a (re)connect and reconciliation, orders left working by an earlier run are found and
  // taken over (never re-sent): a walking order resumes its walk from the journaled start, or ends by its end action.
  let recovered = false;
  const offRecover = bus.subscribe((name, payload) => {
    if (name === 'connection.status' && (payload as { state: string }).state !== 'connected') recovered = false;
    // REDUCING too: closes (a re-armed stop, a resumed closing walk) are allowed then.
    if (name !== 'trading.status' || recovered || (payload as { state: string }).state === 'HALTED') return;
    recovered = true;
    void execution.recoverWorking('resume').catch((e: unknown) => log.warn({ err: e }, 'could not recover working orders'));
  });
  risk.attachExecution(executionForRisk(execution, { journal: () => journal.journal, quotes: legQuotes, now }));
  const portfolio = createPortfolioService({ broker: broker.broker, journal: () => journal.journal, bus, execution, logger: log, now });
  bus.emit('connection.status', broker.status());
  if (settings.loadWarning) bus.emit('app.logged', { level: 'warn', message: settings.loadWarning, at: now() });

  const handlers: HandlerMap = {
    'app.info': () => ({ name: 'SpreadDesk', version: config.version, mode: config.mode, dataDir: config.dataDir, platform: process.platform, startedAt }),
    'settings.get': () => settings.get(),
    'settings.update': ({ patch }) => {
      const before = settings.get().activeProfile;
      const saved = settings.update(patch);
      if (saved.activeProfile !== before) broker.profileChanged();
      return saved;
    },
    ...brokerHandlers(broker),
    ...diagnosticsHandlers(diagnostics),
    ...scannerHandlers(scanner),
    ...journalHandlers(journal),
    ...tradingHandlers(trading),
    ...riskHandlers(risk),
    ...executionHandlers(execution, { broker: broker.broker, quotes: legQuotes, gate, now }),
    ...portfolioHandlers(portfolio),
    ...simHandlers({ sim: () => broker.paper()?.sim ?? null, now }),
  };

  if (config.autoConnect) void broker.connect().catch((e: unknown) => log.warn({ err: e }, 'auto-connect failed; retrying in the background'));

  const dispatcher = createDispatcher(handlers, {
    validateResults: config.strictContract ?? false,
    onInternalError: (method, e) => log.error({ err: e, method }, 'handler failed'),
  });

  return {
    dispatcher,
    bus,
    settings,
    notifications,
    broker,
    journal,
    trading,
    risk,
    async close() {
      risk.close();
      trading.close();
      offRecover();
      portfolio.dispose();
      notifications.dispose();
      execution.dispose();
      legQuotes.dispose();
      await scanner.close();
      await diagnostics.close();
      await broker.close();
      journal.close();
      log.info('services closed');
    },
  };
}
