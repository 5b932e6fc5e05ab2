import { createHash } from 'node:crypto';

/** Replay key of an assertion: issuer + assertion ID, hashed to a fixed-size primary key. */
export const assertionKey = (issuer: string, id: string) => createHash('sha256').update(`${issuer}\n${id}`).digest('hex');

/** Replay key of an IdP's LogoutRequest (decision 0030): issuer + request ID, apart from assertion IDs. */
export const logoutRequestKey = (issuer: string, id: string) => createHash('sha256').update(`LogoutRequest\n${issuer}\n${id}`).digest('hex');
