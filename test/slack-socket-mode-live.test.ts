import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { oversightRequests } from '../db/schema/index.ts';
import { startWorkers } from '../jobs/workers.ts';
import { systemActor } from '../src/context.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { arrestTrigger, makeCase, makeStaff, makeTeam } from './support/factories.ts';
import { FakeSlack } from './support/fake-slack.ts';
import { eventually } from './support/slack-harness.ts';
import { buttonPressBody, slashCommandBody } from './support/slack-sign.ts';

/**
 * Socket Mode (`SLACK_APP_TOKEN`, for running locally without a public URL), end to end: the app
 * asks the fake Slack API for a socket URL, connects to a local WebSocket server standing in for
 * Slack, and is sent the envelopes Slack sends; each must be acknowledged over the socket and
 * handled exactly as over HTTP.
 */
describe('Slack in Socket Mode', () => {
  const fake = new FakeSlack();
  let server: WebSocketServer;
  const received: Array<{ envelope_id?: string; payload?: unknown }> = [];
  let socket: WebSocket | undefined;
  let t: TestApp;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    await fake.start();
    fake.socketUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
    server.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => received.push(JSON.parse(String(data))));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake', approximate_connection_time: 3600 },
          connection_info: { app_id: 'AFAKE' },
        }),
      );
    });
    t = await startTestApp({
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.apiUrl },
      roles: { web: true, worker: true },
    });
    await startWorkers(t.app);
    const db = t.db.storage.db;
    await makeTeam(db);
    await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed', slackUserId: 'U0SAM' });
    await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah', slackUserId: 'U0ALI' });
    await eventually(() => socket, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
    await fake.stop();
  });

  const send = (envelope: Record<string, unknown>) => socket!.send(JSON.stringify(envelope));
  const acked = (envelopeId: string) => eventually(() => received.find((m) => m.envelope_id === envelopeId));

  it('connects with the app-level token through apps.connections.open', () => {
    expect(fake.of('apps.connections.open')).toHaveLength(1);
    expect(socket).toBeDefined();
  });

  it('a slash command is acknowledged over the socket and answered privately', async () => {
    const responseUrl = fake.responseUrl('socket-help');
    const payload = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ userId: 'U0ALI', text: 'help', responseUrl })),
    );
    send({ envelope_id: 'cmd-1', type: 'slash_commands', accepts_response_payload: true, payload });
    await acked('cmd-1');
    const reply = await eventually(() =>
      fake.calls.find((c) => c.method === 'respond' && JSON.stringify(c.body).includes('refer')),
    );
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
  });

  it('a manager pressing Acknowledge on a notice acknowledges it, and the notice is updated', async () => {
    await makeCase(t.db.storage.db, 'X500001');
    const { requestId } = await t.app.services.raise(systemActor, 'X500001', arrestTrigger('ev-X500001'));
    await eventually(async () => {
      const [r] = await t.db.storage.db
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.id, requestId));
      return r?.slackTs;
    });
    const form = buttonPressBody({
      userId: 'U0SAM',
      actionId: 'oversight_acknowledge',
      value: requestId,
      responseUrl: fake.responseUrl('socket-ack'),
    });
    const payload = JSON.parse(new URLSearchParams(form).get('payload')!);
    send({ envelope_id: 'press-1', type: 'interactive', accepts_response_payload: false, payload });
    await acked('press-1');
    const row = await eventually(async () => {
      const [r] = await t.db.storage.db
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.id, requestId));
      return r?.status === 'acknowledged' ? r : undefined;
    });
    expect(row.acknowledgedBy).toBe('mgr-sam');
    await eventually(() => fake.of('chat.update').find((c) => JSON.stringify(c.body).includes('X500001')));
  });
});
