/**
 * A token alone fixes the scope: the hook finds the link by the token's hash, refuses dead or
 * other-service tokens, and puts the link and its actor on the request. Tenant and product always come
 * from the link, never from the request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { setupLinksRepo, type SetupLinkRow } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';
import type { SetupService } from './service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    setupLink?: SetupLinkRow;
    /** Where this link's API lives when it is not `/api/setup/<token>` (a portal session: `/api/portal`). */
    setupLinkBase?: string;
    /** Where its test sign-ins start when not under the link API (a portal session: `/portal/tests`, a capability URL). */
    setupTestStartBase?: string;
  }
}

const TOKEN = /^[A-Za-z0-9_-]{43,128}$/;

export async function findLiveLink(ctx: AppContext, token: string | undefined): Promise<SetupLinkRow> {
  if (!token || !TOKEN.test(token)) throw new GatehouseError('SETUP_LINK_UNKNOWN');
  const link = await setupLinksRepo.findByTokenHash(ctx.db, tokenHash(token));
  if (!link) throw new GatehouseError('SETUP_LINK_UNKNOWN');
  if (link.expires_at <= ctx.now()) throw new GatehouseError('SETUP_LINK_EXPIRED');
  return link;
}

/** onRequest hook: `service` undefined accepts either service (the link's own info endpoint). */
export function requireSetupLink(ctx: AppContext, service?: SetupService) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const link = await findLiveLink(ctx, (req.params as { token?: string }).token);
    if (service && link.service !== service) throw new GatehouseError('SETUP_LINK_WRONG_SERVICE', `It configures ${link.service === 'sso' ? 'single sign-on' : 'directory sync'}.`);
    req.setupLink = link;
    req.caller = { type: 'setup_link', id: link.id, label: `Setup link${link.name ? ` "${link.name}"` : ''} (${link.tenant} / ${link.product})`, link: { tenant: link.tenant, product: link.product, service: link.service }, ip: req.ip };
  };
}

/** The path of the link API this request came through (test sign-in URLs are built on it). */
export const linkApiBase = (req: FastifyRequest): string => req.setupLinkBase ?? `/api/setup/${encodeURIComponent((req.params as { token?: string }).token ?? '')}`;

/** The URL a test sign-in of this request's link starts at (opened in a new tab). */
export const testStartPath = (req: FastifyRequest, testId: string): string => `${req.setupTestStartBase ?? `${linkApiBase(req)}/tests`}/${testId}/start`;
