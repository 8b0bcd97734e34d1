// Contract for controlling the broker connection: connect to a profile, disconnect, tune pacing and line budget.
import { z } from 'zod';
import { ConnectionStatus } from './connection';
import { method } from './define';
import { ProfileId } from './settings';

/** Outbound pacing (IBKR allows 50 messages/s; default 45) and the market-data line budget (default 100). */
export const BrokerTuning = z
  .object({
    pacerRate: z.number().int().min(1, 'At least 1 message per second').max(50, 'IBKR allows at most 50 messages per second'),
    lineBudget: z.number().int().min(1, 'At least 1 line').max(10_000),
  })
  .strict();
export type BrokerTuning = z.infer<typeof BrokerTuning>;

export const brokerMethods = {
  'connection.connect': method(
    'Connect to the active profile (or the one given): Local paper starts the built-in exchange. Resolves once connected; a failed first attempt returns the reason while retries continue.',
    z.object({ profile: ProfileId.optional() }).strict(),
    ConnectionStatus,
  ),
  'connection.disconnect': method('Disconnect from the broker and stop reconnecting; market-data lines are cancelled first.', z.object({}).strict(), ConnectionStatus),
  'connection.tune': method('Change the pacer rate and/or the market-data line budget (kept for the next start).', z.object({ tuning: BrokerTuning.partial() }).strict(), BrokerTuning),
};

export const brokerEvents = {};
