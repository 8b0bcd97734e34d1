// The status bar: connection with time since last message, market session and New York time, lines, pacer, trading state, last message.
import { useEffect, useState, type ReactNode } from 'react';
import { useAppStore } from '../stores/app-store';
import { marketSession } from './market-session';

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

/**
 * `clockBadge`: where the paper exchange's SIMULATED TIME badge goes, beside the New York clock.
 * `clockNow`: the market clock when it is not the wall clock (the simulated instant); session and clock follow it.
 */
export function StatusBar({ clockBadge, clockNow }: { clockBadge?: ReactNode; clockNow?: number | null } = {}) {
  const connection = useAppStore((s) => s.connection);
  const lost = useAppStore((s) => s.lost);
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
  const simulatedClock = clockNow !== undefined && clockNow !== null;
  const session = marketSession(simulatedClock ? clockNow : now);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item conn-${lost ? 'lost' : state}${linkLost || lost ? ' warn' : ''}`} title={lost ? 'The app is not answering; the broker state is unknown.' : (connection?.message ?? 'Broker connection')} data-testid="status-connection">
        ● {lost ? 'SpreadDesk not responding' : linkLost ? 'link lost' : state}
        {retryIn !== null ? ` · retry in ${retryIn}s` : ''}
        {connection?.lastMessageAt && state === 'connected' ? ` · last msg ${age(now - connection.lastMessageAt)} ago` : ''}
      </span>
      {connection?.accountMode ? (
        <span className={`status-item acct-${connection.accountMode.toLowerCase()}`} title={`Account ${connection.accounts.join(', ') || '—'}`} data-testid="status-account">
          {connection.accountMode}
        </span>
      ) : null}
      {transport !== 'open' && !lost ? <span className="status-item warn">UI link {transport}</span> : null}
      <span className={`status-item session session-${session.kind}`} title={`${simulatedClock ? 'Simulated market session' : 'US options market (NYSE hours)'}${session.detail ? `: ${session.detail}` : ''}`} data-testid="status-session">
        {session.label}
        {session.detail ? ` · ${session.detail}` : ''}
      </span>
      <span className={`status-item mono${simulatedClock ? ' sim-clock-text' : ''}`} title={simulatedClock ? 'Simulated New York time (not the wall clock)' : 'New York time'} data-testid="status-clock">
        NY {session.clock}
      </span>
      {clockBadge}
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
        trading {lost ? '—' : tradingState}
      </span>
      <span className="status-item last-msg" title={last?.message}>
        {last ? `${last.code !== undefined ? `[${last.code}] ` : ''}${last.message}` : 'No broker messages yet'}
      </span>
    </footer>
  );
}
