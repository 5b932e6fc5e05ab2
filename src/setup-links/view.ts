/**
 * A setup link as the management API answers it (`toApiSetupLink`), as a zod schema: the OpenAPI document
 * describes it (decision 0032) and the tests validate real answers against it. Never carries a client secret.
 */
import * as z from 'zod';

const isoTime = z.string().meta({ format: 'date-time' });
const at = isoTime.nullable();

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
  progress: z.object({
    status: z.string(),
    openedAt: at,
    connectionCreatedAt: at.optional(),
    directoryCreatedAt: at.optional(),
    lastTest: z.object({ at: isoTime, ok: z.boolean(), reason: z.string().nullable() }).nullable(),
    firstScimRequestAt: at,
    completedAt: at,
  }),
}).meta({ title: 'SetupLink' });
