import type { Level, Service } from '../../db/schema/index.ts';
import type { Dimension } from './case-state.ts';

/**
 * Words of the reasons a manager reads. Only values from closed sets (levels, grades, the policy's
 * own lists) are ever put in a reason: an event's free text never reaches a notice.
 */

export const serviceLabel = (service: Service): string => (service === 'youth' ? 'Youth case' : 'Adult case');

const levelLabels: Record<Level, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very High',
};
export const levelLabel = (level: Level): string => levelLabels[level];

export const dimensionLabel = (dim: Dimension): string => (dim === 'rosh' ? 'RoSH' : 'vulnerability');

const acronyms: Record<string, string> = { mappa: 'MAPPA', mash: 'MASH' };
/** `child_protection` → `child protection`, `mappa` → `MAPPA`. */
export function codeLabel(code: string): string {
  return code
    .split('_')
    .map((word) => acronyms[word] ?? word)
    .join(' ');
}

/** `a violence offence`, `an arson offence`. */
export const withArticle = (words: string): string => `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;
