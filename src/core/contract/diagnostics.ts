// Contract for diagnostics: what the broker connection is doing (rates, pacer, lines, latency, errors), and the metrics endpoint.
import { z } from 'zod';
import { ConnectionState } from './connection';
import { method } from './define';
import { ProfileId } from './settings';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative().nullable();
const Rate = z.object({ total: count, perSecond: z.number().nonnegative(), peakPerSecond: z.number().nonnegative() });

export const PrometheusState = z.object({ enabled: z.boolean(), url: z.string().nullable() });
export type PrometheusState = z.infer<typeof PrometheusState>;

export const DiagnosticsSnapshot = z.object({
  at: z.number(),
  state: ConnectionState,
  linkLost: z.boolean(),
  profile: ProfileId.nullable(),
  serverVersion: z.number().int().nullable(),
  accountMode: z.enum(['PAPER', 'LIVE', 'SIMULATED']).nullable(),
  clientId: z.number().int().nullable(),
  uptimeMs: ms,
  messagesIn: Rate,
  messagesOut: Rate,
  pacer: z.object({
    ratePerSecond: z.number().positive(),
    depth: count,
    depthByPriority: z.object({ order: count, quote: count, scan: count }),
    maxDepth: count,
    sent: count,
    sentPerSecond: z.number().nonnegative(),
    peakPerSecond: z.number().nonnegative(),
    waitP50Ms: ms,
    waitP99Ms: ms,
    oldestWaitMs: ms,
    paused: z.boolean(),
  }),
  lines: z.object({
    budget: count,
    effectiveBudget: count,
    held: count,
    peakHeld: count,
    streaming: count,
    streamingWaiting: count,
    snapshotsInFlight: count,
    snapshotsWaiting: count,
    subscribers: count,
    refused101: count,
    resubscribed: count,
    snapshotsCompleted: count,
  }),
  requests: z.object({ pending: count, completed: count, failed: count, timeouts: count, latencyP50Ms: ms, latencyP99Ms: ms }),
  connects: count,
  reconnects: count,
  lastDisconnectReason: z.string().nullable(),
  nextRetryAt: z.number().nullable(),
  /** Broker error/notice codes seen this session, by code. */
  errorsByCode: z.record(z.string(), count),
  orders: z.object({ tracked: count, working: count, stuck: count }),
  executions: z.object({ unique: count, replaysIgnored: count, corrections: count }),
  decodeErrors: count,
  probe: z.object({ sent: count, failed: count, lastRttMs: ms }),
  marketDataType: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  /** The built-in paper exchange's own view, when the Local paper profile runs it. */
  paper: z.object({ port: z.number().int(), linesInUse: count, lineBudget: count, clients: count, inboundPerSecond: z.number().nonnegative() }).nullable(),
  prometheus: PrometheusState,
});
export type DiagnosticsSnapshot = z.infer<typeof DiagnosticsSnapshot>;

export const diagnosticsMethods = {
  'diagnostics.snapshot': method('Connection diagnostics: message rates, pacer queue and waits, market-data lines, request latency, errors by code.', z.object({}).strict(), DiagnosticsSnapshot),
  'diagnostics.prometheus': method(
    'Turn the Prometheus text endpoint (127.0.0.1 only) on or off; off by default.',
    z.object({ enabled: z.boolean(), port: z.number().int().min(0).max(65535).optional() }).strict(),
    PrometheusState,
  ),
};

export const diagnosticsEvents = {};
