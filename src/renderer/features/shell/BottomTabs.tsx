// The bottom tab strip: Positions · Orders · Executions · P&L · Journal · Diagnostics.
import { useEffect, useState, type ReactNode } from 'react';
import { DiagnosticsPanel } from '../diagnostics/DiagnosticsPanel';
import { JournalPanel } from '../journal/JournalPanel';
import { OrdersPanel } from '../orders/OrdersPanel';
import { ExecutionsPanel } from '../executions/ExecutionsPanel';
import { PositionsPanel } from '../positions/PositionsPanel';
import { PnlPanel } from '../pnl/PnlPanel';
import { bindPositionsStore } from '../positions/positions-store';
import { bindNotifications } from '../notifications/notifications';
import { useClient } from '../../platform/context';

export interface BottomTab {
  id: string;
  label: string;
  render(): ReactNode;
}

export const DEFAULT_TABS: BottomTab[] = [
  { id: 'positions', label: 'Positions', render: () => <PositionsPanel /> },
  { id: 'orders', label: 'Orders', render: () => <OrdersPanel /> },
  { id: 'executions', label: 'Executions', render: () => <ExecutionsPanel /> },
  { id: 'pnl', label: 'P&L', render: () => <PnlPanel /> },
  { id: 'journal', label: 'Journal', render: () => <JournalPanel /> },
  { id: 'diagnostics', label: 'Diagnostics', render: () => <DiagnosticsPanel /> },
];

export function BottomTabs({ tabs = DEFAULT_TABS }: { tabs?: BottomTab[] }) {
  const client = useClient();
  const [active, setActive] = useState(tabs[0]?.id ?? '');
  // Positions and P&L follow their events whichever tab shows (the intraday P&L line needs every update).
  useEffect(() => bindPositionsStore(client), [client]);
  // Fill, reject, exit, breaker and disconnect notices (muted kinds never arrive: main filters them).
  useEffect(() => bindNotifications(client), [client]);
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <section className="panel bottom-tabs" aria-label="Account activity">
      <div className="tab-strip" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={t.id === current?.id} className={`tab ${t.id === current?.id ? 'tab-active' : ''}`} onClick={() => setActive(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="panel-body" role="tabpanel">
        {current?.render()}
      </div>
    </section>
  );
}
