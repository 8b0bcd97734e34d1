// The Prometheus text endpoint: diagnostics as metrics on 127.0.0.1 only, off unless the trader turns it on.
import { createServer, type Server } from 'node:http';
import type { DiagnosticsSnapshot } from '../../../core/contract';

type Metric = { name: string; help: string; type: 'gauge' | 'counter'; samples: Array<{ labels?: Record<string, string>; value: number | null }> };

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Text exposition format 0.0.4 of one diagnostics snapshot. */
export function renderPrometheus(s: DiagnosticsSnapshot): string {
  const g = (name: string, help: string, value: number | null, labels?: Record<string, string>): Metric => ({ name, help, type: 'gauge', samples: [{ labels, value }] });
  const c = (name: string, help: string, value: number): Metric => ({ name, help, type: 'counter', samples: [{ value }] });
  const state = ['disconnected', 'connecting', 'connected', 'reconnecting'];
  const metrics: Metric[] = [
    { name: 'spreaddesk_connection_state', help: 'Broker connection state (1 for the current state).', type: 'gauge', samples: state.map((st) => ({ labels: { state: st }, value: s.state === st ? 1 : 0 })) },
    g('spreaddesk_link_lost', 'TWS reported its link to IBKR lost (1100) and not yet restored.', s.linkLost ? 1 : 0),
    c('spreaddesk_messages_in_total', 'Messages received from TWS.', s.messagesIn.total),
    c('spreaddesk_messages_out_total', 'Messages sent to TWS.', s.messagesOut.total),
    g('spreaddesk_messages_in_per_second', 'Recent inbound message rate.', s.messagesIn.perSecond),
    g('spreaddesk_messages_out_per_second', 'Recent outbound message rate.', s.messagesOut.perSecond),
    g('spreaddesk_pacer_rate_limit', 'Configured outbound messages per second.', s.pacer.ratePerSecond),
    { name: 'spreaddesk_pacer_queue_depth', help: 'Messages waiting in the pacer, by priority.', type: 'gauge', samples: (['order', 'quote', 'scan'] as const).map((p) => ({ labels: { priority: p }, value: s.pacer.depthByPriority[p] })) },
    { name: 'spreaddesk_pacer_wait_ms', help: 'Time messages waited in the pacer.', type: 'gauge', samples: [{ labels: { quantile: '0.5' }, value: s.pacer.waitP50Ms }, { labels: { quantile: '0.99' }, value: s.pacer.waitP99Ms }] },
    g('spreaddesk_lines_held', 'Market-data lines held.', s.lines.held),
    g('spreaddesk_lines_budget', 'Market-data line budget.', s.lines.budget),
    c('spreaddesk_lines_refused_total', 'Line requests TWS refused with 101.', s.lines.refused101),
    { name: 'spreaddesk_request_latency_ms', help: 'Request round-trip latency.', type: 'gauge', samples: [{ labels: { quantile: '0.5' }, value: s.requests.latencyP50Ms }, { labels: { quantile: '0.99' }, value: s.requests.latencyP99Ms }] },
    c('spreaddesk_request_timeouts_total', 'Requests that timed out.', s.requests.timeouts),
    c('spreaddesk_reconnects_total', 'Reconnections after a lost connection.', s.reconnects),
    { name: 'spreaddesk_broker_errors_total', help: 'Broker error and notice codes seen.', type: 'counter', samples: Object.entries(s.errorsByCode).map(([code, n]) => ({ labels: { code }, value: n })) },
    c('spreaddesk_decode_errors_total', 'Inbound messages skipped as unreadable.', s.decodeErrors),
    c('spreaddesk_execution_replays_ignored_total', 'Replayed executions ignored.', s.executions.replaysIgnored),
    g('spreaddesk_orders_working', 'Working orders.', s.orders.working),
    g('spreaddesk_orders_stuck', 'Orders sent but never acknowledged.', s.orders.stuck),
  ];
  const out: string[] = [];
  for (const m of metrics) {
    out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const smp of m.samples) {
      const labels = smp.labels ? `{${Object.entries(smp.labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}` : '';
      out.push(`${m.name}${labels} ${smp.value === null ? 'NaN' : String(smp.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics on 127.0.0.1:port (0 = any free port). Never binds beyond loopback. */
export function startMetricsServer(port: number, render: () => string): Promise<MetricsServer> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      try {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(render());
      } catch {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('diagnostics unavailable\n');
      }
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      const p = addr && typeof addr === 'object' ? addr.port : port;
      resolve({ url: `http://127.0.0.1:${p}/metrics`, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}
