// The broker service: profiles from settings → one Broker connection, the in-app paper exchange, and the contract handlers.
//
// It owns the Broker instance for the app, resolves the active profile to a connect target (for Local paper:
// starting the built-in exchange on an ephemeral loopback port and connecting to it through the very same
// adapter), publishes `connection.status` and trader notices on the event bus, and keeps the pacer rate and
// line budget in a small JSON file next to the settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerTuning, ContractFailure, DEFAULT_PROBE, type ConnectionProfile, type ConnectionStatus, type HandlerMap, type ProfileId } from '../../../core/contract';
import type { EventBus } from '../events';
import type { Logger } from '../logging';
import { writeFileAtomic } from '../../fs/atomic-write';
import type { SettingsStore } from '../settings/settings-store';
import { BrokerError } from './errors';
import { IbBroker, type IbBrokerOptions } from './ib-broker';
import type { Broker, ConnectTarget } from './types';
import type { SimControl } from '../../paper';

/** The part of the paper exchange handle the app needs (src/main/paper startPaperExchange). */
export interface PaperHandle {
  port: number;
  host: string;
  close(): Promise<void>;
  stats(): { linesInUse: number; lineBudget: number; clients: number };
  clients(): Array<{ clientId: number | null; msgRate: number; linesInUse: number }>;
  /** Practice controls (clock, scenarios); see src/main/services/sim. */
  sim?: SimControl;
}

export type StartPaper = (options: { host: string; port: number; db?: string; log?: (line: string) => void }) => Promise<PaperHandle>;

export interface BrokerServiceDeps {
  bus: EventBus;
  settings: SettingsStore;
  dataDir: string;
  logger: Logger;
  /** Starts the built-in exchange for the Local paper profile. */
  startPaper: StartPaper;
  /** Adapter options (tests shorten timeouts). */
  brokerOptions?: Partial<IbBrokerOptions>;
  /** How often connection.status is refreshed while connected (lines, pacer, last message). */
  statusRefreshMs?: number;
}

export interface BrokerService {
  readonly broker: Broker;
  status(): ConnectionStatus;
  connect(profile?: ProfileId): Promise<ConnectionStatus>;
  disconnect(): Promise<ConnectionStatus>;
  tune(tuning: Partial<BrokerTuning>): BrokerTuning;
  tuning(): BrokerTuning;
  /** The running in-app paper exchange, if any. */
  paper(): PaperHandle | null;
  /** The active profile changed in settings: drop the current connection. */
  profileChanged(): void;
  close(): Promise<void>;
}

export const BROKER_TUNING_FILE = 'broker-tuning.json';
export const PAPER_DB_FILE = 'paper-exchange.sqlite';
const DEFAULT_TUNING: BrokerTuning = { pacerRate: 45, lineBudget: 100 };

function loadTuning(path: string, log: Logger): BrokerTuning {
  if (!existsSync(path)) return { ...DEFAULT_TUNING };
  try {
    const parsed = BrokerTuning.partial().safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { ...DEFAULT_TUNING, ...parsed.data };
  } catch {
    // fall through to defaults
  }
  log.warn({ path }, 'broker tuning file unreadable; defaults in use');
  return { ...DEFAULT_TUNING };
}

export function createBrokerService(deps: BrokerServiceDeps): BrokerService {
  const { bus, settings, logger: log } = deps;
  const tuningPath = join(deps.dataDir, BROKER_TUNING_FILE);
  let tuning = loadTuning(tuningPath, log);
  const broker = new IbBroker({ dataDir: deps.dataDir, logger: log, pacerRate: tuning.pacerRate, lineBudget: tuning.lineBudget, ...deps.brokerOptions });
  let paper: PaperHandle | null = null;
  let paperStarting: Promise<PaperHandle> | null = null;
  let everConnected = false;
  let closed = false;

  /** Before the first connect, the status describes the active profile from settings. */
  const status = (): ConnectionStatus => {
    const s = broker.status();
    if (everConnected) return s;
    const st = settings.get();
    const profile = st.profiles.find((p) => p.id === st.activeProfile);
    return { ...s, profile: st.activeProfile, isPaper: !(profile?.live ?? false), isSimulated: profile?.simulated ?? false, accountMode: profile?.simulated ? 'SIMULATED' : profile?.live ? 'LIVE' : 'PAPER', clientId: profile?.clientId };
  };

  const publish = () => {
    if (!closed) bus.emit('connection.status', status());
  };
  broker.onStatus(() => publish());
  broker.onNotice((n) => {
    bus.emit('app.logged', { level: n.level, message: n.message, at: n.at, ...(n.code !== null ? { code: n.code } : {}) });
  });
  // The status bar shows lines, pacing and "last message n s ago": refresh them while a connection exists.
  const refresh = setInterval(() => {
    if (broker.status().state !== 'disconnected') publish();
  }, deps.statusRefreshMs ?? 1_000);
  refresh.unref?.();

  async function ensurePaper(): Promise<PaperHandle> {
    if (paper) return paper;
    paperStarting ??= deps
      .startPaper({ host: '127.0.0.1', port: 0, db: join(deps.dataDir, PAPER_DB_FILE), log: (line) => log.debug({ paper: true }, line) })
      .then((h) => {
        paper = h;
        log.info({ port: h.port }, 'local paper exchange started');
        return h;
      })
      .finally(() => {
        paperStarting = null;
      });
    return paperStarting;
  }

  async function stopPaper(): Promise<void> {
    const p = paper;
    paper = null;
    if (p) await p.close().catch((e: unknown) => log.warn({ err: e }, 'closing the paper exchange failed'));
  }

  async function targetFor(id: ProfileId): Promise<ConnectTarget> {
    const st = settings.get();
    const profile = st.profiles.find((p) => p.id === id);
    if (!profile) throw new ContractFailure('NOT_FOUND', `No connection profile "${id}".`);
    if (profile.simulated) {
      let ex: PaperHandle;
      try {
        ex = await ensurePaper();
      } catch (e) {
        log.error({ err: e }, 'local paper exchange failed to start');
        throw new ContractFailure('UNAVAILABLE', `The local paper exchange could not start: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { profile: profile.id, host: ex.host, port: ex.port, clientId: profile.clientId, live: false, simulated: true, ...probeOf(profile) };
    }
    await stopPaper();
    return { profile: profile.id, host: profile.host, port: profile.port, clientId: profile.clientId, live: profile.live, simulated: false, ...probeOf(profile) };
  }

  // Connects run one at a time: choosing a target starts or stops the paper exchange, so a second connect
  // waits for the first to settle; a disconnect cancels the connects queued before it (`epoch`).
  let connectQueue: Promise<unknown> = Promise.resolve();
  let epoch = 0;

  async function connectNow(profileId: ProfileId | undefined, queuedAt: number): Promise<ConnectionStatus> {
    const id = profileId ?? settings.get().activeProfile;
    const cancelled = () => new ContractFailure('UNAVAILABLE', `The connection to "${id}" was cancelled: you disconnected before it was made.`);
    if (closed) throw new ContractFailure('UNAVAILABLE', 'SpreadDesk is shutting down.');
    if (queuedAt !== epoch) throw cancelled();
    const target = await targetFor(id);
    if (queuedAt !== epoch) throw cancelled();
    everConnected = true;
    try {
      await broker.connect(target);
    } catch (e) {
      if (e instanceof BrokerError) throw new ContractFailure('BROKER', e.userMessage, { code: e.code, kind: e.kind, status: broker.status() });
      throw e;
    }
    return status();
  }

  return {
    broker,
    status,
    connect(profileId) {
      if (closed) return Promise.reject(new ContractFailure('UNAVAILABLE', 'SpreadDesk is shutting down.'));
      const queuedAt = epoch;
      const run = connectQueue.then(() => connectNow(profileId, queuedAt));
      connectQueue = run.catch(() => undefined);
      return run;
    },
    async disconnect() {
      epoch++;
      await broker.disconnect();
      return status();
    },
    tune(patch) {
      tuning = { ...tuning, ...patch };
      broker.tune(tuning);
      writeFileAtomic(tuningPath, JSON.stringify(tuning, null, 2));
      return tuning;
    },
    tuning: () => tuning,
    paper: () => paper,
    profileChanged() {
      epoch++;
      void broker.disconnect().then(() => {
        everConnected = false;
        publish();
      });
    },
    async close() {
      closed = true;
      clearInterval(refresh);
      await broker.close();
      await stopPaper();
    },
  };
}

/** The contract methods of the broker domain. */
export function brokerHandlers(svc: BrokerService): Pick<HandlerMap, 'connection.get' | 'connection.connect' | 'connection.disconnect' | 'connection.tune'> {
  return {
    'connection.get': () => svc.status(),
    'connection.connect': ({ profile }) => svc.connect(profile),
    'connection.disconnect': () => svc.disconnect(),
    'connection.tune': ({ tuning }) => svc.tune(tuning),
  };
}

/** The profile's probe settings as the adapter takes them; only when the trader set them (else the adapter's options). */
function probeOf(p: ConnectionProfile): Pick<ConnectTarget, 'probe'> {
  if (p.probeIntervalSec === undefined && p.probeTimeoutSec === undefined) return {};
  return { probe: { intervalMs: (p.probeIntervalSec ?? DEFAULT_PROBE.intervalSec) * 1000, timeoutMs: (p.probeTimeoutSec ?? DEFAULT_PROBE.timeoutSec) * 1000 } };
}
