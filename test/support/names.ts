import { randomBytes } from 'node:crypto';

export const templateName = (hash: string) => `oversight_tpl_${hash}`;
export const uniqueName = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

/** A test database's name carries its creation time, so leftovers can be told from live ones. */
export const testDatabaseName = () =>
  `oversight_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;

/** The creation time (unix seconds) encoded in a test database's name, if any. */
export const createdAt = (name: string): number | undefined => {
  const match = /^oversight_t_(\d+)_/.exec(name);
  return match ? Number(match[1]) : undefined;
};
