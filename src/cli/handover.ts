import type { Handover } from '../directory/index.ts';
import type { Io } from './runtime.ts';

/** Says, by name, who was deactivated and where each piece of their open work went. */
export function printHandover(io: Io, h: Handover): void {
  io.out(`${h.name} (${h.code}, team ${h.teamCode}) is deactivated: refused everywhere, sent nothing.`);
  const byLead = new Map<string, string[]>();
  for (const r of h.reassigned) byLead.set(r.toName, [...(byLead.get(r.toName) ?? []), r.ref]);
  for (const [lead, refs] of byLead) {
    io.out(
      `  ${count(refs.length, 'open action')} handed over to ${lead}, the team lead: ${refs.join(', ')}`,
    );
  }
  const leading = h.kept.filter((k) => k.why === 'is the team lead').map((k) => k.ref);
  if (leading.length > 0) {
    io.out(
      `  ${count(leading.length, 'open action')} left with them, because they are the team lead: ${leading.join(', ')}. Name a new lead in the directory and reassign them.`,
    );
  }
  const noLead = h.kept.filter((k) => k.why === 'no active team lead').map((k) => k.ref);
  if (noLead.length > 0) {
    io.out(
      `  ${count(noLead.length, 'open action')} left with them, because their team has no active lead: ${noLead.join(', ')}. Name a lead in the directory.`,
    );
  }
  const toLead = h.confirmations.filter((c) => c.to).map((c) => c.ref);
  if (toLead.length > 0) {
    io.out(`  confirmation reminders for ${toLead.join(', ')} now go to the team lead`);
  }
  const toManagers = h.confirmations.filter((c) => !c.to).map((c) => c.ref);
  if (toManagers.length > 0) {
    io.out(
      `  confirmation reminders for ${toManagers.join(', ')} now go to the team's managers (no active lead)`,
    );
  }
  if (h.reassigned.length + h.kept.length + h.confirmations.length === 0)
    io.out('  no open work to hand over');
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
