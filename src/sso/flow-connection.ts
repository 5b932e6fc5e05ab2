/**
 * The connection a sign-in's answer is checked against: the version its flow started on (decision 0020). A flow
 * that started before a promote or a roll back sent its request to the IdP of the version live then, so its
 * answer is validated with that version's settings, kept in connection_versions; the flow's own lifetime is the
 * grace period. Flows that start afterwards use the serving row. Read from the database on every answer, so
 * every instance agrees the moment the promote commits.
 */
import type { AppContext } from '../context.ts';
import { connectionsRepo, connectionVersionsRepo, type ConnectionRow, type LoginFlowRow } from '../storage/index.ts';
import { withVersion } from './connection-drafts.ts';

/**
 * Undefined when the connection was deleted, or the version is gone or was discarded (a draft under test).
 * `serving`: the connection's row when the caller read it with the flow (the SAML ACS, decision 0042).
 */
export async function connectionForFlow(ctx: AppContext, flow: LoginFlowRow, serving?: { row: ConnectionRow | undefined }): Promise<ConnectionRow | undefined> {
  const row = serving ? serving.row : await connectionsRepo.findById(ctx.db, flow.connection_id);
  if (!row || flow.connection_version === null || flow.connection_version === row.version) return row;
  const version = await connectionVersionsRepo.find(ctx.db, row.id, flow.connection_version);
  return version && version.status !== 'discarded' ? withVersion(row, version) : undefined;
}
