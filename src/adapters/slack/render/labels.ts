import type { Level, Service } from '../../../../db/schema/index.ts';

/** Words people read for the domain's codes, shared by every Slack view. */

const levelWords: Record<Level, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};

export const levelWord = (level: Level | null): string => (level ? levelWords[level] : 'not assessed');

export const serviceWord = (service: Service): string => (service === 'youth' ? 'Youth' : 'Adult');

/** `police` → `Police`, `child_protection` → `Child protection`. */
export function categoryWord(code: string): string {
  const words = code.replace(/[_.]/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : code;
}
