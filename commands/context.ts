import type { Actor } from '../src/context.ts';
import type { Services } from '../src/services.ts';

/** What a command needs: the services and who is typing (resolved from the platform's identity). */
export type CommandContext = { services: Services; actor: Actor };
