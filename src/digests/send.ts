import { audit } from '../audit/index.ts';
import { queueDirect } from '../chat/index.ts';
import type { MessageView } from '../chat/views.ts';
import type { Actor } from '../context.ts';
import { conflict } from '../errors.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { buildDigest, type Digest, digestCounts, type SectionName } from './build.ts';
import { renderDigest } from './view.ts';

export type DigestSent = {
  teamCode: string;
  lead: string;
  message: MessageView;
  counts: Record<SectionName, number>;
  /** Delivery rows queued (one per platform the lead is on); 0 when this run was already sent. */
  queued: number;
  duplicate: boolean;
};

export type DigestOutcome = ({ ok: true } & DigestSent) | { ok: false; teamCode: string; error: Error };

/**
 * Sends a team's digest to its lead by direct message, on every platform the lead is on, with an
 * audit row in the same transaction. `dedupeKey` makes a scheduled run send once even when its
 * job is retried; without it (someone asked for it now) it is always sent.
 */
export async function sendDigest(
  deps: Deps,
  actor: Actor,
  teamCode: string,
  options: { dedupeKey?: string } = {},
): Promise<DigestSent> {
  const digest = await buildDigest(deps.db, teamCode, { now: deps.now(), timings: deps.policy.timings });
  const lead = requireLead(digest);
  const message = renderDigest(digest);
  const counts = digestCounts(digest);
  return transact(deps, actor, async (ctx) => {
    const before = ctx.effects.deliveries.length;
    const reachable = await queueDirect(ctx, lead, message, { dedupeKey: options.dedupeKey });
    if (reachable === 0) {
      throw conflict(
        `The lead of team ${teamCode} (${lead}) cannot be reached on any chat platform of this deployment.`,
      );
    }
    const queued = ctx.effects.deliveries.length - before;
    const sent = { teamCode: digest.team.code, lead, message, counts, queued, duplicate: queued === 0 };
    if (sent.duplicate) return sent;
    await audit(ctx.db, ctx.actor, {
      action: 'digest.sent',
      subjectType: 'team',
      subjectId: digest.team.code,
      detail: { to: lead, counts },
    });
    return sent;
  });
}

/**
 * Sends the digests of several teams. Each team is caught on its own: one team with no lead, or
 * one failing query, must not keep every other lead from hearing about their overdue work.
 */
export async function sendDigests(
  deps: Deps,
  actor: Actor,
  teamCodes: readonly string[],
  options: { dedupeKey?: (teamCode: string) => string } = {},
): Promise<DigestOutcome[]> {
  const outcomes: DigestOutcome[] = [];
  for (const teamCode of teamCodes) {
    try {
      const sent = await sendDigest(deps, actor, teamCode, { dedupeKey: options.dedupeKey?.(teamCode) });
      outcomes.push({ ok: true, ...sent });
    } catch (error) {
      outcomes.push({
        ok: false,
        teamCode,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }
  return outcomes;
}

function requireLead(digest: Digest): string {
  if (!digest.team.lead) {
    throw conflict(
      `Team ${digest.team.code} has no active team lead in the directory, so its digest has nobody to go to; ask an admin to add one.`,
    );
  }
  return digest.team.lead.code;
}
