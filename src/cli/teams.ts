import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { teamsAppPackage } from '../adapters/teams/package/index.ts';
import { config, ExitError, type Io } from './runtime.ts';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function packageVersion(): string {
  const file = resolve(import.meta.dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function registerTeams(program: Command, io: Io): void {
  const teams = program.command('teams').description('Microsoft Teams');
  teams
    .command('package')
    .description(
      'write the Teams app package (manifest and icons, zipped) for the bot, its commands and the tab',
    )
    .option('-o, --out <file>', 'where to write the zip', 'oversight-teams.zip')
    .option('--app-id <id>', "the bot's Entra app id (default: TEAMS_APP_ID)")
    .option('--developer <name>', 'the publisher shown in Teams', 'Oversight')
    .action((options: { out: string; appId?: string; developer: string }) => {
      const cfg = config();
      const appId = options.appId ?? cfg.teams?.appId;
      if (!appId) throw new ExitError("set TEAMS_APP_ID (the bot's Entra app id) or pass --app-id");
      if (!guid.test(appId))
        throw new ExitError(`the app id must be a GUID (Entra application id), got ${appId}`);
      if (!cfg.publicUrl.startsWith('https://')) {
        throw new ExitError(
          `set PUBLIC_URL to the service's https address: Teams only loads https (got ${cfg.publicUrl})`,
        );
      }
      const zip = teamsAppPackage({
        appId,
        publicUrl: cfg.publicUrl,
        version: packageVersion(),
        developerName: options.developer,
      });
      writeFileSync(options.out, zip);
      io.out(
        `wrote ${options.out}: manifest.json, color.png, outline.png (bot ${appId}, tab ${cfg.publicUrl}/tab/record)`,
      );
    });
}
