/**
 * A setup link as the management API answers it (`toApiSetupLink`), as a zod schema: the OpenAPI document
 * describes it (decision 0032) and the tests validate real answers against it. Never carries a client secret.
 */
import * as z from 'zod';
import { DirectoryView } from '../directory-sync/directory-view.ts';
import { SETUP_STATUSES } from './progress.ts';

const isoTime = z.string().meta({ format: 'date-time' });
const at = isoTime.nullable();

/** Where the customer stands (decision 0026): the status the milestones add up to, and when each was reached. */
export const SetupProgressView = z.object({
  status: z.enum(SETUP_STATUSES),
  openedAt: at,
  connectionCreatedAt: at.optional().describe('SSO links.'),
  directoryCreatedAt: at.optional().describe('Directory Sync links.'),
  lastTest: z.object({ at: isoTime, ok: z.boolean(), reason: z.string().nullable() }).nullable(),
  firstScimRequestAt: at,
  completedAt: at,
}).meta({ title: 'SetupProgress' });

export const SetupLinkView = z.object({
  setupID: z.string(),
  service: z.enum(['sso', 'dsync']),
  tenant: z.string(),
  product: z.string(),
  name: z.string(),
  description: z.string(),
  url: z.string().describe('EXTERNAL_URL/setup/<token>; the token is at least 43 characters.'),
  validTill: z.number().int().describe('Expiry, Unix milliseconds.'),
  expired: z.boolean(),
  intent: z.enum(['setup', 'certificate_renewal']),
  clientID: z.string().nullable().describe('The one connection a certificate-renewal link reaches.'),
  defaultRedirectUrl: z.string().optional().describe('SSO links.'),
  redirectUrl: z.array(z.string()).optional().describe('SSO links.'),
  webhook_url: z.string().nullable().optional().describe('Directory Sync links.'),
  webhookSecretSet: z.boolean().optional().describe('Directory Sync links: whether a webhook secret is set (never the secret).'),
  createdAt: isoTime,
  updatedAt: isoTime,
  progress: SetupProgressView,
}).meta({ title: 'SetupLink' });

/** Whether the customer's IdP has started provisioning, and whether its changes reach the vendor's app. */
export const DirectoryActivityView = z.object({
  users: z.number().int(),
  groups: z.number().int(),
  lastActivityAt: at,
  provisioningStarted: z.boolean(),
  deliveryFailing: z.boolean().describe('The vendor\'s app is not receiving this directory\'s changes (whom to ask, not why).'),
}).meta({ title: 'DirectoryActivity' });

/** A directory as a setup link shows it (`setup-links/dsync.ts`): the SCIM side only, never the vendor's webhook. */
export const LinkDirectoryView = DirectoryView.omit({ webhook: true, log_webhook_events: true }).extend({
  status: DirectoryActivityView.optional().describe('On reads; not on create or rotate.'),
}).meta({ title: 'LinkDirectory' });
