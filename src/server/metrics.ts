import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry, so several can live in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oversight_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'oversight_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    caseEvents: new Counter({
      name: 'oversight_case_events_total',
      help: 'Case events received, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'oversight_deliveries_total',
      help: 'Outbound chat messages by platform and result',
      labelNames: ['platform', 'result'] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'oversight_jobs_total',
      help: 'Jobs processed by queue and result',
      labelNames: ['queue', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
