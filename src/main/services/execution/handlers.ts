// Order-entry handlers: the contract's ticket/order methods mapped onto the execution service.
// Until the execution service is wired (next commits on this branch) every method answers UNAVAILABLE as a value.
import { ContractFailure } from '../../../core/contract';
import type { HandlerMap } from '../../transport/dispatch';

type OrderMethods = 'ticket.preview' | 'order.submit' | 'order.modify' | 'order.cancel' | 'order.cancelAll' | 'orders.list' | 'executions.list';

export function executionHandlers(): Pick<HandlerMap, OrderMethods> {
  const unavailable = (): never => {
    throw new ContractFailure('UNAVAILABLE', 'Order entry is not available in this build yet.');
  };
  return {
    'ticket.preview': unavailable,
    'order.submit': unavailable,
    'order.modify': unavailable,
    'order.cancel': unavailable,
    'order.cancelAll': unavailable,
    'orders.list': () => [],
    'executions.list': () => [],
  };
}
