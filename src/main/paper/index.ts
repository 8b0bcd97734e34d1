// Public entry of the local paper exchange: start it programmatically (the app's "Local paper" profile, tests).
import { PaperExchange, type ClientStats, type PaperExchangeOptions, type SimCommand } from './exchange';
import type { SimStatus } from '../../core/contract/sim';
import type { MarketModel } from '../../core/sim/model';
import type { SimClock } from '../../core/sim/clock';

export type { PaperExchangeOptions, ClientStats, SimCommand } from './exchange';

/** The practice controls of a running exchange, in process or on its thread (hence async). */
export interface SimControl {
  control(cmd: SimCommand): Promise<SimStatus>;
}

export interface PaperFaults {
  /** Drops the socket(s) of a client id; returns how many were dropped. */
  dropClient(clientId: number): number;
  /** Closes the listener for N seconds (new connections are refused), then reopens on the same port. */
  refuseConnections(seconds: number): void;
  /** A TWS-style daily restart now: every client dropped, connections refused for the duration. */
  restart(durationSec: number): void;
  /** 1100, market data stops; after the outage 1102 (data maintained) or 1101 (data lost, subscriptions dropped). */
  connectivityLoss(durationMs: number, opts?: { dataLost?: boolean }): void;
  /** Added latency on every outbound message, in ms (0 to clear). */
  setLatency(ms: number): void;
  /** Snapshot completion latency range in ms. */
  setSnapshotLatency(minMs: number, maxMs: number): void;
  /** The next n orders are rejected with error 201 and this reason. */
  rejectNextOrders(n: number, reason: string): void;
}

export interface PaperExchangeHandle {
  port: number;
  host: string;
  close(): Promise<void>;
  /** Simulated market time (epoch ms). */
  now(): number;
  clock: SimClock;
  model: MarketModel;
  accountId: string;
  /** Runs one market-data publishing round now; returns the ticks sent (for manualPublish mode). */
  publishNow(): number;
  /** Per-client statistics: lines in use, message rate, per-second inbound counts. */
  clients(): ClientStats[];
  stats(): { linesInUse: number; lineBudget: number; clients: number; ticksSent: number };
  /** The paper account now: cash, NLV, equity with loan, margin, positions. */
  account(): { cash: number; nlv: number; elv: number; initMargin: number; maintMargin: number; available: number; positions: { conId: number; qty: number; avgCost: number }[]; openOrders: number; executions: number };
  faults: PaperFaults;
  sim: SimControl;
  /** The exchange object itself, for deeper inspection in tests. */
  exchange: PaperExchange;
}

/** Starts a paper exchange listening on loopback (port 0 = ephemeral) and resolves once it accepts connections. */
export async function startPaperExchange(options: PaperExchangeOptions = {}): Promise<PaperExchangeHandle> {
  const ex = new PaperExchange(options);
  const { port, host } = await ex.listen().catch(async (e: unknown) => {
    await ex.close();
    throw e;
  });
  return {
    port,
    host,
    close: () => ex.close(),
    now: () => ex.simNow(),
    clock: ex.clock,
    model: ex.model,
    accountId: ex.accountId,
    publishNow: () => ex.publishNow(),
    clients: () => ex.clients(),
    stats: () => ({ linesInUse: ex.marketData.linesInUse, lineBudget: ex.marketData.opts.lineBudget, clients: ex.clients().length, ticksSent: ex.marketData.ticksSent }),
    account: () => {
      const a = ex.accountSnapshot();
      return {
        cash: a.cash, nlv: a.nlv, elv: a.elv, initMargin: a.initMargin, maintMargin: a.maintMargin, available: a.available,
        positions: [...ex.ledger.positions.values()].map((p) => ({ conId: p.conId, qty: p.qty, avgCost: p.avgCost })),
        openOrders: ex.ledger.openOrders().length, executions: ex.ledger.executions.length,
      };
    },
    faults: {
      dropClient: (id) => ex.dropClient(id),
      refuseConnections: (s) => ex.refuseConnections(s),
      restart: (s) => ex.restart(s),
      connectivityLoss: (ms, o) => ex.connectivityLoss(ms, o?.dataLost ?? false),
      setLatency: (ms) => ex.setLatency(ms),
      setSnapshotLatency: (a, b) => ex.setSnapshotLatency(a, b),
      rejectNextOrders: (n, reason) => ex.orders.rejectNext(n, reason),
    },
    sim: { control: async (cmd) => ex.simControl(cmd) },
    exchange: ex,
  };
}
