/**
 * The management API's answers for directories and the pull API, as zod schemas: the OpenAPI document describes
 * them (decision 0032) and the tests validate real answers against them. `toApiDirectory` and `pull.ts` build them.
 */
import * as z from 'zod';
import { DIRECTORY_TYPES } from './directories.ts';

const isoTime = z.string().meta({ format: 'date-time' });

export const DirectoryView = z.object({
  id: z.string(),
  name: z.string(),
  tenant: z.string(),
  product: z.string(),
  type: z.enum(DIRECTORY_TYPES),
  log_webhook_events: z.boolean(),
  deactivated: z.boolean(),
  scim: z.object({
    path: z.string(),
    endpoint: z.string().describe('Absolute SCIM base URL under EXTERNAL_URL.'),
    secret: z.string().optional().describe('The SCIM bearer secret: only when just created or rotated (or on reads under JACKSON_COMPAT).'),
  }),
  webhook: z.object({ endpoint: z.string(), secret: z.string().optional().describe('Only on reads under JACKSON_COMPAT.') }),
  created_at: isoTime,
  updated_at: isoTime,
}).meta({ title: 'Directory' });

/** A user as the pull API and webhook events carry it; `raw` is the SCIM resource. */
export const PulledUser = z.looseObject({
  id: z.string(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  active: z.boolean(),
  raw: z.record(z.string(), z.unknown()),
  directoryId: z.string().optional(),
}).meta({ title: 'DirectoryUser' });

export const PulledGroup = z.looseObject({ id: z.string(), name: z.string(), raw: z.record(z.string(), z.unknown()) }).meta({ title: 'DirectoryGroup' });

/** A page of the pull API: `pageToken` continues it (null on the last page). */
export const pulledPage = (item: z.ZodType) => z.object({ data: z.array(item), pageToken: z.string().nullable() });
