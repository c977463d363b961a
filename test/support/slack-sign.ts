import { createHmac } from 'node:crypto';

/**
 * Really signed Slack requests: `X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`, as
 * Slack sends them, so the tests go through Bolt's own verification.
 */
export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type SignedPost = { status: number; text: string; json(): unknown };

/** Posts a form body to the app's Slack endpoint with a valid (or deliberately given) signature. */
export async function postToSlackEndpoint(
  url: string,
  secret: string,
  body: string,
  options: { timestamp?: number; signature?: string } = {},
): Promise<SignedPost> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, body, timestamp),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: () => (text ? JSON.parse(text) : null) };
}

/** The form body of a slash command. */
export function slashCommandBody(input: {
  userId: string;
  text: string;
  responseUrl: string;
  command?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-unused',
    team_id: 'TFAKE',
    team_domain: 'fake',
    channel_id: 'C0MANAGERS',
    channel_name: 'managers',
    user_id: input.userId,
    user_name: 'someone',
    command: input.command ?? '/oversight',
    text: input.text,
    api_app_id: 'AFAKE',
    response_url: input.responseUrl,
    trigger_id: 'trigger-1',
  }).toString();
}

/** The form body of a button press on a message (block_actions). */
export function buttonPressBody(input: {
  userId: string;
  actionId: string;
  value: string;
  responseUrl: string;
  channel?: string;
  messageTs?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: input.userId, username: 'someone', team_id: 'TFAKE' },
    api_app_id: 'AFAKE',
    token: 'legacy-unused',
    container: {
      type: 'message',
      message_ts: input.messageTs ?? '1800000000.000001',
      channel_id: input.channel ?? 'C0MANAGERS',
    },
    trigger_id: 'trigger-1',
    channel: { id: input.channel ?? 'C0MANAGERS', name: 'managers' },
    message: { ts: input.messageTs ?? '1800000000.000001', text: 'notice' },
    response_url: input.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'notice_actions',
        text: { type: 'plain_text', text: 'x' },
        value: input.value,
        action_ts: '1800000000.1',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The form body of a modal submission (view_submission). */
export function viewSubmissionBody(input: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, unknown>>;
}): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: input.userId, username: 'someone', team_id: 'TFAKE' },
    api_app_id: 'AFAKE',
    token: 'legacy-unused',
    trigger_id: 'trigger-2',
    view: {
      id: 'VFAKE',
      team_id: 'TFAKE',
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata,
      state: { values: input.values },
      hash: 'h',
      blocks: [],
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
