import { describe, expect, it } from 'vitest';
import { createSlackBolt } from '../src/adapters/slack/bolt-app.ts';
import { createLogger } from '../src/logger.ts';
import type { Services } from '../src/services.ts';

const deps = { services: {} as Services, logger: createLogger('silent') };

describe('how Slack reaches the bot', () => {
  it('with an app-level token it uses Socket Mode and mounts no HTTP receiver', () => {
    const bolt = createSlackBolt(deps, { botToken: 'xoxb-test', appToken: 'xapp-test' });
    expect(bolt.socket).toBeDefined();
    expect(bolt.http).toBeUndefined();
  });

  it('without one it is an HTTP receiver for our own server, verifying the signing secret', () => {
    const bolt = createSlackBolt(deps, { botToken: 'xoxb-test', signingSecret: 'secret' });
    expect(bolt.http).toBeDefined();
    expect(bolt.socket).toBeUndefined();
    expect(typeof bolt.http?.requestListener).toBe('function');
  });
});
