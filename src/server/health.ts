import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

export type ReadinessProbe = { name: string; check: () => Promise<void> };

/** `/healthz` (the process is up), `/readyz` (every dependency answers), `/metrics` (Prometheus). */
export function registerHealthRoutes(
  server: FastifyInstance,
  probes: ReadinessProbe[],
  metrics: Metrics,
): void {
  server.get('/healthz', async () => ({ status: 'ok' }));

  server.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), 2000);
          return [probe.name, 'ok'] as const;
        } catch (error) {
          return [probe.name, (error as Error).message] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });

  server.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
