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
  const linkLost = connection?.linkLost === true;
  const lines = connection?.lines;
  const pacer = connection?.pacer;
  const retryIn = state === 'reconnecting' && connection?.nextRetryAt ? Math.max(0, Math.ceil((connection.nextRetryAt - now) / 1000)) : null;
  const trading = useAppStore((s) => s.trading);
  const tradingState = trading?.state ?? 'HALTED';
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item conn-${state}${linkLost ? ' warn' : ''}`} title={connection?.message ?? 'Broker connection'} data-testid="status-connection">
        ● {linkLost ? 'link lost' : state}
        {retryIn !== null ? ` · retry in ${retryIn}s` : ''}
        {connection?.lastMessageAt && state === 'connected' ? ` · last msg ${age(now - connection.lastMessageAt)} ago` : ''}
      </span>
      {connection?.accountMode ? (
        <span className={`status-item acct-${connection.accountMode.toLowerCase()}`} title={`Account ${connection.accounts.join(', ') || '—'}`} data-testid="status-account">
          {connection.accountMode}
        </span>
      ) : null}
      {transport !== 'open' ? <span className="status-item warn">UI link {transport}</span> : null}
      <span className="status-item mono" title="New York time">NY {nyFormat.format(now)}</span>
      <span className={`status-item${connection?.marketDataType === 'delayed' ? ' warn' : ''}`} title="Market data type" data-testid="status-data">
        data {state === 'connected' ? (connection?.marketDataType ?? 'live') : '—'}
      </span>
      <span className={`status-item mono${lines && lines.held >= lines.budget * 0.9 ? ' warn' : ''}`} title="Market-data lines used / budget" data-testid="status-lines">
        lines {lines ? `${lines.held}/${lines.budget}` : '—/—'}
      </span>
      <span className={`status-item mono${pacer && pacer.depth > 0 ? ' warn' : ''}`} title={pacer ? `Pacer: ${pacer.depth} queued, ${pacer.sentPerSecond.toFixed(1)} of ${pacer.ratePerSecond} messages/s${pacer.waitP99Ms !== null ? `, wait p99 ${Math.round(pacer.waitP99Ms)} ms` : ''}` : 'Pacer queue'} data-testid="status-pacer">
        pacer {pacer ? `${pacer.depth}q ${pacer.sentPerSecond.toFixed(0)}/${pacer.ratePerSecond}/s` : '—'}
      </span>
      <span className={`status-item trading-${tradingState.toLowerCase()}`} title={trading?.reason ?? 'Trading state'} data-testid="status-trading">
        trading {tradingState}
      </span>
      <span className="status-item last-msg" title={last?.message}>
        {last ? `${last.code !== undefined ? `[${last.code}] ` : ''}${last.message}` : 'No broker messages yet'}
      </span>
    </footer>
  );
}
