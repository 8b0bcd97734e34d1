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
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const connectionMethods = {
  'connection.get': method('The latest connection status.', z.object({}).strict(), ConnectionStatus),
};

export const connectionEvents = {
  'connection.status': ConnectionStatus,
};
