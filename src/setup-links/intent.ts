/**
 * What a setup link is for (decision 0022): `setup` (the default: the whole wizard over the tenant+product's
 * connections) or `certificate_renewal` of one connection, which the vendor sends in answer to a
 * `connection.certificate_expiring` event. A renewal link reaches that one connection only: the IT admin adds the
 * IdP's new certificate or new metadata (a draft), tests and promotes it; creating or deleting connections, or
 * touching another one, is refused. The intent lives in the link's defaults, so it needs no column.
 */
import { GatehouseError } from '../errors.ts';
import type { SetupLinkRow } from '../storage/index.ts';

export const LINK_INTENTS = ['setup', 'certificate_renewal'] as const;
export type LinkIntent = (typeof LINK_INTENTS)[number];

/** The intent part of an SSO link's defaults. */
export interface IntentDefaults { intent?: LinkIntent; clientID?: string }

export function intentOf(link: Pick<SetupLinkRow, 'defaults'>): { intent: LinkIntent; clientID: string | null } {
  const d = JSON.parse(link.defaults) as IntentDefaults;
  return d.intent === 'certificate_renewal' && d.clientID ? { intent: 'certificate_renewal', clientID: d.clientID } : { intent: 'setup', clientID: null };
}

/** The one connection a renewal link may reach, or null for a full link. */
export const renewalConnectionOf = (link: Pick<SetupLinkRow, 'defaults'>) => intentOf(link).clientID;

/** Refuses what a renewal link may not do (create or delete connections). */
export function requireFullLink(link: Pick<SetupLinkRow, 'defaults'>): void {
  if (renewalConnectionOf(link)) throw new GatehouseError('SETUP_LINK_RENEWAL_ONLY');
}
