import { describe, expect, it } from 'vitest';
import { defaultSettings, Settings, type Notice, type OrderRow } from '../../../core/contract';
import { createEventBus } from '../events';
import { createNotificationService } from './service';

const order = (o: Partial<OrderRow>): OrderRow => ({ orderId: 1, symbol: 'SPY', shortStrike: 505, longStrike: 500, quantity: 1, filled: 0, status: 'Submitted', avgFill: null, message: null, ...o }) as OrderRow;

describe('notification service', () => {
  it('raises a fill once (the bus repeats order rows), skips muted kinds, and stops when disposed', () => {
    const bus = createEventBus();
    let settings: Settings = defaultSettings();
    const svc = createNotificationService({ bus, settings: () => settings, now: () => 5 });
    const raised: Notice[] = [];
    const shown: Notice[] = [];
    const off = bus.subscribe((name, payload) => name === 'notification.raised' && raised.push(payload as Notice));
    const offShow = svc.onNotice((n) => shown.push(n));
    try {
      bus.emit('order.updated', order({}));
      bus.emit('order.updated', order({ status: 'Filled', filled: 1 }));
      bus.emit('order.updated', order({ status: 'Filled', filled: 1 }));
      expect(raised.map((n) => [n.kind, n.title, n.at])).toEqual([['fill', 'Order filled', 5]]);
      expect(shown).toEqual(raised);
      settings = { ...settings, ui: { ...settings.ui, notifications: { ...settings.ui.notifications, fills: false } } };
      bus.emit('order.updated', order({ orderId: 2 }));
      bus.emit('order.updated', order({ orderId: 2, status: 'Filled', filled: 1 }));
      bus.emit('order.updated', order({ orderId: 3 }));
      bus.emit('order.updated', order({ orderId: 3, status: 'Rejected' }));
      expect(raised.map((n) => n.kind)).toEqual(['fill', 'reject']);
    } finally {
      offShow();
      svc.dispose();
      off();
    }
    bus.emit('order.updated', order({ orderId: 4, status: 'Rejected' }));
    expect(raised).toHaveLength(2);
  });

  it('settings saved before exits and breakers existed read them as on', () => {
    const s = defaultSettings();
    const old = { fills: false, rejects: true, riskDenials: true, disconnects: true };
    expect(Settings.parse({ ...s, ui: { ...s.ui, notifications: old } }).ui.notifications).toEqual({ ...old, exits: true, breakers: true });
  });
});
