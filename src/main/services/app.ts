// The composition root: createServices(config) builds every main service; both entries (Electron, headless) use it.
// Each domain contributes a handler map (`<domain>Handlers(deps)` in its service folder) that is spread into
// `handlers` below; the HandlerMap type makes a method declared in the contract but not implemented a compile error.
import type { ConnectionStatus, AppInfo } from '../../core/contract';
import { createDispatcher, type Dispatcher, type HandlerMap } from '../transport/dispatch';
import { createEventBus, type EventBus } from './events';
import type { Logger } from './logging';
import { createSettingsStore, type SettingsStore } from './settings/settings-store';

export interface ServicesConfig {
  mode: AppInfo['mode'];
  dataDir: string;
  version: string;
  logger: Logger;
  /** Validate every emitted event and handler result against the contract (tests, dev). */
  strictContract?: boolean;
  now?: () => number;
}

export interface Services {
  dispatcher: Dispatcher;
  bus: EventBus;
  settings: SettingsStore;
  close(): Promise<void>;
}

export async function createServices(config: ServicesConfig): Promise<Services> {
  const now = config.now ?? Date.now;
  const log = config.logger;
  const bus = createEventBus({ validate: config.strictContract ?? false, onListenerError: (e) => log.error({ err: e }, 'event listener failed') });
  const settings = createSettingsStore(config.dataDir, log, (s) => bus.emit('settings.changed', s));
  const startedAt = now();

  // Until the broker layer lands the connection honestly reports "disconnected".
  let connection: ConnectionStatus = disconnectedStatus(settings, now());
  bus.emit('connection.status', connection);
  if (settings.loadWarning) bus.emit('app.logged', { level: 'warn', message: settings.loadWarning, at: now() });

  const handlers: HandlerMap = {
    'app.info': () => ({ name: 'SpreadDesk', version: config.version, mode: config.mode, dataDir: config.dataDir, platform: process.platform, startedAt }),
    'settings.get': () => settings.get(),
    'settings.update': ({ patch }) => {
      const saved = settings.update(patch);
      if (patch.activeProfile && patch.activeProfile !== connection.profile) {
        connection = disconnectedStatus(settings, now());
        bus.emit('connection.status', connection);
      }
      return saved;
    },
    'connection.get': () => connection,
  };

  const dispatcher = createDispatcher(handlers, {
    validateResults: config.strictContract ?? false,
    onInternalError: (method, e) => log.error({ err: e, method }, 'handler failed'),
  });

  return {
    dispatcher,
    bus,
    settings,
    async close() {
      log.info('services closed');
    },
  };
}

function disconnectedStatus(settings: SettingsStore, at: number): ConnectionStatus {
  const s = settings.get();
  const profile = s.profiles.find((p) => p.id === s.activeProfile);
  return {
    state: 'disconnected',
    profile: s.activeProfile,
    serverVersion: null,
    accounts: [],
    isPaper: !(profile?.live ?? false),
    isSimulated: profile?.simulated ?? false,
    lastError: null,
    lastMessageAt: null,
    since: at,
  };
}
