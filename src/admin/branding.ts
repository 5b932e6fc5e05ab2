/**
 * Branding: product name, logo URL and primary colour, stored in the database and shown on the portal, the
 * setup-link pages and the server-rendered pages. Each instance caches it for a few seconds; a request that
 * may answer with a page carries it as `req.branding`, which page renderers are given as an argument.
 */
import * as z from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';
import { parseInput } from '../input/parse-input.ts';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';
import { DEFAULT_BRANDING, type Branding } from './branding-store.ts';
import { requireAdminRole, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';

export const BrandingInput = z.object({
  productName: z.string().trim().min(1, 'must not be empty').max(64).optional(),
  logoUrl: z.string().max(2048).refine((u) => isAbsoluteHttpUrl(u) || u.startsWith('/'), 'must be an absolute http(s) URL or a path on this server').nullable().optional(),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #3b3b98').optional(),
});

/** The branding now (cached by this instance for a few seconds: src/admin/branding-store.ts). */
export const currentBranding = (ctx: Pick<AppContext, 'branding'>): Promise<Branding> => ctx.branding.current();

/** Admins and owners change the branding; audited. */
export async function updateBranding(ctx: AppContext, caller: Caller, body: unknown): Promise<Branding> {
  requireAdminRole(caller, 'admin', 'change the branding');
  const input = parseInput(BrandingInput, body);
  const before = await currentBranding(ctx);
  const after: Branding = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  await ctx.branding.save(after, ctx.now());
  await auditChange(ctx, caller, { action: 'admin.branding.updated', target: { type: 'settings', id: 'branding' }, before, after });
  return after;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Loaded by the branding preHandler for requests that may answer with a page; read it with brandingOf(). */
    branding: Branding | null;
  }
}

/** The branding a page answering this request shows (the defaults when none was loaded, e.g. a body refused before the handler). */
export const brandingOf = (req: FastifyRequest): Branding => req.branding ?? DEFAULT_BRANDING;

/** A preHandler that loads the branding (cached) onto the request. Never fails a request. */
export function registerBranding(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('branding', null);
  // Every request, since any may end in an error page; a cached read (one database read per instance every 5 s).
  // Not SCIM's: it answers SCIM JSON only, errors included, and an IdP's push pays for every hook (decision 0044).
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.url.startsWith('/api/scim/')) return done();
    const cached = ctx.branding.cached();
    if (cached) {
      req.branding = cached;
      return done();
    }
    currentBranding(ctx).then(
      (b) => {
        req.branding = b;
        done();
      },
      () => done(),
    );
  });
}

/** The stylesheet that applies the primary colour to server-rendered pages (the CSP allows no inline styles). */
export const brandingCss = (b: Branding) =>
  `.brand{color:${b.primaryColor}}button,.button{background:${b.primaryColor}}ul.choices a:hover,ul.choices a:focus{border-color:${b.primaryColor}}.logo{max-height:40px;max-width:200px;display:block;margin:0 0 .6rem}\n`;
