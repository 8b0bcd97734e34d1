// Portfolio handlers: the contract's positions / P&L / exit methods mapped onto the portfolio service.
import type { HandlerMap } from '../../../core/contract';
import type { PortfolioService } from './service';

type PortfolioMethods = 'positions.list' | 'pnl.summary' | 'positions.close' | 'exit.set' | 'exit.clear';

export function portfolioHandlers(portfolio: PortfolioService): Pick<HandlerMap, PortfolioMethods> {
  return {
    'positions.list': () => portfolio.snapshot(),
    'pnl.summary': () => portfolio.summary(),
    'positions.close': ({ spreadId, ticketId, quantity, limit, pricing }) =>
      portfolio.close({ spreadId, ticketId, ...(quantity !== undefined ? { quantity } : {}), ...(limit ? { limit } : {}), ...(pricing ? { pricing } : {}) }),
    'exit.set': ({ spreadId, rules }) => portfolio.setExit(spreadId, rules),
    'exit.clear': ({ spreadId }) => portfolio.clearExit(spreadId),
  };
}
