// The Diagnostics panel: what the broker connection is doing — state, message rates, pacer, lines, latency, errors.
import { useEffect, useState, type ReactNode } from 'react';
import type { DiagnosticsSnapshot } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { reportError, useAppStore } from '../../stores/app-store';
import './diagnostics.css';
import { CODE_NAMES, count, duration, ms, rate } from './format';

const POLL_MS = 1_000;

function Row({ k, v, tone, testId }: { k: string; v: ReactNode; tone?: 'warn' | 'bad' | 'good'; testId?: string }) {
  return (
    <div className="diag-row">
      <span className="k">{k}</span>
      <span className={`v${tone ? ` ${tone}` : ''}`} data-testid={testId}>
        {v}
      </span>
    </div>
  );
}

function Card({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="diag-card" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function DiagnosticsPanel() {
  const client = useClient();
  const connection = useAppStore((s) => s.connection);
  const transport = useAppStore((s) => s.transport);
  const [snap, setSnap] = useState<DiagnosticsSnapshot | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (transport !== 'open') return;
    let alive = true;
    const load = () =>
      void client.invoke('diagnostics.snapshot', {}).then((r) => {
        if (alive && r.ok) setSnap(r.value);
      });
    load();
    const t = setInterval(load, POLL_MS);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [client, transport]);

  const state = connection?.state ?? 'disconnected';
  const act = (method: 'connection.connect' | 'connection.disconnect') => {
    setBusy(true);
    void client.invoke(method, {}).then((r) => {
      setBusy(false);
      if (!r.ok) reportError(r.error, method === 'connection.connect' ? 'Connecting' : 'Disconnecting');
    });
  };
  const togglePrometheus = () => {
    const enabled = !(snap?.prometheus.enabled ?? false);
    void client.invoke('diagnostics.prometheus', { enabled }).then((r) => {
      if (!r.ok) reportError(r.error, 'Metrics endpoint');
    });
  };

  const d = snap;
  const linePct = d ? Math.min(100, (d.lines.held / Math.max(1, d.lines.budget)) * 100) : 0;
  const codes = d ? Object.entries(d.errorsByCode).sort((a, b) => b[1] - a[1]) : [];
  return (
    <div className="diag" data-testid="diagnostics-panel">
      <div className="diag-toolbar">
        {state === 'disconnected' ? (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => act('connection.connect')} data-testid="diag-connect">
            Connect
          </button>
        ) : (
          <button type="button" className="btn" disabled={busy} onClick={() => act('connection.disconnect')} data-testid="diag-disconnect">
            Disconnect
          </button>
        )}
        <span className={`conn conn-${state}`} data-testid="diag-state">
          {connection?.linkLost ? 'link lost' : state}
        </span>
        <span className="diag-message" title={connection?.message}>
          {connection?.message ?? ''}
        </span>
        <button type="button" className="btn" onClick={togglePrometheus} title="Prometheus text endpoint on 127.0.0.1 (off by default)" data-testid="diag-prometheus">
          {d?.prometheus.enabled ? 'Metrics: on' : 'Metrics: off'}
        </button>
      </div>
      {!d ? (
        <p className="diag-empty" style={{ padding: 10 }}>
          Loading diagnostics…
        </p>
      ) : (
        <div className="diag-grid">
          <Card title="Connection" testId="diag-connection">
            <Row k="State" v={d.linkLost ? 'connected · link lost' : d.state} tone={d.state === 'connected' && !d.linkLost ? 'good' : 'warn'} />
            <Row k="Account" v={d.accountMode ?? '—'} testId="diag-account" />
            <Row k="Client id" v={d.clientId ?? '—'} />
            <Row k="Server version" v={d.serverVersion ?? '—'} />
            <Row k="Uptime" v={duration(d.uptimeMs)} />
            <Row k="Reconnects" v={count(d.reconnects)} tone={d.reconnects > 0 ? 'warn' : undefined} />
            <Row k="Probe RTT" v={ms(d.probe.lastRttMs)} />
            {d.lastDisconnectReason ? <Row k="Last drop" v={<span title={d.lastDisconnectReason}>{d.lastDisconnectReason}</span>} /> : null}
          </Card>
          <Card title="Messages" testId="diag-messages">
            <Row k="In / s" v={rate(d.messagesIn.perSecond)} testId="diag-in-rate" />
            <Row k="Out / s" v={rate(d.messagesOut.perSecond)} testId="diag-out-rate" />
            <Row k="Peak in / out" v={`${rate(d.messagesIn.peakPerSecond)} / ${rate(d.messagesOut.peakPerSecond)}`} />
            <Row k="Total in / out" v={`${count(d.messagesIn.total)} / ${count(d.messagesOut.total)}`} />
            <Row k="Data" v={d.marketDataType === 1 ? 'live' : d.marketDataType === 3 ? 'delayed' : `type ${d.marketDataType}`} tone={d.marketDataType === 1 ? undefined : 'warn'} />
            <Row k="Unreadable" v={count(d.decodeErrors)} tone={d.decodeErrors > 0 ? 'warn' : undefined} />
          </Card>
          <Card title="Pacer" testId="diag-pacer">
            <Row k="Limit" v={`${d.pacer.ratePerSecond} msg/s`} />
            <Row k="Sent / s" v={rate(d.pacer.sentPerSecond)} />
            <Row k="Queue" v={`${count(d.pacer.depth)} (${d.pacer.depthByPriority.order}·${d.pacer.depthByPriority.quote}·${d.pacer.depthByPriority.scan})`} tone={d.pacer.depth > 0 ? 'warn' : undefined} testId="diag-pacer-depth" />
            <Row k="Wait p50 / p99" v={`${ms(d.pacer.waitP50Ms)} / ${ms(d.pacer.waitP99Ms)}`} testId="diag-pacer-wait" />
            <Row k="Max queue" v={count(d.pacer.maxDepth)} />
          </Card>
          <Card title="Market-data lines" testId="diag-lines">
            <Row k="Held / budget" v={`${d.lines.held} / ${d.lines.budget}`} tone={d.lines.held >= d.lines.budget * 0.9 ? 'warn' : undefined} testId="diag-lines-held" />
            <div className={`diag-bar${linePct >= 90 ? ' warn' : ''}`}>
              <div style={{ width: `${linePct}%` }} />
            </div>
            <Row k="Streams (panels)" v={`${d.lines.streaming} (${d.lines.subscribers})`} />
            <Row k="Snapshots" v={`${d.lines.snapshotsInFlight} now, ${count(d.lines.snapshotsCompleted)} done`} />
            <Row k="Waiting" v={`${d.lines.streamingWaiting + d.lines.snapshotsWaiting}`} tone={d.lines.streamingWaiting > 0 ? 'warn' : undefined} />
            <Row k="Peak" v={count(d.lines.peakHeld)} />
            <Row k="Refused (101)" v={count(d.lines.refused101)} tone={d.lines.refused101 > 0 ? 'bad' : undefined} />
          </Card>
          <Card title="Requests" testId="diag-requests">
            <Row k="Latency p50" v={ms(d.requests.latencyP50Ms)} testId="diag-latency-p50" />
            <Row k="Latency p99" v={ms(d.requests.latencyP99Ms)} testId="diag-latency-p99" />
            <Row k="Pending" v={count(d.requests.pending)} />
            <Row k="Done / failed" v={`${count(d.requests.completed)} / ${count(d.requests.failed)}`} />
            <Row k="Timeouts" v={count(d.requests.timeouts)} tone={d.requests.timeouts > 0 ? 'warn' : undefined} />
            <Row k="Orders working" v={count(d.orders.working)} />
            <Row k="Orders stuck" v={count(d.orders.stuck)} tone={d.orders.stuck > 0 ? 'bad' : undefined} />
          </Card>
          <Card title="Broker codes" testId="diag-codes">
            {codes.length === 0 ? (
              <p className="diag-empty">No broker messages yet.</p>
            ) : (
              <table className="diag-codes">
                <tbody>
                  {codes.slice(0, 8).map(([code, n]) => (
                    <tr key={code}>
                      <td className="c">{code}</td>
                      <td>{CODE_NAMES[code] ?? 'broker said …'}</td>
                      <td className="n">{n}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          {d.paper ? (
            <Card title="Local paper exchange" testId="diag-paper">
              <Row k="Listening" v={`127.0.0.1:${d.paper.port}`} />
              <Row k="Lines there" v={`${d.paper.linesInUse} / ${d.paper.lineBudget}`} />
              <Row k="Msgs in there" v={`${rate(d.paper.inboundPerSecond)} / s`} />
              <Row k="Clients" v={count(d.paper.clients)} />
            </Card>
          ) : null}
          {d.prometheus.enabled ? (
            <Card title="Metrics endpoint">
              <Row k="URL" v={<span title={d.prometheus.url ?? ''}>{d.prometheus.url?.replace('http://', '') ?? '—'}</span>} />
            </Card>
          ) : null}
        </div>
      )}
    </div>
  );
}
