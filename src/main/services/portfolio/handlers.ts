// Portfolio handlers: the contract's positions / P&L / exit methods mapped onto the portfolio service.
import type { HandlerMap } from '../../../core/contract';
import type { PortfolioService } from './service';

type PortfolioMethods = 'positions.list' | 'pnl.summary' | 'positions.close' | 'exit.set' | 'exit.clear';

export function portfolioHandlers(portfolio: PortfolioService): Pick<HandlerMap, PortfolioMethods> {
  return {
    // A list asks the broker for its positions again (single-flight with any refresh under way), so it is never stale.
    'positions.list': async () => {
      await portfolio.refresh();
      return portfolio.snapshot();
    },
    'pnl.summary': () => portfolio.summary(),
    'positions.close': ({ spreadId, ticketId, quantity, limit, pricing }) =>
      portfolio.close({ spreadId, ticketId, ...(quantity !== undefined ? { quantity } : {}), ...(limit ? { limit } : {}), ...(pricing ? { pricing } : {}) }),
    'exit.set': ({ spreadId, rules }) => portfolio.setExit(spreadId, rules),
    'exit.clear': ({ spreadId }) => portfolio.clearExit(spreadId),
  };
}
