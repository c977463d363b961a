import { buttonPressBody, postToSlackEndpoint, slashCommandBody } from '../test/support/slack-sign.ts';
import { cardAction, message } from '../test/support/teams-activity.ts';

/** How chat inputs fared: answered by the service, or lost because it could not be reached. */
export type ChatStats = { slack: number; teams: number; unreachable: number };

/** Counters at zero. */
export function newChatStats(): ChatStats {
  return { slack: 0, teams: 0, unreachable: 0 };
}

/**
 * People in Slack and Teams, as the platforms deliver what they do: signed Slack commands and
 * button presses at POST /slack/events (answers go to the fake's response_url), Teams activities
 * at POST /api/messages (replies go to the fake connector behind `teamsServiceUrl`).
 */
export class Chat {
  private n = 0;

  constructor(
    private readonly webUrl: () => string,
    private readonly slackSecret: string,
    private readonly responseUrl: (id: string) => string,
    private readonly teamsServiceUrl: string,
    readonly stats: ChatStats,
  ) {}

  slackPress(userId: string, actionId: string, requestId: string): Promise<number> {
    const body = buttonPressBody({ userId, actionId, value: requestId, responseUrl: this.nextResponseUrl() });
    return this.slack(body);
  }

  slackCommand(userId: string, text: string): Promise<number> {
    return this.slack(slashCommandBody({ userId, text, responseUrl: this.nextResponseUrl() }));
  }

  teamsPress(aadObjectId: string, verb: string, data: Record<string, unknown>): Promise<number> {
    return this.teams(cardAction(this.teamsServiceUrl, { aadObjectId }, verb, data));
  }

  teamsText(aadObjectId: string, text: string): Promise<number> {
    return this.teams(message(this.teamsServiceUrl, { aadObjectId }, text));
  }

  private nextResponseUrl(): string {
    this.n += 1;
    return this.responseUrl(`soak-${this.n}`);
  }

  private async slack(body: string): Promise<number> {
    try {
      const answer = await postToSlackEndpoint(`${this.webUrl()}/slack/events`, this.slackSecret, body);
      this.stats.slack += 1;
      return answer.status;
    } catch {
      this.stats.unreachable += 1;
      return 0;
    }
  }

  private async teams(activity: unknown): Promise<number> {
    try {
      const res = await fetch(`${this.webUrl()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(15_000),
      });
      await res.text();
      this.stats.teams += 1;
      return res.status;
    } catch {
      this.stats.unreachable += 1;
      return 0;
    }
  }
}
