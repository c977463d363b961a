import type { Actor } from './context.ts';
import { raiseRequest, type TriggerInput } from './oversight/raise.ts';
import { type Deps, transact } from './unit-of-work.ts';

/**
 * Every surface (HTTP, Slack, Teams, console, CLI, jobs) calls the domain through these, so
 * permission checks, compare-and-set and audit rows are the same whichever way a person comes in.
 */
export function createServices(deps: Deps) {
  return {
    deps,
    raise: (actor: Actor, crn: string, trigger: TriggerInput) =>
      transact(deps, actor, (ctx) => raiseRequest(ctx, crn, trigger)),
  };
}

export type Services = ReturnType<typeof createServices>;
