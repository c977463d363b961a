import type { App } from '@slack/bolt';
import type { SlackDeps } from '../context.ts';
import { slashCommand } from '../ids.ts';
import { oversightCommand } from './oversight.ts';

/** Slash commands. */
export function register(app: App, deps: SlackDeps): void {
  app.command(slashCommand, oversightCommand(deps));
}
