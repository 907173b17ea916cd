import { randomBytes } from 'node:crypto';

/** Short, prefixed, unguessable ids: `job_4f9c2a7d1e0b`. The prefix says what the id names. */
export const newId = (prefix: 'agt' | 'pay' | 'job' | 'ins' | 'grp'): string => `${prefix}_${randomBytes(6).toString('hex')}`;
