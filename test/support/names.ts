import { randomBytes } from 'node:crypto';

export const templateName = (hash: string) => `oversight_tpl_${hash}`;
export const uniqueName = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;
