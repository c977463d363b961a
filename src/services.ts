import { cancelAction, confirmAction, markDone, reopenAction } from './actions/index.ts';
import { listOwnActions } from './actions/list.ts';
import { CaseCache, type CaseEventRequest, ingestCaseEvents } from './cases/index.ts';
import type { ReplyView } from './chat/views.ts';
import type { Actor } from './context.ts';
import { digestFor } from './digests/index.ts';
import { buildCaseRecord } from './export/index.ts';
import {
  acknowledge,
  buildNoticeView,
  escalate,
  type RecordInput,
  type RecordOptions,
  raiseRequest,
  recordOversight,
  refer,
  type TriggerInput,
} from './oversight/index.ts';
import { caseStatus } from './oversight/status.ts';
import { type Deps, transact } from './unit-of-work.ts';

/**
 * Every surface (HTTP, Slack, Teams, console, CLI, jobs) calls the domain through these, so
 * permission checks, compare-and-set and audit rows are the same whichever way a person comes in.
 */
export function createServices(deps: Deps) {
  const caseCache = new CaseCache();
  return {
    deps,
    ingestCaseEvents: (actor: Actor, request: CaseEventRequest) =>
      ingestCaseEvents(deps, actor, request, caseCache),
    raise: (actor: Actor, crn: string, trigger: TriggerInput) =>
      transact(deps, actor, (ctx) => raiseRequest(ctx, crn, trigger)),
    refer: (actor: Actor, input: { crn: string; reason?: string }) => refer(deps, actor, input),
    acknowledge: (actor: Actor, input: { requestId: string }) => acknowledge(deps, actor, input),
    record: (actor: Actor, input: RecordInput, options?: RecordOptions) =>
      recordOversight(deps, actor, input, options),
    escalate: (actor: Actor, input: { requestId: string }) => escalate(deps, actor, input),
    done: (actor: Actor, input: { ref: string; evidence?: string }) => markDone(deps, actor, input),
    confirm: (actor: Actor, input: { ref: string }) => confirmAction(deps, actor, input),
    reopen: (actor: Actor, input: { ref: string; reason?: string }) => reopenAction(deps, actor, input),
    cancel: (actor: Actor, input: { ref: string; reason?: string }) => cancelAction(deps, actor, input),
    noticeView: (requestId: string) => buildNoticeView(deps.db, requestId, deps.now()),
    caseRecord: (crn: string) => buildCaseRecord(deps.db, crn),
    status: (actor: Actor, input: { crn: string }) => caseStatus(deps, actor, input),
    ownActions: (actor: Actor) => listOwnActions(deps, actor),
    /** `/oversight digest`: the caller's team digest now (a ReplyView that also carries `title`). */
    digestFor: (actor: Actor): Promise<ReplyView & { title: string }> => digestFor(deps, actor),
  };
}

export type Services = ReturnType<typeof createServices>;
