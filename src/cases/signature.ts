import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';

/**
 * HMAC-SHA256 signatures of the case-event API (SPEC 'Case events'): over `${timestamp}.${rawBody}`,
 * sent as `X-Oversight-Timestamp` (unix seconds) and `X-Oversight-Signature: v1=<hex>`. The timestamp
 * is signed and must be within five minutes either way, so a captured request cannot be replayed later.
 */

export const timestampHeader = 'x-oversight-timestamp';
export const signatureHeader = 'x-oversight-signature';
export const toleranceSeconds = 5 * 60;

/** The `X-Oversight-Signature` value for a body sent at `timestamp` (unix seconds). */
export function signBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The two headers a sender adds; used by `oversight event send`, the tests and the benchmark. */
export function signedHeaders(secret: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    [timestampHeader]: String(timestamp),
    [signatureHeader]: signBody(secret, timestamp, body),
  };
}

const refuse = (message: string) => new AppError('unauthenticated', message);

/** Throws `unauthenticated` unless the body carries a fresh, valid signature under `secret`. */
export function verifySignature(input: {
  secret: string | undefined;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  body: string;
  now: Date;
}): void {
  if (!input.secret) {
    throw refuse('case-event ingestion is disabled: EVENTS_SIGNING_SECRET is not set on this service');
  }
  const timestamp = typeof input.timestamp === 'string' ? input.timestamp.trim() : '';
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw refuse('X-Oversight-Timestamp is missing or not unix seconds');
  }
  const skew = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(timestamp));
  if (skew > toleranceSeconds) {
    throw refuse(
      `X-Oversight-Timestamp is more than ${toleranceSeconds / 60} minutes from this server's clock`,
    );
  }
  const given =
    typeof input.signature === 'string' ? /^v1=([0-9a-f]{64})$/i.exec(input.signature.trim()) : null;
  if (!given) throw refuse('X-Oversight-Signature is missing or not v1=<hex>');
  const expected = Buffer.from(signBody(input.secret, Number(timestamp), input.body).slice(3), 'hex');
  // Constant-time comparison, so the signature cannot be guessed byte by byte from response times.
  if (!timingSafeEqual(expected, Buffer.from(given[1]!.toLowerCase(), 'hex'))) {
    throw refuse('X-Oversight-Signature does not match the body');
  }
}
