import type { ReplyView } from '../src/chat/views.ts';
import type { Actor } from '../src/context.ts';
import { isManagerOf, teamStaff } from '../src/directory/index.ts';
import { conflict, formatPath, isAppError } from '../src/errors.ts';
import { recordInput } from '../src/oversight/index.ts';
import type { RecordOptions } from '../src/oversight/record.ts';
import { actingStaff, managerOnly, refuse } from '../src/permissions.ts';
import type { Services } from '../src/services.ts';
import {
  type FormAnswers,
  placeErrors,
  type RecordFormModel,
  readRecordAnswers,
  recordFormModel,
  toFormPath,
} from './record-form.ts';

/**
 * *Record oversight*, on every surface: open the form, then submit it. Someone who may not record
 * is refused when they open the form (and the attempt audited) rather than after filling it in;
 * the record service checks again on submission, which is what actually protects the record.
 */
export async function openRecordForm(
  services: Services,
  actor: Actor,
  requestId: string,
): Promise<RecordFormModel> {
  const db = services.deps.db;
  const notice = await services.noticeView(requestId);
  const person = await actingStaff(db, actor);
  if (!isManagerOf(person, notice.teamCode)) {
    await refuse(
      db,
      actor,
      { action: 'record.create', subjectType: 'request', subjectId: notice.requestId, crn: notice.crn },
      managerOnly('record oversight'),
    );
  }
  if (notice.status === 'closed') {
    throw conflict(
      `The notice for ${notice.crn} is closed. To raise new concerns about the case, refer it again.`,
    );
  }
  const owners = await teamStaff(db, notice.teamCode);
  const record = await services.caseRecord(notice.crn);
  const latest = record.requests.find((r) => r.id === notice.requestId)?.records.at(-1);
  return recordFormModel({
    requestId: notice.requestId,
    crn: notice.crn,
    teamCode: notice.teamCode,
    owners: owners.map((s) => ({ code: s.code, name: s.name })),
    supersedes: latest
      ? { id: latest.id, by: owners.find((o) => o.code === latest.by)?.name ?? latest.by }
      : null,
  });
}

export type SubmitOutcome =
  | { ok: true; requestId: string; reply: ReplyView }
  | {
      ok: false;
      model: RecordFormModel;
      /** What to show above the form. */
      message: string;
      /** Each error on the field it belongs to, by field path. */
      errors: Record<string, string>;
      /** Errors on nothing the form shows. */
      unplaced: string[];
    };

const notSaved = 'The oversight record was not saved: please correct these fields';

/**
 * The form's answers (by field path) are checked field by field, then the record service stores
 * the record in one transaction. Invalid input comes back as errors on their fields; nothing is
 * stored. `model` lets a caller submit the very form it showed (tests add fields to it).
 */
export async function submitRecord(
  services: Services,
  actor: Actor,
  requestId: string,
  answers: FormAnswers,
  model?: RecordFormModel,
  options: RecordOptions = {},
): Promise<SubmitOutcome> {
  const form = model ?? (await openRecordForm(services, actor, requestId));
  const read = readRecordAnswers(form, answers);
  if (read.errors.length > 0) {
    // Nothing goes to the record service yet; its checks of the record (which store nothing) are
    // still run here, so one answer shows every error at once.
    const checked = recordInput.safeParse(read.input);
    const mine = new Set(read.errors.map((e) => e.path));
    const more = checked.success
      ? []
      : checked.error.issues
          .map((i) => ({ path: formatPath(i.path), message: i.message }))
          .filter((e) => !mine.has(toFormPath(e.path, read.rows) ?? e.path));
    const placed = placeErrors(form, [...read.errors, ...more], read.rows);
    return { ok: false, model: form, message: notSaved, errors: placed.byPath, unplaced: placed.unplaced };
  }
  try {
    const result = await services.record(actor, read.input, options);
    const names = new Map(
      form.fields
        .flatMap((f) => (f.kind === 'staff' ? (f.options ?? []) : []))
        .map((o) => [o.value, o.label]),
    );
    return {
      ok: true,
      requestId: result.requestId,
      reply: {
        ok: true,
        text: `Oversight of ${result.crn} is recorded.`,
        lines: [
          ...result.actions.map(
            (a) =>
              `${a.ref}: ${names.get(a.owner) ?? a.owner}, due ${a.due}${a.overdue ? ' (already overdue)' : ''}`,
          ),
          ...(result.status === 'closed' ? ['No actions are open, so the notice is closed.'] : []),
        ],
      },
    };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid_input') throw error;
    const placed = placeErrors(form, error.fields, read.rows);
    return {
      ok: false,
      model: form,
      message: error.message,
      errors: placed.byPath,
      unplaced: placed.unplaced,
    };
  }
}
