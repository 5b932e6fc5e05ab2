/**
 * Handlers for reconciliation and group-to-role mapping (issue 16 §3–4), shared by the management API, the admin
 * API and the setup-link API: the services take the request's Caller (a setup link fixes its own tenant and
 * product) and check and audit it; these only adapt shapes.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { reconciliation, reconciliationCsvExport } from '../../directory-sync/reconciliation.ts';
import { getRoleMappings, previewRoleMappings, saveRoleMappings } from '../../directory-sync/role-mappings.ts';
import { callerOf } from '../caller.ts';
import { body, query, type Handler } from '../route-table.ts';

const wantsCsv = (req: FastifyRequest) => query(req).format === 'csv' || /^text\/csv\b/i.test(String(req.headers.accept ?? ''));

export function roleHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    reconciliation: h(async (req, reply) => {
      if (!wantsCsv(req)) return { data: await reconciliation(ctx, callerOf(req), query(req)) };
      const { filename, csv } = await reconciliationCsvExport(ctx, callerOf(req), query(req));
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
    }),
    getRoleMappings: h(async (req) => ({ data: await getRoleMappings(ctx, callerOf(req), query(req)) })),
    saveRoleMappings: h(async (req) => ({ data: await saveRoleMappings(ctx, callerOf(req), body(req)) })),
    previewRoleMappings: h(async (req) => ({ data: await previewRoleMappings(ctx, callerOf(req), body(req)) })),
  };
}
