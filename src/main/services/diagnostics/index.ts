// The diagnostics service: one snapshot of what the broker connection is doing, for the panel and for Prometheus.
import { ContractFailure, type DiagnosticsSnapshot, type PrometheusState } from '../../../core/contract';
import type { HandlerMap } from '../../../core/contract';
import type { BrokerService } from '../broker/service';
import type { Logger } from '../logging';
import { renderPrometheus, startMetricsServer, type MetricsServer } from './prometheus';

export interface DiagnosticsService {
  snapshot(): DiagnosticsSnapshot;
  prometheus(enabled: boolean, port?: number): Promise<PrometheusState>;
  close(): Promise<void>;
}

export function createDiagnostics(deps: { broker: BrokerService; logger: Logger }): DiagnosticsService {
  let metrics: MetricsServer | null = null;
  const prom = (): PrometheusState => ({ enabled: metrics !== null, url: metrics?.url ?? null });

  const snapshot = (): DiagnosticsSnapshot => {
    const d = deps.broker.broker.diagnostics();
    const paper = deps.broker.paper();
    let paperView: DiagnosticsSnapshot['paper'] = null;
    if (paper) {
      const st = paper.stats();
      const mine = paper.clients().filter((c) => c.clientId === d.clientId);
      paperView = { port: paper.port, linesInUse: st.linesInUse, lineBudget: st.lineBudget, clients: st.clients, inboundPerSecond: mine.reduce((a, c) => a + c.msgRate, 0) };
    }
    return { ...d, paper: paperView, prometheus: prom() };
  };

  return {
    snapshot,
    async prometheus(enabled, port = 0) {
      if (!enabled) {
        const m = metrics;
        metrics = null;
        await m?.close();
        return prom();
      }
      if (metrics) return prom();
      try {
        metrics = await startMetricsServer(port, () => renderPrometheus(snapshot()));
      } catch (e) {
        throw new ContractFailure('UNAVAILABLE', `The metrics endpoint could not start on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`);
      }
      deps.logger.info({ url: metrics.url }, 'prometheus endpoint on');
      return prom();
    },
    async close() {
      await metrics?.close();
      metrics = null;
    },
  };
}

export function diagnosticsHandlers(d: DiagnosticsService): Pick<HandlerMap, 'diagnostics.snapshot' | 'diagnostics.prometheus'> {
  return {
    'diagnostics.snapshot': () => d.snapshot(),
    'diagnostics.prometheus': ({ enabled, port }) => d.prometheus(enabled, port),
  };
}
