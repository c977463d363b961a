import { HttpError } from '@microsoft/agents-hosting';
import { DeliveryError } from '../../chat/index.ts';

/**
 * What may be logged of an error from the Bot Connector: its kind and status, never its message,
 * which the SDK fills with the request body (the card, so the CRN and names).
 */
export function errorSummary(error: unknown): { name: string; status?: number } {
  if (error instanceof HttpError) return { name: 'HttpError', status: error.status };
  return { name: error instanceof Error ? error.name : typeof error };
}

/**
 * Maps a failed Bot Connector call to the chat port's error: 429 and 5xx are retried (after
 * Retry-After when given); conversation or bot gone, or bad auth, are permanent.
 */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof HttpError) {
    const status = error.status;
    if (status === 429 || status >= 500 || status === 408) {
      return new DeliveryError(`Teams ${what}: HTTP ${status}`, false, retryAfterMs(error));
    }
    const reason =
      status === 404
        ? 'conversation not found or bot not installed'
        : status === 403
          ? 'bot not allowed in the conversation'
          : status === 401
            ? 'authentication refused'
            : 'request refused';
    return new DeliveryError(`Teams ${what}: HTTP ${status}, ${reason}`, true);
  }
  return new DeliveryError(`Teams ${what}: ${errorSummary(error).name}`, false);
}

function retryAfterMs(error: HttpError): number | undefined {
  const header = error.response?.headers?.get?.('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
