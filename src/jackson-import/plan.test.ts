/**
 * The pure import planner: what it creates and skips against what Gatehouse holds, the SP-key rule (import into
 * a Gatehouse without SAML connections of its own; otherwise refuse, or keep Gatehouse's key with
 * --keep-sp-key), expired setup links, and the Audience imported SAML connections answer to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planImport, type GatehouseState } from './plan.ts';
import type { JacksonRecords, JacksonSamlConnection } from './records.ts';
import { formatReport, summarize } from './report.ts';

const NOW = 1_800_000_000_000;
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBjackson\n-----END CERTIFICATE-----\n';

const saml: JacksonSamlConnection = {
  kind: 'saml', clientID: 'c1', clientSecret: 's1', tenant: 't', product: 'p', name: 'n', label: null, description: '', defaultRedirectUrl: 'https://app/cb', redirectUrl: ['https://app/cb'],
  sortOrder: null, deactivated: false, createdAt: null, metadataUrl: null, forceAuthn: false, identifierFormat: null, acsUrlOverride: null, samlAudienceOverride: null,
  idp: { entityID: 'https://idp', ssoPostUrl: 'https://idp/sso', ssoRedirectUrl: null, sloPostUrl: null, sloRedirectUrl: null, certificates: ['MIIB'] },
};

const records = (over: Partial<JacksonRecords> = {}): JacksonRecords => ({
  connections: [saml], spKey: { certPem: CERT, privateKeyPem: 'k' }, products: [{ id: 'p', name: 'P' }],
  setupLinks: [
    { setupID: 'live', service: 'sso', tenant: 't', product: 'p', name: '', description: '', validTill: NOW + 1, token: 'x'.repeat(48), defaultRedirectUrl: 'https://app/cb', redirectUrl: [], webhookUrl: null, webhookSecret: null },
    { setupID: 'old', service: 'dsync', tenant: 't', product: 'p', name: '', description: '', validTill: NOW, token: 'y'.repeat(48), defaultRedirectUrl: null, redirectUrl: [], webhookUrl: null, webhookSecret: null },
  ],
  directories: [{ id: 'd1', tenant: 't', product: 'p', name: '', type: 'generic-scim-v2', webhookUrl: '', webhookSecret: '', scimPath: '/api/scim/v2.0/d1', scimSecret: 'sec', logWebhookEvents: false, deactivated: false, createdAt: null }],
  users: [{ id: 'u1', directoryId: 'd1', raw: { userName: 'a@t' } }], groups: [{ id: 'g1', directoryId: 'd1', name: 'G', raw: {} }], memberships: [{ directoryId: 'd1', groupId: 'g1', userId: 'u1' }],
  unreadable: [], ...over,
});

const state = (over: Partial<GatehouseState> = {}): GatehouseState => ({
  spEntityId: 'https://sso.example.com', spCertPems: ['-----BEGIN CERTIFICATE-----\nMIIBgatehouse\n-----END CERTIFICATE-----\n'], samlConnectionIds: new Set(),
  connectionIds: new Set(), productIds: new Set(), directoryIds: new Set(), userKeys: new Set(), groupKeys: new Set(), memberKeys: new Set(), setupLinkIds: new Set(), liveSetupLinkScopes: new Set(), ...over,
});

const opts = { now: NOW, samlAudience: 'https://saml.boxyhq.com', keepSpKey: false };
const created = (p: ReturnType<typeof planImport>) => Object.fromEntries(Object.entries(summarize(p, [])).map(([k, v]) => [k, v.created]));

test('into an empty Gatehouse: everything is created except the expired setup link; Jackson\'s Audience is kept', () => {
  const p = planImport(records(), state(), opts);
  assert.equal(p.refusal, null);
  assert.deepEqual(created(p), { spKey: 1, products: 1, connections: 1, directories: 1, users: 1, groups: 1, memberships: 1, setupLinks: 1 });
  assert.deepEqual(p.setupLinks.map((s) => [s.record.setupID, s.action === 'skip' ? s.reason : 'create']), [['live', 'create'], ['old', 'expired']]);
  assert.equal(p.audienceOverride, 'https://saml.boxyhq.com');
});

test('what Gatehouse already holds is skipped: a rerun creates nothing', () => {
  const p = planImport(records(), state({
    spCertPems: [CERT.replace(/\n/g, '\r\n')], samlConnectionIds: new Set(['c1']), connectionIds: new Set(['c1']), productIds: new Set(['p']), directoryIds: new Set(['d1']),
    userKeys: new Set(['d1/u1']), groupKeys: new Set(['d1/g1']), memberKeys: new Set(['d1/g1/u1']), setupLinkIds: new Set(['live']),
  }), opts);
  assert.ok(Object.values(created(p)).every((n) => n === 0), JSON.stringify(created(p)));
  assert.match(formatReport(p, { dryRun: true, failures: [] }), /SSO connections: would create 0, skipped 1/);
});

test('Gatehouse with SAML connections of its own: the import refuses, or keeps Gatehouse\'s SP key with --keep-sp-key', () => {
  const own = state({ samlConnectionIds: new Set(['gatehouse-own']) });
  assert.match(planImport(records(), own, opts).refusal ?? '', /1 SAML connection\(s\) of its own.*--keep-sp-key/);
  const kept = planImport(records(), own, { ...opts, keepSpKey: true });
  assert.equal(kept.refusal, null);
  assert.equal(kept.spKey?.action, 'skip');
  assert.equal(created(kept).connections, 1);
  assert.ok(kept.warnings.some((w) => /saml\.cer/.test(w)));
});

test('Audience: none when Jackson\'s equals Gatehouse\'s own; a live Gatehouse link of the same scope wins', () => {
  const p = planImport(records(), state({ spEntityId: 'https://saml.boxyhq.com', liveSetupLinkScopes: new Set(['sso:t:p']) }), opts);
  assert.equal(p.audienceOverride, null);
  assert.match(p.setupLinks[0]!.action === 'skip' ? p.setupLinks[0]!.reason : '', /already has a live sso setup link/);
});

test('users, groups and memberships of a directory that is not imported are skipped', () => {
  const p = planImport(records({ directories: [{ ...records().directories[0]!, type: 'google' }] }), state(), opts);
  assert.deepEqual([created(p).directories, created(p).users, created(p).groups, created(p).memberships], [0, 0, 0, 0]);
});
