/** What the connection-version tests share: two IdPs, a sign-in split in its two halves, and the events heard. */
import assert from 'node:assert/strict';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { APP_CALLBACK, postToAcs, startLogin } from '../support/saml-flow.ts';
import { buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import type { ConnectionEvent } from '../../src/sso/connection-events.ts';

export const SSO_A = 'https://idp-a.example.test/sso';
export const SSO_B = 'https://idp-b.example.test/sso';

export const api = (gh: RunningGatehouse, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });

/** The first half of a sign-in: authorize, up to the AuthnRequest the browser carries to the IdP. */
export async function begin(gh: RunningGatehouse, clientID: string) {
  const start = await startLogin(gh.app, { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' });
  assert.ok(start.requestId, `authorize did not reach an IdP: ${start.res.statusCode} ${start.res.body.slice(0, 200)}`);
  return { requestId: start.requestId!, relayState: start.relayState, idpUrl: `${new URL(start.location!).origin}${new URL(start.location!).pathname}` };
}

/** The second half: `idp` answers the request and the browser posts the answer to the ACS. */
export function finish(gh: RunningGatehouse, idp: TestIdp, started: { requestId: string; relayState: string | null }, email = 'alice@acme.com') {
  const b64 = buildSamlResponseBase64({
    idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: started.requestId,
    nameId: email, attributes: { email, firstName: 'Alice', lastName: 'Liddell' }, assertionId: `_a${Math.random().toString(36).slice(2)}${Date.now()}`,
  });
  return postToAcs(gh.app, b64, started.relayState);
}

/** The app got a code: the ACS redirected to the app's callback with `code`. */
export function assertCode(acs: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  assert.equal(acs.statusCode, 302, `${what}: ${acs.body.slice(0, 300)}`);
  const to = new URL(acs.headers.location as string);
  assert.equal(`${to.origin}${to.pathname}`, APP_CALLBACK, `${what}: redirected to ${to.href}`);
  assert.ok(to.searchParams.get('code'), `${what}: no code in ${to.href} (${to.searchParams.get('error_description')})`);
}

/** Every connection event the app announces, in order. */
export function hearEvents(gh: RunningGatehouse): ConnectionEvent[] {
  const heard: ConnectionEvent[] = [];
  gh.ctx.events.on('connection.event', async (e) => {
    heard.push(e);
  });
  return heard;
}

/** The audit actions recorded on a connection, oldest first. */
export async function auditActions(gh: RunningGatehouse, clientID: string): Promise<{ action: string; actor: string }[]> {
  const rows = await gh.ctx.db.selectFrom('audit_events').select(['action', 'actor_type']).where('target_id', '=', clientID).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor_type }));
}
