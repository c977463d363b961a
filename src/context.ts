import type { Database } from '../db/client.ts';
import type { Surface } from '../db/schema/index.ts';

/** Who is acting, and through which surface. `staffCode` is null for the system itself and for integrations. */
export type Actor = { staffCode: string | null; surface: Surface };

export const systemActor: Actor = { staffCode: null, surface: 'system' };

/** What every service receives: the actor, the database (or transaction) and the clock. */
export type Ctx = { db: Database; actor: Actor; now: () => Date };

export const cliActor: Actor = { staffCode: null, surface: 'cli' };
