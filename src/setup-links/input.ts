/** Inputs for creating setup links (Jackson field names; both webhook spellings accepted). */
import * as z from 'zod';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';
import { LINK_INTENTS } from './intent.ts';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1')]);
const url = z.string().refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');
const urls = z.union([z.array(url), z.string()]).transform((v, ctx) => {
  if (Array.isArray(v)) return v;
  const s = v.trim();
  if (!s) return [];
  if (!s.startsWith('[')) return isAbsoluteHttpUrl(s) ? [s] : (ctx.addIssue({ code: 'custom', message: 'must be an array of absolute URLs' }), z.NEVER);
  try {
    const arr = JSON.parse(s);
    if (Array.isArray(arr) && arr.every((x) => typeof x === 'string' && isAbsoluteHttpUrl(x))) return arr as string[];
  } catch {
    /* fall through */
  }
  ctx.addIssue({ code: 'custom', message: 'must be an array of absolute URLs' });
  return z.NEVER;
});

const common = {
  tenant: z.string().min(1, 'is required').max(191),
  product: z.string().min(1, 'is required').max(191),
  name: z.string().max(256).optional(),
  description: z.string().max(2048).optional(),
  expiryDays: z.coerce.number().positive('must be more than 0').max(365, 'must be at most 365').optional(),
  regenerate: bool.optional(),
};

export const CreateSsoSetupLinkInput = z.object({
  ...common,
  defaultRedirectUrl: url.optional(),
  redirectUrl: urls.optional(),
  intent: z.enum(LINK_INTENTS, { message: `must be one of ${LINK_INTENTS.join(', ')}` }).optional(),
  clientID: z.string().min(1, 'is required').max(191).optional(),
});
export const CreateDsyncSetupLinkInput = z.object({
  ...common,
  intent: z.enum(['setup'], { message: 'must be setup for a Directory Sync link (certificate_renewal is for SSO links)' }).optional(),
  webhook_url: url.optional(),
  webhook_secret: z.string().max(512).optional(),
  webhookUrl: url.optional(),
  webhookSecret: z.string().max(512).optional(),
});
