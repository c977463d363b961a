import type { CloudAdapter, ConnectorClient } from '@microsoft/agents-hosting';
import type { Database } from '../../../db/client.ts';
import type { ChatAdapter, MessageRef, MessageView, NoticeView } from '../../chat/index.ts';
import { DeliveryError } from '../../chat/index.ts';
import type { StaffRow } from '../../directory/index.ts';
import { cardActivity } from './cards/activity.ts';
import { messageCard } from './cards/message.ts';
import { noticeCard } from './cards/notice.ts';
import { toDeliveryError } from './delivery-errors.ts';
import { isLoopbackUrl } from './loopback.ts';
import {
  type ConversationReference,
  channelOf,
  channelReference,
  loadReference,
  referenceKeys,
  type StoredReference,
  saveReference,
  serviceForTeam,
} from './references.ts';

type ConversationParameters = Parameters<ConnectorClient['createConversation']>[0];

export type TeamsChatAdapterOptions = {
  cloud: CloudAdapter;
  db: Database;
  /** The bot's app id; undefined when running without credentials against a stand-in connector. */
  appId: string | undefined;
  /** Unauthenticated mode: proactive posts go only to loopback service URLs (a stand-in connector). */
  loopbackOnly: boolean;
};

/**
 * The chat port on Teams. Every call goes to the service URL of a stored conversation reference
 * (captured at install, else the directory's), through the SDK's `continueConversation`, which
 * gets the bot's token for it. We call the Bot Connector client directly inside that turn: a plain
 * `sendActivity` there would thread under the continuation's random activity id.
 */
export class TeamsChatAdapter implements ChatAdapter {
  readonly platform = 'msteams' as const;

  constructor(private readonly options: TeamsChatAdapterOptions) {}

  /** A new post in the team's channel (no reply-to: a thread of its own). */
  async postNotice(target: string, view: NoticeView): Promise<MessageRef> {
    const reference = await this.channel(target);
    const conversationId = reference.conversation.id;
    const activity = cardActivity(noticeCard(view), `Oversight required: ${view.crn}`);
    const sent = await this.call(reference, 'post notice', (client) =>
      client.sendToConversation(conversationId, activity),
    );
    if (!sent?.id) throw new DeliveryError('Teams post notice: the connector returned no activity id', false);
    return { channel: conversationId, id: sent.id };
  }

  /** Replaces the posted card for everyone (an `Action.Execute` answer only changes it for the presser). */
  async updateNotice(ref: MessageRef, view: NoticeView): Promise<void> {
    const reference = await this.channel(ref.channel);
    const activity = cardActivity(noticeCard(view), `Oversight required: ${view.crn}`);
    activity.id = ref.id;
    await this.call(reference, 'update notice', (client) =>
      client.updateActivity(reference.conversation.id, ref.id, activity),
    );
  }

  /** A reply in the notice's thread: Teams addresses a channel thread as `channel;messageid=root`. */
  async replyInThread(ref: MessageRef, message: MessageView): Promise<void> {
    const reference = await this.channel(ref.channel);
    const thread = `${reference.conversation.id};messageid=${ref.id}`;
    await this.call(reference, 'thread reply', (client) =>
      client.sendToConversation(thread, cardActivity(messageCard(message), message.title)),
    );
  }

  /** A 1:1 message; the chat is opened with the person's Entra object id the first time, then reused. */
  async sendDirect(person: StaffRow, message: MessageView): Promise<void> {
    const aad = person.msteamsAadObjectId;
    if (!aad) throw new DeliveryError('Teams direct message: the person has no Teams identity', true);
    const reference =
      (await loadReference(this.options.db, referenceKeys.person(aad))) ?? (await this.openChat(person, aad));
    await this.call(reference, 'direct message', (client) =>
      client.sendToConversation(reference.conversation.id, cardActivity(messageCard(message), message.title)),
    );
  }

  private async openChat(person: StaffRow, aad: string): Promise<StoredReference> {
    const service = await serviceForTeam(this.options.db, person.teamCode);
    if (!service) {
      throw new DeliveryError(`Teams direct message: team ${person.teamCode} has no Teams service URL`, true);
    }
    const tenant = service.tenantId
      ? { tenantId: service.tenantId, channelData: { tenant: { id: service.tenantId } } }
      : { channelData: {} };
    const bot = { id: this.botId() };
    // The wire format calls the bot `bot`; the SDK's type calls it `agent`: send both.
    const parameters = {
      isGroup: false,
      bot,
      agent: bot,
      members: [{ id: aad, aadObjectId: aad }],
      ...tenant,
    } as unknown as ConversationParameters;
    const opening: StoredReference = {
      channelId: 'msteams',
      serviceUrl: service.serviceUrl,
      conversation: { id: 'new-1to1', ...(service.tenantId ? { tenantId: service.tenantId } : {}) },
    };
    const created = await this.call(opening, 'open 1:1 chat', (client) =>
      client.createConversation(parameters),
    );
    if (!created?.id)
      throw new DeliveryError('Teams direct message: the connector returned no conversation id', false);
    const reference: StoredReference = {
      channelId: 'msteams',
      serviceUrl: service.serviceUrl,
      conversation: {
        id: created.id,
        conversationType: 'personal',
        ...(service.tenantId ? { tenantId: service.tenantId } : {}),
      },
      user: { id: aad, aadObjectId: aad },
    };
    await saveReference(this.options.db, referenceKeys.person(aad), reference);
    return reference;
  }

  private async channel(conversationId: string): Promise<StoredReference> {
    const reference = await channelReference(this.options.db, channelOf(conversationId));
    if (!reference) {
      throw new DeliveryError(
        'Teams: no conversation reference for the channel (install the bot in the team, or set msteams.serviceUrl in the directory)',
        true,
      );
    }
    return reference;
  }

  private botId(): string {
    return this.options.appId ? `28:${this.options.appId}` : '28:oversight-local';
  }

  /** Runs `fn` with a Bot Connector client for the reference's service URL; failures become DeliveryErrors. */
  private async call<T>(
    reference: StoredReference,
    what: string,
    fn: (client: ConnectorClient) => Promise<T>,
  ): Promise<T> {
    const { cloud, appId } = this.options;
    if (this.options.loopbackOnly && !isLoopbackUrl(reference.serviceUrl)) {
      throw new DeliveryError(
        `Teams ${what}: without credentials only a loopback service URL is posted to (set TEAMS_APP_ID)`,
        true,
      );
    }
    let result: T | undefined;
    let failure: unknown;
    const conversationReference: ConversationReference = {
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      conversation: reference.conversation,
      agent: { id: this.botId() },
    };
    try {
      // Without an app id the SDK makes an unauthenticated client (an identity without `aud`).
      await cloud.continueConversation(appId ?? {}, conversationReference, async (context) => {
        try {
          result = await fn(context.turnState.get<ConnectorClient>(cloud.ConnectorClientKey));
        } catch (error) {
          // Caught here: the SDK would otherwise hand it to onTurnError and report success.
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw toDeliveryError(failure, what);
    return result as T;
  }
}
