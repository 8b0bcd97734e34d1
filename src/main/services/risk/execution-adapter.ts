// The execution service as the kill switch sees it: cancel every working order (reported order by order) and flatten spreads.
import type { ExecutionService } from '../execution/service';
import type { ExecutionForRisk } from './service';

export function executionForRisk(execution: ExecutionService): ExecutionForRisk {
  return {
    async cancelAll() {
      // Its own orders, and working orders of this client it does not manage (placed before a restart, or elsewhere).
      const [own, other] = await Promise.all([execution.cancelAll(), execution.recoverWorking('cancel')]);
      const rows = execution.list(true);
      const cancelledElsewhere = new Set(other.cancelled);
      return [...own.cancelled, ...other.cancelled].map((orderId) => {
        if (cancelledElsewhere.has(orderId)) return { orderId, ok: true, message: `Order ${orderId} cancelled (not placed by this session’s tickets).` };
        const row = rows.find((r) => r.orderId === orderId);
        return row?.done
          ? { orderId, ok: true, message: `Order ${orderId} cancelled.` }
          : { orderId, ok: false, message: `Order ${orderId}: cancel sent, not yet confirmed by the broker.` };
      });
    },
    // No service lists open spreads with their close tickets yet (the portfolio service builds that): report it, never guess.
    listOpenSpreads: () => Promise.resolve(null),
    closeSpread: (spreadId) => Promise.resolve({ orderId: null, ok: false, message: `Spread ${spreadId}: flattening is not wired to a spread list yet.` }),
  };
}
