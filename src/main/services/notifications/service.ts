// The notification service: turns fills, rejects, exits fired, breakers and disconnects on the bus into `notification.raised`, unless muted.
//
// It keeps the previous state of each stream it watches (orders by id, the last positions snapshot, the trading state,
// the connection) because the bus repeats states: a notice is raised on a change only (core/notifications decides).
// The renderer shows each notice as a toast and, in a browser that granted permission, as a desktop notification;
// the Electron entry shows it with Electron's Notification (`onNotice`), since the window itself is denied every permission.
import type { ConnectionStatus, Notice, OrderRow, PositionsSnapshot, Settings, TradingStatus } from '../../../core/contract';
import { connectionNotice, exitNotices, isMuted, orderNotice, tradingNotice } from '../../../core/notifications/notices';
import type { EventBus } from '../events';

export interface NotificationDeps {
  bus: EventBus;
  settings: () => Settings;
  now?: () => number;
}

export interface NotificationService {
  /** Calls `show` for every notice raised from now on (the Electron entry's native notifications); returns an unsubscribe. */
  onNotice(show: (n: Notice) => void): () => void;
  dispose(): void;
}

/** Orders remembered for change detection; older ones are forgotten (a done order does not change again). */
const MAX_ORDERS = 2_000;

export function createNotificationService(deps: NotificationDeps): NotificationService {
  const now = deps.now ?? Date.now;
  const orders = new Map<number, Pick<OrderRow, 'status' | 'filled'>>();
  let positions: PositionsSnapshot | null = null;
  let trading: TradingStatus | null = null;
  let connection: ConnectionStatus | null = null;
  const shows = new Set<(n: Notice) => void>();

  const raise = (n: Notice | null) => {
    if (!n || isMuted(n.kind, deps.settings().ui.notifications)) return;
    deps.bus.emit('notification.raised', n);
    for (const show of shows) show(n);
  };

  const off = deps.bus.subscribe((name, payload) => {
    const at = now();
    if (name === 'order.updated') {
      const row = payload as OrderRow;
      raise(orderNotice(orders.get(row.orderId), row, at));
      orders.delete(row.orderId);
      orders.set(row.orderId, { status: row.status, filled: row.filled });
      if (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value!);
    } else if (name === 'positions.updated') {
      const snap = payload as PositionsSnapshot;
      for (const n of exitNotices(positions, snap, at)) raise(n);
      positions = snap;
    } else if (name === 'trading.status') {
      const t = payload as TradingStatus;
      raise(tradingNotice(trading, t, at));
      trading = t;
    } else if (name === 'connection.status') {
      const c = payload as ConnectionStatus;
      raise(connectionNotice(connection, c, at));
      connection = c;
    }
  });

  return {
    onNotice(show) {
      shows.add(show);
      return () => shows.delete(show);
    },
    dispose() {
      off();
      shows.clear();
    },
  };
}
