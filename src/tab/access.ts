import type { Database } from '../../db/client.ts';
import { type StaffRow, staffByAadObjectId, staffByCode } from '../directory/index.ts';
import { caseByCrn } from '../oversight/index.ts';
import { auditDeactivated } from '../permissions.ts';

export type Viewer = { by: 'code'; staffCode: string } | { by: 'aad'; aadObjectId: string };

/**
 * Who may see a case's oversight record: active staff of the case's team, as the directory says
 * now (a link made yesterday does not outlive a move to another team). Unknown cases and other
 * teams' cases are refused alike, so the page does not reveal which CRNs exist.
 */
export async function viewerOfCase(db: Database, viewer: Viewer, crn: string): Promise<StaffRow | undefined> {
  const person =
    viewer.by === 'code'
      ? await staffByCode(db, viewer.staffCode)
      : await staffByAadObjectId(db, viewer.aadObjectId);
  if (person && !person.active) {
    // A leaver holding a link (or still signed in to Teams) is refused like anyone else, and audited.
    const surface = viewer.by === 'aad' ? 'msteams' : 'api';
    await auditDeactivated(db, { staffCode: person.code, surface }, 'record.view');
  }
  if (!person?.active) return undefined;
  const caseRow = await caseByCrn(db, crn.trim().toUpperCase());
  return caseRow && caseRow.teamCode === person.teamCode ? person : undefined;
}
