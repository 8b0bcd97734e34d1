// Contract for the trading state: whether orders may be sent now, and why not.
import { z } from 'zod';
import { method } from './define';

export const TradingStatus = z.object({
  state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  code: z.string(),
  reason: z.string(),
  since: z.number(),
  /** A LIVE session: orders need an arm (trading.arm) in this session. Absent = no arming needed. */
  armRequired: z.boolean().optional(),
  /** Whether this session is armed (always false on paper and simulated, where it is not required). */
  armed: z.boolean().optional(),
});
export type TradingStatus = z.infer<typeof TradingStatus>;

export const tradingMethods = {
  'trading.get': method('The current trading state and its reason.', z.object({}).strict(), TradingStatus),
};

export const tradingEvents = {
  'trading.status': TradingStatus,
};
