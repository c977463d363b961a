import { and, eq, inArray, notInArray, or } from 'drizzle-orm';
import { staff, teams } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import type { Ctx } from '../context.ts';
import { type FieldError, invalid } from '../errors.ts';
import { YamlFile } from '../yaml-file.ts';
import { type Handover, type HandoverTimer, handOverWork } from './deactivate.ts';
import type { StaffRow } from './queries.ts';
import { type DirectoryFile, directoryFileSchema } from './schemas.ts';

type Counts = { created: number; updated: number; unchanged: number };
export type DirectoryLoadResult = {
  teams: Counts;
  staff: Counts;
  changedTeams: string[];
  /** People this load deactivated (`active: false`, or absent with `prune`), and where their work went. */
  deactivated: Handover[];
  /** Active people absent from the file and left as they are (no `prune`). */
  absent: Array<{ code: string; name: string }>;
  /** Timer jobs of reassigned actions, to add after commit (reconcile adds any that are not). */
  timers: HandoverTimer[];
};

/** Parses and validates a directory YAML text; every problem is reported with its line, nothing is written. */
export function parseDirectory(name: string, text: string): { file: YamlFile; directory: DirectoryFile } {
  const file = new YamlFile(name, text);
  return { file, directory: file.parse(directoryFileSchema) };
}

/**
 * Upserts teams and staff from a directory file in one transaction. Idempotent: rows whose values
 * are unchanged are not touched, so loading the same file twice changes nothing the second time.
 */
export async function loadDirectory(
  ctx: Ctx,
  input: { name: string; text: string; prune?: boolean },
): Promise<DirectoryLoadResult> {
  const { file, directory } = parseDirectory(input.name, input.text);
  return writeDirectory(ctx, input.name, file, directory, input.prune ?? false).catch((error: unknown) => {
    // A clash the checks above could not see (two people swapping ids, a concurrent load): the
    // database's message would print SQL with its parameters, so it is told in words instead.
    if ((error as { cause?: { code?: unknown } }).cause?.code === '23505') {
      throw invalid(`${input.name} was refused; nothing was changed`, [
        { path: 'staff', message: 'a Slack user or Teams object id would be held by two people' },
      ]);
    }
    throw error;
  });
}

async function writeDirectory(
  ctx: Ctx,
  name: string,
  file: YamlFile,
  directory: DirectoryFile,
  prune: boolean,
): Promise<DirectoryLoadResult> {
  const input = { name, prune };
  return ctx.db.transaction(async (tx) => {
    const teamCodes = directory.teams.map((t) => t.code);
    const staffCodes = directory.staff.map((s) => s.code);
    const knownTeams = new Set([
      ...teamCodes,
      ...(await tx.select({ code: teams.code }).from(teams)).map((t) => t.code),
    ]);
    const existingStaff = staffCodes.length
      ? await tx.select().from(staff).where(inArray(staff.code, staffCodes))
      : [];
    const knownStaff = new Set([...staffCodes, ...existingStaff.map((s) => s.code)]);

    const errors: FieldError[] = [];
    directory.staff.forEach((s, i) => {
      if (!knownTeams.has(s.team)) {
        errors.push(file.fieldError(['staff', i, 'team'], `unknown team "${s.team}"; add it under teams`));
      }
    });
    directory.teams.forEach((t, i) => {
      if (t.lead && !knownStaff.has(t.lead)) {
        errors.push(file.fieldError(['teams', i, 'lead'], `unknown staff "${t.lead}"; add them under staff`));
      }
    });
    duplicates(teamCodes).forEach((i) => {
      errors.push(file.fieldError(['teams', i, 'code'], 'appears twice in this file'));
    });
    duplicates(staffCodes).forEach((i) => {
      errors.push(file.fieldError(['staff', i, 'code'], 'appears twice in this file'));
    });
    errors.push(...(await identityClashes(tx, file, directory)));
    if (errors.length > 0) throw invalid(`${input.name} was refused; nothing was changed`, errors);

    const result: DirectoryLoadResult = {
      teams: { created: 0, updated: 0, unchanged: 0 },
      staff: { created: 0, updated: 0, unchanged: 0 },
      changedTeams: [],
      deactivated: [],
      absent: [],
      timers: [],
    };
    const leavers: StaffRow[] = [];

    const existingTeams = teamCodes.length
      ? new Map((await tx.select().from(teams).where(inArray(teams.code, teamCodes))).map((t) => [t.code, t]))
      : new Map();
    // Teams first without their lead (the lead may be a new staff row), then staff, then leads.
    for (const t of directory.teams) {
      const row = {
        code: t.code,
        name: t.name,
        service: t.service,
        timezone: t.timezone,
        digestAt: t.digest.at,
        digestDays: t.digest.days,
        leadCode: t.lead ?? null,
        slackChannel: t.slack?.channel ?? null,
        msteamsConversationId: t.msteams?.conversationId ?? null,
        msteamsServiceUrl: t.msteams?.serviceUrl ?? null,
        msteamsTenantId: t.msteams?.tenantId ?? null,
      };
      const before = existingTeams.get(t.code);
      if (!before) {
        await tx.insert(teams).values({ ...row, leadCode: null });
        result.teams.created++;
      } else if (!sameFields(before, row)) {
        await tx
          .update(teams)
          .set({ ...row, leadCode: before.leadCode, updatedAt: ctx.now() })
          .where(inArray(teams.code, [t.code]));
        result.teams.updated++;
      } else {
        result.teams.unchanged++;
        continue;
      }
      result.changedTeams.push(t.code);
      await audit(tx, ctx.actor, {
        action: before ? 'directory.team.updated' : 'directory.team.created',
        subjectType: 'team',
        subjectId: t.code,
      });
    }

    const staffBefore = new Map(existingStaff.map((s) => [s.code, s]));
    for (const s of directory.staff) {
      const row = {
        code: s.code,
        name: s.name,
        role: s.role,
        teamCode: s.team,
        grade: s.grade ?? null,
        slackUserId: s.slack?.user ?? null,
        msteamsAadObjectId: s.msteams?.aadObjectId ?? null,
        active: s.active,
      };
      const before = staffBefore.get(s.code);
      if (!before) {
        await tx.insert(staff).values(row);
        result.staff.created++;
      } else if (!sameFields(before, row)) {
        await tx
          .update(staff)
          .set({ ...row, updatedAt: ctx.now() })
          .where(inArray(staff.code, [s.code]));
        result.staff.updated++;
      } else {
        result.staff.unchanged++;
        continue;
      }
      await audit(tx, ctx.actor, {
        action: before ? 'directory.staff.updated' : 'directory.staff.created',
        subjectType: 'staff',
        subjectId: s.code,
      });
      if (before?.active && !s.active) leavers.push({ ...before, ...row });
    }

    const absent = await tx
      .select()
      .from(staff)
      .where(and(eq(staff.active, true), staffCodes.length ? notInArray(staff.code, staffCodes) : undefined))
      .orderBy(staff.code);
    if (input.prune) {
      for (const person of absent) {
        await tx
          .update(staff)
          .set({ active: false, updatedAt: ctx.now() })
          .where(and(eq(staff.code, person.code), eq(staff.active, true)));
        result.staff.updated++;
        leavers.push({ ...person, active: false });
      }
    } else {
      result.absent = absent.map((p) => ({ code: p.code, name: p.name }));
    }
    for (const person of leavers) {
      await audit(tx, ctx.actor, {
        action: 'staff.deactivated',
        subjectType: 'staff',
        subjectId: person.code,
      });
    }

    for (const t of directory.teams) {
      const leadCode = t.lead ?? null;
      const before = existingTeams.get(t.code);
      if (before?.leadCode === leadCode || (!before && leadCode === null)) continue;
      await tx
        .update(teams)
        .set({ leadCode })
        .where(inArray(teams.code, [t.code]));
      if (before && !result.changedTeams.includes(t.code)) {
        result.teams.updated++;
        result.teams.unchanged--;
        result.changedTeams.push(t.code);
        await audit(tx, ctx.actor, {
          action: 'directory.team.updated',
          subjectType: 'team',
          subjectId: t.code,
        });
      }
    }
    // After the leads: a file that names a new lead as the old one leaves hands work to the new one.
    for (const person of leavers) {
      result.deactivated.push(await handOverWork(tx, ctx.actor, ctx.now(), person, result.timers));
    }
    return result;
  });
}

type Tx = Parameters<Parameters<Ctx['db']['transaction']>[0]>[0];

/**
 * A Slack user id or Teams object id names one person: held twice in the file, or by someone
 * else already in the directory, the database would refuse the load with its raw SQL. Each clash
 * is reported at the line of the second holder instead, before anything is written.
 */
async function identityClashes(tx: Tx, file: YamlFile, directory: DirectoryFile): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const ids = {
    slack: directory.staff.map((s) => s.slack?.user),
    msteams: directory.staff.map((s) => s.msteams?.aadObjectId),
  };
  const slackIds = ids.slack.filter((v): v is string => Boolean(v));
  const teamsIds = ids.msteams.filter((v): v is string => Boolean(v));
  const holders =
    slackIds.length + teamsIds.length > 0
      ? await tx
          .select({ code: staff.code, slack: staff.slackUserId, msteams: staff.msteamsAadObjectId })
          .from(staff)
          .where(
            or(
              slackIds.length ? inArray(staff.slackUserId, slackIds) : undefined,
              teamsIds.length ? inArray(staff.msteamsAadObjectId, teamsIds) : undefined,
            ),
          )
      : [];
  const inFile = new Set(directory.staff.map((s) => s.code));
  for (const [platform, path, label] of [
    ['slack', ['slack', 'user'], 'Slack user'],
    ['msteams', ['msteams', 'aadObjectId'], 'Teams object id'],
  ] as const) {
    const first = new Map<string, string>();
    ids[platform].forEach((id, i) => {
      if (!id) return;
      const code = directory.staff[i]!.code;
      const earlier = first.get(id);
      if (earlier !== undefined && earlier !== code) {
        errors.push(
          file.fieldError(['staff', i, ...path], `${label} ${id} is already given to ${earlier} above`),
        );
        return;
      }
      first.set(id, code);
      const holder = holders.find((h) => h[platform] === id && h.code !== code && !inFile.has(h.code));
      if (holder) {
        errors.push(
          file.fieldError(
            ['staff', i, ...path],
            `${label} ${id} already belongs to ${holder.code} in the directory`,
          ),
        );
      }
    });
  }
  return errors;
}

function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((v, i) => {
    if (seen.has(v)) return [i];
    seen.add(v);
    return [];
  });
}

function sameFields(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return Object.entries(after).every(([key, value]) => {
    const old = before[key];
    if (key === 'leadCode') return true;
    return JSON.stringify(old ?? null) === JSON.stringify(value ?? null);
  });
}
