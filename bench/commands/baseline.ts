import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import postgres from 'postgres';

/**
 * The bare route the slash command is measured against, on its own Fastify server in the same
 * process: verify Slack's v0 signature over the raw body (timestamp within 5 minutes), parse the
 * form, one indexed SELECT (the staff member behind `user_id`, unique index on slack_user_id)
 * through postgres.js with a pool of 10, then 200. No Bolt, no command, no reply.
 */
export async function startBaseline(options: { databaseUrl: string; secret: string }) {
  const sql = postgres(options.databaseUrl, { max: 10, onnotice: () => {} });
  const server = Fastify({ logger: false });
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );
  server.post('/slack/events', async (req, reply) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) {
      return reply.code(401).send();
    }
    const given = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
    const expected = Buffer.from(
      `v0=${createHmac('sha256', options.secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`,
    );
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send();
    const form = new URLSearchParams(raw);
    const [person] = await sql`
      select code, team_code, role from staff where slack_user_id = ${form.get('user_id') ?? ''}`;
    return reply.code(person ? 200 : 404).send();
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    async close() {
      await server.close();
      await sql.end({ timeout: 5 });
    },
  };
}
