/**
 * What Gatehouse already holds of Jackson's records (read through the repositories), for the planner: the
 * connections, products, directories, users, groups, memberships and setup links with the same ids, the active
 * SP certificates, and which SAML connections exist.
 */
import type { AppContext } from '../context.ts';
import { connectionsRepo, directoriesRepo, directoryGroupsRepo, directoryUsersRepo, productsRepo, setupLinksRepo, signingKeysRepo } from '../storage/index.ts';
import type { GatehouseState } from './plan.ts';
import type { JacksonRecords } from './records.ts';

const byDirectory = <T extends { directoryId: string }>(list: T[]) => {
  const map = new Map<string, T[]>();
  for (const x of list) map.set(x.directoryId, [...(map.get(x.directoryId) ?? []), x]);
  return map;
};

async function directoryContents(ctx: AppContext, r: JacksonRecords, s: GatehouseState): Promise<void> {
  for (const [dir, users] of byDirectory(r.users)) {
    for (const u of await directoryUsersRepo.findByIds(ctx.db, dir, users.map((x) => x.id))) s.userKeys.add(`${dir}/${u.id}`);
  }
  for (const [dir, groups] of byDirectory(r.groups)) {
    for (const g of await directoryGroupsRepo.findByIds(ctx.db, dir, groups.map((x) => x.id))) s.groupKeys.add(`${dir}/${g.id}`);
  }
  const byGroup = new Map<string, { directoryId: string; userIds: string[] }>();
  for (const m of r.memberships) {
    const e = byGroup.get(m.groupId) ?? { directoryId: m.directoryId, userIds: [] };
    e.userIds.push(m.userId);
    byGroup.set(m.groupId, e);
  }
  for (const [groupId, e] of byGroup) {
    for (const userId of await directoryGroupsRepo.memberValuesIn(ctx.db, groupId, e.userIds)) s.memberKeys.add(`${e.directoryId}/${groupId}/${userId}`);
  }
}

/** Reads the part of Gatehouse the plan for `r` depends on. */
export async function gatehouseState(ctx: AppContext, r: JacksonRecords): Promise<GatehouseState> {
  const now = ctx.now();
  const s: GatehouseState = {
    spEntityId: ctx.config.SAML_SP_ENTITY_ID,
    spCertPems: (await signingKeysRepo.listActive(ctx.db, 'saml_sp')).map((k) => k.public_pem),
    samlConnectionIds: new Set(await connectionsRepo.idsOfKind(ctx.db, 'saml')),
    connectionIds: new Set(), productIds: new Set(), directoryIds: new Set(), userKeys: new Set(), groupKeys: new Set(), memberKeys: new Set(),
    setupLinkIds: new Set(), liveSetupLinkScopes: new Set(),
  };
  for (const c of r.connections) if (await connectionsRepo.findById(ctx.db, c.clientID)) s.connectionIds.add(c.clientID);
  for (const p of r.products) if (await productsRepo.findById(ctx.db, p.id)) s.productIds.add(p.id);
  for (const d of await directoriesRepo.findByIds(ctx.db, r.directories.map((x) => x.id))) s.directoryIds.add(d.id);
  await directoryContents(ctx, r, s);
  for (const l of r.setupLinks) {
    if (await setupLinksRepo.findById(ctx.db, l.setupID)) s.setupLinkIds.add(l.setupID);
    const live = await setupLinksRepo.findByScope(ctx.db, l.service, l.tenant, l.product);
    if (live && live.expires_at > now) s.liveSetupLinkScopes.add(`${l.service}:${l.tenant}:${l.product}`);
  }
  return s;
}
