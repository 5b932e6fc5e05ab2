import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { buildSamlResponse, createTestIdp } from './test/support/saml-idp.ts';
import * as before from '/tmp/lcpu/A/src/sso/saml/validate-response.ts';
import * as after from './src/sso/saml/validate-response.ts';
import { signRs256 } from './src/crypto/jwt-sign.ts';
import { ab } from '/tmp/lcpu/tools/micro.mts';
const idp = await createTestIdp(); const sp = await createTestIdp();
const SP = 'https://sp.bench.test', ACS = `${SP}/api/oauth/saml`, REQUEST = '_bench-request';
const xml = buildSamlResponse({ idp, spEntityId: SP, acsUrl: ACS, inResponseTo: REQUEST, nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com', firstName: 'Bench', lastName: 'User', groups: ['admins', 'staff'] } });
const opts = { trustedKeys: [after.publicKeyFromCertificate(idp.certPem)], spEntityId: SP, acsUrl: ACS, idpEntityId: idp.entityId, expectedInResponseTo: REQUEST, decryptionKeys: [createPrivateKey(sp.privateKeyPem)], now: Date.now(), skewSeconds: 90, allowSha1: false };
for (const m of [before, after]) { const r = m.validateSamlResponse((m.parseSamlResponse(xml) as any).parsed, opts); if (!r.ok) throw new Error('refused'); }
console.log(`Response ${xml.length} chars`);
await ab({
  'before: parse+validate': () => before.validateSamlResponse((before.parseSamlResponse(xml) as any).parsed, opts),
  'after: parse+validate': () => after.validateSamlResponse((after.parseSamlResponse(xml) as any).parsed, opts),
  'parse only': () => after.parseSamlResponse(xml),
}, { batch: 100, rounds: 20, warm: 500 });
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = { nonce: 'abc', sid: 'sid123', email: 'a@b.c', email_verified: true, id: 'x', nameid: 'a@b.c', tenant: 't', product: 'p', firstName: 'A', lastName: 'B', groups: ['g1', 'g2'], roles: [], requested: { tenant: 't', product: 'p' } };
await ab({
  'before: jose SignJWT': () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k', typ: 'JWT' }).setIssuer('http://x').setSubject('s').setAudience('c').setIssuedAt(1).setExpirationTime(2).sign(privateKey),
  'after: signRs256 (callback)': () => signRs256({ kid: 'k', typ: 'JWT' }, { ...claims, iss: 'http://x', sub: 's', aud: 'c', iat: 1, exp: 2 }, privateKey),
  'crypto.sign sync (not used)': () => sign('sha256', Buffer.from('x'.repeat(600)), privateKey),
}, { batch: 100, rounds: 20, warm: 200 });
