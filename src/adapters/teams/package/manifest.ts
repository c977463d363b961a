import { usage } from '../../../../commands/help.ts';
import type { CommandName } from '../../../../commands/parse.ts';

export type ManifestOptions = {
  /** The bot's Entra app id; also the Teams app's id. */
  appId: string;
  /** Where the service is reachable (https): the tab, the links, the valid domain. */
  publicUrl: string;
  version: string;
  developerName: string;
};

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The Teams app manifest: the bot (in teams, group chats and personal chat, with its commands),
 * the case record page as a personal tab, and SSO for the tab (`webApplicationInfo`).
 */
export function teamsManifest(options: ManifestOptions): Record<string, unknown> {
  const base = options.publicUrl.replace(/\/$/, '');
  const host = new URL(base).host;
  const commands = (Object.keys(usage) as CommandName[]).slice(0, 10).map((name) => ({
    title: name,
    description: clip(`${usage[name].syntax}: ${usage[name].purpose}`, 128),
  }));
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: options.version,
    id: options.appId,
    developer: {
      name: options.developerName,
      websiteUrl: base,
      privacyUrl: base,
      termsOfUseUrl: base,
    },
    name: { short: 'Oversight', full: 'Oversight: management oversight of risk of harm' },
    description: {
      short: 'Management oversight of risk of harm and vulnerability, in Teams',
      full: clip(
        'Turns case events into oversight notices for managers, records their oversight decision and why, ' +
          'and chases every remedial action until a manager confirms it was done. Built on HMI Probation\u2019s ' +
          'key principles for the effective management oversight of risk of harm and safeguarding.',
        4000,
      ),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1D4F91',
    bots: [
      {
        botId: options.appId,
        scopes: ['team', 'groupChat', 'personal'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['team', 'groupChat', 'personal'], commands }],
      },
    ],
    staticTabs: [
      {
        entityId: 'case-record',
        name: 'Case record',
        contentUrl: `${base}/tab/record`,
        websiteUrl: `${base}/tab/record`,
        scopes: ['personal'],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
    webApplicationInfo: { id: options.appId, resource: `api://${host}/${options.appId}` },
  };
}
