import { isIP } from 'node:net';
import type { OutboundUrlPolicy } from '@microsoft/agents-hosting';

/**
 * Whether a service URL points at this machine (127.0.0.0/8, ::1, localhost). Unauthenticated
 * Teams talks only to such URLs: a stand-in connector in tests, never a real tenant, so an
 * activity without a token cannot make the bot send case details anywhere it names.
 */
export function isLoopbackUrl(url: string | URL | null | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    host = new URL(String(url)).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || host === '::ffff:7f00:1';
  return false;
}

/** The SDK's outbound policy for unauthenticated mode: every connector call goes to loopback or nowhere. */
export const loopbackOnly: OutboundUrlPolicy = { enabled: true, isAllowed: isLoopbackUrl };
