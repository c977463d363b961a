import { DeliveryError } from '../../chat/index.ts';

/**
 * Slack answers that retrying cannot fix: the channel or person is gone, the bot is not in the
 * channel, the token or workspace is no longer valid, or the message itself is unacceptable.
 */
const permanentErrors = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'team_access_not_granted',
  'ekm_access_denied',
  'restricted_action',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'too_many_attachments',
]);

type SlackLikeError = {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
};

/**
 * Classifies a Web API failure for the delivery queue. The message is Slack's error code (never
 * message content), so it is safe to store on the delivery row and to log.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as SlackLikeError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 1;
      return new DeliveryError('ratelimited', false, seconds * 1000);
    }
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return new DeliveryError(code, false, 1000);
      return new DeliveryError(code, permanentErrors.has(code));
    }
    case 'slack_webapi_http_error':
      return new DeliveryError(`http_${e.statusCode ?? 'error'}`, false);
    case 'slack_webapi_request_error':
      return new DeliveryError('request_error', false);
    default:
      return new DeliveryError('unexpected_error', false);
  }
}
