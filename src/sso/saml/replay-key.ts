import { createHash } from 'node:crypto';

/** Replay key of an assertion: issuer + assertion ID, hashed to a fixed-size primary key. */
export const assertionKey = (issuer: string, id: string) => createHash('sha256').update(`${issuer}\n${id}`).digest('hex');
