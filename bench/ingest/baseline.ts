import { Queue } from 'bullmq';
import Fastify from 'fastify';
import postgres from 'postgres';
import { connectRedis } from '../../src/redis.ts';

/**
 * The bare pipeline the service is measured against: HTTP POST → JSON.parse → one INSERT …
 * ON CONFLICT → one BullMQ add → 200. No signature, validation, policy, audit or transaction.
 */
export async function startBaseline(options: { databaseUrl: string; redisUrl: string; prefix: string }) {
  const sql = postgres(options.databaseUrl, { max: 10, onnotice: () => {} });
  await sql`create table if not exists bench_baseline (
    source text not null, event_id text not null, envelope jsonb not null,
    received_at timestamptz not null default now(), primary key (source, event_id))`;
  const redis = connectRedis(options.redisUrl, 'producer');
  const queue = new Queue('baseline', { connection: redis, prefix: options.prefix });
  const server = Fastify({ logger: false });
  server.post('/baseline', async (req) => {
    const body = req.body as { events?: Array<{ id: string; source: string }> } & {
      id: string;
      source: string;
    };
    const events = body.events ?? [body];
    await sql`insert into bench_baseline ${sql(
      events.map((e) => ({ source: e.source, event_id: e.id, envelope: sql.json(e as never) })),
    )} on conflict do nothing`;
    await queue.add('event', { id: events[0]!.id }, { removeOnComplete: true });
    return { ok: true };
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    async close() {
      await server.close();
      await queue.close();
      redis.disconnect();
      await sql.end({ timeout: 5 });
    },
  };
}
