import type { TurnContext } from '@microsoft/agents-hosting';
import type { Database } from '../../../../db/client.ts';
import type { Config } from '../../../config.ts';
import { isAppError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import { notInDirectory } from '../../../permissions.ts';
import type { Services } from '../../../services.ts';
import { errorSummary } from '../delivery-errors.ts';
import type { TeamsIdentity } from '../identity.ts';

/** What a card action handler needs. */
export type BotDeps = {
  services: Services;
  db: Database;
  config: Pick<Config, 'publicUrl' | 'linkSigningSecret' | 'recordLinkTtlMs' | 'production'>;
  logger: Logger;
};

/** The `Action.Execute` action, as the SDK hands it to the handler (the whole action, not its data). */
export type ExecuteAction = { type?: string; verb?: string; data?: Record<string, unknown> };

export type ActionHandler = (
  deps: BotDeps,
  context: TurnContext,
  action: ExecuteAction,
  who: TeamsIdentity,
) => Promise<import('@microsoft/agents-hosting').AdaptiveCard | string>;

/** The request a button belongs to, from the action's data (never from the conversation). */
export function requestIdOf(action: ExecuteAction): string {
  const id = action.data?.requestId;
  return typeof id === 'string' ? id : '';
}

/** A failure as words for the person who pressed; unexpected ones are logged without content. */
export function refusalText(deps: BotDeps, error: unknown, who: TeamsIdentity): string {
  if (isAppError(error)) {
    if (error.code === 'forbidden' && !who.person) return notInDirectory;
    const details = error.fields.map((f) => f.message).filter((m) => m !== error.message);
    return [error.message, ...details].join(' ');
  }
  deps.logger.error({ err: errorSummary(error) }, 'teams card action failed');
  return 'Sorry, something went wrong on our side and I could not do that. Please try again in a minute.';
}
