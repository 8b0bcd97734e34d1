// Contract for the trading state: whether orders may be sent now, and why not.
import { z } from 'zod';
import { method } from './define';

export const TradingStatus = z.object({
  state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  code: z.string(),
  reason: z.string(),
  since: z.number(),
});
export type TradingStatus = z.infer<typeof TradingStatus>;

export const tradingMethods = {
  'trading.get': method('The current trading state and its reason.', z.object({}).strict(), TradingStatus),
};

export const tradingEvents = {
  'trading.status': TradingStatus,
};
