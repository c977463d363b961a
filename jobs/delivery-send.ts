import { and, eq, inArray, lt, ne, or, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { deliveries, oversightRequests, type Platform } from '../db/schema/index.ts';
import type { App } from '../src/app.ts';
import { type ChatAdapter, DeliveryError, type MessageRef, type MessageView } from '../src/chat/index.ts';
import { staffByCode } from '../src/directory/index.ts';

export type DeliveryRow = typeof deliveries.$inferSelect;

/** A delivery with where its request's notice already is on that platform (if posted), in one query. */
export async function loadDelivery(
  db: Database,
  id: string,
): Promise<{ row: DeliveryRow; noticeRef: MessageRef | null } | undefined> {
  const [found] = await db
    .select({ row: deliveries, request: oversightRequests })
    .from(deliveries)
    .leftJoin(oversightRequests, eq(oversightRequests.id, deliveries.requestId))
    .where(eq(deliveries.id, id));
  if (!found) return undefined;
  const r = found.request;
  const platform = found.row.platform;
  let noticeRef: MessageRef | null = null;
  if (r && platform === 'slack' && r.slackChannel && r.slackTs)
    noticeRef = { channel: r.slackChannel, id: r.slackTs };
  if (r && platform === 'msteams' && r.msteamsConversationId && r.msteamsActivityId) {
    noticeRef = { channel: r.msteamsConversationId, id: r.msteamsActivityId };
  }
  return { row: found.row, noticeRef };
}

/** The delivery that posts a request's notice on a platform (its dedupe key is fixed by the outbox). */
export async function noticePostOf(db: Database, row: DeliveryRow): Promise<DeliveryRow | undefined> {
  const [post] = await db
    .select()
    .from(deliveries)
    .where(eq(deliveries.dedupeKey, `notice.post:${row.requestId}:${row.platform}`));
  return post;
}

export function parseRef(text: string | null): MessageRef | null {
  if (!text) return null;
  try {
    const ref = JSON.parse(text) as Partial<MessageRef>;
    return typeof ref.channel === 'string' && typeof ref.id === 'string'
      ? { channel: ref.channel, id: ref.id }
      : null;
  } catch {
    return null;
  }
}

/** The queued updates of this delivery's notice on its platform that also match `which`. */
function queuedUpdatesOfNotice(db: Database, row: DeliveryRow, which: SQL | undefined) {
  return db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.requestId, row.requestId!),
        eq(deliveries.platform, row.platform),
        eq(deliveries.kind, 'notice.update'),
        eq(deliveries.status, 'queued'),
        which,
      ),
    );
}

/**
 * Whether an update of the same notice, queued before this one, has still to be sent. That one
 * renders the notice from the database when it is sent, so it will show this change too (and mark
 * this delivery sent with it); this one need not book a slot of the channel's pace meanwhile.
 */
export async function earlierUpdateQueued(db: Database, row: DeliveryRow): Promise<boolean> {
  const earlier = or(
    lt(deliveries.createdAt, row.createdAt),
    and(eq(deliveries.createdAt, row.createdAt), lt(deliveries.id, row.id)),
  );
  return (await queuedUpdatesOfNotice(db, row, earlier).limit(1)).length > 0;
}

/** Result of one send: the message ref to keep, and other queued deliveries this one made redundant. */
export type Sent = { ref: MessageRef | null; coalesced: string[] };

/**
 * Makes the one platform call a delivery stands for. Notices are rendered from the database now,
 * not when queued, so whatever changed meanwhile is shown. `claim` runs right before the call
 * (the channel's pace); it throws to put the delivery off.
 */
export async function sendDelivery(
  app: App,
  adapter: ChatAdapter,
  row: DeliveryRow,
  ref: MessageRef | null,
  claim: () => Promise<void>,
): Promise<Sent> {
  const db = app.storage.db;
  switch (row.kind) {
    case 'notice.post': {
      const view = await app.services.noticeView(row.requestId!);
      await claim();
      return { ref: await adapter.postNotice(row.target, view), coalesced: [] };
    }
    case 'notice.update': {
      // Read before rendering: every update queued (committed) by now is shown by this render,
      // so those deliveries need no call of their own.
      const pending = await queuedUpdatesOfNotice(db, row, ne(deliveries.id, row.id));
      const view = await app.services.noticeView(row.requestId!);
      await claim();
      await adapter.updateNotice(ref!, view);
      return { ref, coalesced: pending.map((p) => p.id) };
    }
    case 'thread.reply':
      await claim();
      await adapter.replyInThread(ref!, row.payload as MessageView);
      return { ref: null, coalesced: [] };
    case 'direct': {
      const person = await staffByCode(db, row.target);
      if (!person?.active) throw new DeliveryError('unknown_or_inactive_staff', true);
      await claim();
      await adapter.sendDirect(person, row.payload as MessageView);
      return { ref: null, coalesced: [] };
    }
    default:
      throw new DeliveryError('unknown_kind', true);
  }
}

/**
 * Records a sent delivery. The notice's ref goes on the request first, on its own: if recording
 * the delivery then fails, the retry finds the ref and marks it sent instead of posting twice.
 */
export async function recordSent(db: Database, row: DeliveryRow, sent: Sent, at: Date): Promise<void> {
  if (row.kind === 'notice.post' && row.requestId && sent.ref) {
    const columns = refColumns(row.platform, sent.ref);
    if (columns)
      await db.update(oversightRequests).set(columns).where(eq(oversightRequests.id, row.requestId));
  }
  await db
    .update(deliveries)
    .set({
      status: 'sent',
      sentAt: at,
      attempts: row.attempts + 1,
      lastError: null,
      externalRef: sent.ref ? JSON.stringify(sent.ref) : null,
    })
    .where(eq(deliveries.id, row.id));
  if (sent.coalesced.length > 0) {
    await db
      .update(deliveries)
      .set({ status: 'sent', sentAt: at, externalRef: `coalesced:${row.id}` })
      .where(and(inArray(deliveries.id, sent.coalesced), eq(deliveries.status, 'queued')));
  }
}

function refColumns(platform: Platform, ref: MessageRef) {
  if (platform === 'slack') return { slackChannel: ref.channel, slackTs: ref.id };
  if (platform === 'msteams') return { msteamsConversationId: ref.channel, msteamsActivityId: ref.id };
  return null;
}
