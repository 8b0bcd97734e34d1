// The composition root: createServices(config) builds every main service; both entries (Electron, headless) use it.
// Each domain contributes a handler map (`<domain>Handlers(deps)` in its service folder) that is spread into
// `handlers` below; the HandlerMap type makes a method declared in the contract but not implemented a compile error.
import type { AppInfo } from '../../core/contract';
import { startPaperExchange } from '../paper';
import { createDispatcher, type Dispatcher, type HandlerMap } from '../transport/dispatch';
import { brokerHandlers, createBrokerService, type BrokerService } from './broker/service';
import type { IbBrokerOptions } from './broker/ib-broker';
import { createDiagnostics, diagnosticsHandlers } from './diagnostics';
import { createEventBus, type EventBus } from './events';
import { createScannerService, scannerHandlers } from './scanner/service';
import { journalHandlers } from './journal/handlers';
import { createJournalService, type JournalService } from './journal/service';
import type { Logger } from './logging';
import { createSettingsStore, type SettingsStore } from './settings/settings-store';
import { createTradingGate, tradingHandlers, type TradingGate } from './trading/service';

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
}

export interface Services {
  dispatcher: Dispatcher;
  bus: EventBus;
  settings: SettingsStore;
  broker: BrokerService;
  journal: JournalService;
  trading: TradingGate;
  close(): Promise<void>;
}

export async function createServices(config: ServicesConfig): Promise<Services> {
  const now = config.now ?? Date.now;
  const log = config.logger;
  const bus = createEventBus({ validate: config.strictContract ?? false, onListenerError: (e) => log.error({ err: e }, 'event listener failed') });
  const settings = createSettingsStore(config.dataDir, log, (s) => bus.emit('settings.changed', s));
  const startedAt = now();

  const broker = createBrokerService({ bus, settings, dataDir: config.dataDir, logger: log, startPaper: (o) => startPaperExchange(o), brokerOptions: config.brokerOptions });
  const diagnostics = createDiagnostics({ broker, logger: log });
  const scanner = createScannerService({ broker: broker.broker, bus, settings, logger: log });
  const journal = createJournalService({ dataDir: config.dataDir, bus, logger: log, now, broker: broker.broker, backupKeep: () => settings.get().ui.backupKeep });
  const trading = createTradingGate({ bus, journal, logger: log, version: config.version, now, status: () => broker.status() });
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
    broker,
    journal,
    trading,
    async close() {
      trading.close();
      await scanner.close();
      await diagnostics.close();
      await broker.close();
      journal.close();
      log.info('services closed');
    },
  };
}
