// Contract for the broker connection's state as the trader sees it.
import { z } from 'zod';
import { method } from './define';
import { ProfileId } from './settings';

export const ConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'reconnecting']);

export const ConnectionStatus = z.object({
  state: ConnectionState,
  profile: ProfileId,
  serverVersion: z.number().int().nullable(),
  accounts: z.array(z.string()),
  isPaper: z.boolean(),
  isSimulated: z.boolean(),
  lastError: z.object({ code: z.number().int().nullable(), message: z.string(), at: z.number() }).nullable(),
  /** Epoch ms of the last message received from the broker, null when none yet. */
  lastMessageAt: z.number().nullable(),
  since: z.number(),
  // Added by the broker layer (optional so a "disconnected" placeholder stays valid without them).
  /** TWS reported 1100/2110 (its link to IBKR is down) and has not yet said 1101/1102: new orders are refused. */
  linkLost: z.boolean().optional(),
  accountMode: z.enum(['PAPER', 'LIVE', 'SIMULATED']).optional(),
  clientId: z.number().int().optional(),
  /** One sentence for the trader about the current state ("Reconnecting in 2 s…"). */
  message: z.string().optional(),
  /** When the next reconnect attempt is due (epoch ms), while reconnecting. */
  nextRetryAt: z.number().nullable().optional(),
  reconnects: z.number().int().nonnegative().optional(),
  /** The disconnect fell inside TWS's daily-restart window: expected, not alarming. */
  expectedOutage: z.boolean().optional(),
  marketDataType: z.enum(['live', 'delayed']).optional(),
  lines: z.object({ held: z.number().int().nonnegative(), budget: z.number().int().positive() }).optional(),
  pacer: z.object({ depth: z.number().int().nonnegative(), ratePerSecond: z.number().positive(), sentPerSecond: z.number().nonnegative(), waitP99Ms: z.number().nullable() }).optional(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const connectionMethods = {
  'connection.get': method('The latest connection status.', z.object({}).strict(), ConnectionStatus),
};

export const connectionEvents = {
  'connection.status': ConnectionStatus,
};
