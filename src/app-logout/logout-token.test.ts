import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TTL_SECONDS, logoutTokenClaims, signLogoutToken } from './logout-token.ts';

const input = { issuer: 'https://sso.example', clientId: 'client-1', sub: 'sub-1', sid: 'sid-1', jti: 'jti-1', now: 1_790_000_000_999 };

test('the claims come from the inputs alone: the clock, the issuer and the jti are given', () => {
  assert.deepEqual(logoutTokenClaims(input), {
    iss: 'https://sso.example', aud: 'client-1', iat: 1_790_000_000, exp: 1_790_000_000 + LOGOUT_TOKEN_TTL_SECONDS, jti: 'jti-1', sub: 'sub-1', sid: 'sid-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  });
  assert.equal('nonce' in logoutTokenClaims(input), false);
});

test('signed RS256 with typ logout+jwt and the key id; verifies with the public key', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = await signLogoutToken(logoutTokenClaims(input), { kid: 'k1', privateKey });
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: 'k1', typ: 'logout+jwt' });
  const { payload } = await jwtVerify(token, publicKey, { issuer: 'https://sso.example', audience: 'client-1', typ: 'logout+jwt', currentDate: new Date(input.now) });
  assert.equal(payload.sid, 'sid-1');
});
