// Order-entry handlers: the contract's ticket/order methods mapped onto the execution service.
import type { HandlerMap } from '../../transport/dispatch';
import { previewTicket, type PreviewDeps } from './preview';
import type { ExecutionService } from './service';

type OrderMethods = 'ticket.preview' | 'order.submit' | 'order.modify' | 'order.cancel' | 'order.cancelAll' | 'orders.list' | 'executions.list';

export function executionHandlers(execution: ExecutionService, preview: PreviewDeps): Pick<HandlerMap, OrderMethods> {
  return {
    'ticket.preview': ({ ticket }) => previewTicket(preview, ticket),
    'order.submit': ({ ticketId, ticket }) => execution.submit(ticketId, ticket),
    'order.modify': ({ orderId, limit, quantity }) => execution.modify(orderId, { ...(limit ? { limit } : {}), ...(quantity !== undefined ? { quantity } : {}) }),
    'order.cancel': ({ orderId }) => execution.cancel(orderId),
    'order.cancelAll': () => execution.cancelAll(),
    'orders.list': ({ includeDone, limit }) => execution.list(includeDone).slice(0, limit),
    'executions.list': ({ orderId, limit }) => execution.executions(orderId).slice(0, limit),
  };
}

