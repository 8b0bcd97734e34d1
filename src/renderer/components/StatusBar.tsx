// The status bar: connection with time since last message, New York time, lines, pacer, trading state, last message.
import { useEffect, useState } from 'react';
import { useAppStore } from '../stores/app-store';

const nyFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

export function StatusBar() {
  const connection = useAppStore((s) => s.connection);
  const transport = useAppStore((s) => s.transport);
  const last = useAppStore((s) => s.log[s.log.length - 1]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const state = connection?.state ?? 'disconnected';
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item conn-${state}`} title="Broker connection">
        ● {state}
        {connection?.lastMessageAt ? ` · last msg ${age(now - connection.lastMessageAt)} ago` : ''}
      </span>
      {transport !== 'open' ? <span className="status-item warn">UI link {transport}</span> : null}
      <span className="status-item mono" title="New York time">NY {nyFormat.format(now)}</span>
      <span className="status-item" title="Market data type">data —</span>
      <span className="status-item mono" title="Market-data lines used / budget">lines —/—</span>
      <span className="status-item mono" title="Pacer queue">pacer —</span>
      <span className={`status-item trading-${state === 'connected' ? 'active' : 'halted'}`} title="Trading state">
        trading {state === 'connected' ? 'ACTIVE' : 'HALTED'}
      </span>
      <span className="status-item last-msg" title={last?.message}>
        {last ? `${last.code !== undefined ? `[${last.code}] ` : ''}${last.message}` : 'No broker messages yet'}
      </span>
    </footer>
  );
}
