/**
 * A login's database statements per step, counted against the request in flight (bench/round-trips.ts, and the
 * sitting's PostgreSQL row): Gatehouse in-process (app.inject()), the SAML login of bench/login.ts driven one at a
 * time, every statement Kysely sends (BEGIN and COMMIT included: on PostgreSQL and MySQL each is one network round
 * trip) put on the step whose request is in flight (storage/dialect.ts#StatementCounter). Background work (the
 * webhook deliverer's and maintenance's polls) runs between requests and is not a login's; a server-wide count
 * divided by logins includes it.
 */
import { startGatehouse } from '../../test/support/gatehouse.ts';
import type { TestIdp } from '../../test/support/saml-idp.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { BENCH_API_KEY, createConnection, runLogins } from './login-flow.ts';
import { injectTransport, type Transport } from './transport.ts';

export const LOGIN_STEPS = ['authorize', 'ACS', 'token', 'userinfo'] as const;
export type LoginStep = (typeof LOGIN_STEPS)[number];

export interface LoginStatements {
  /** Median statements per step over the measured logins. */
  perStep: Record<LoginStep, number>;
  perLogin: number;
  /** The statements of the last login, by step (whitespace collapsed, 160 characters each). */
  lastLogin: Record<LoginStep, string[]>;
}

const stepOf = (path: string): LoginStep | null => {
  const p = path.split('?')[0];
  return p === '/api/oauth/authorize' ? 'authorize' : p === '/api/oauth/saml' ? 'ACS' : p === '/api/oauth/token' ? 'token' : p === '/api/oauth/userinfo' ? 'userinfo' : null;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

const emptySteps = <T>(make: () => T): Record<LoginStep, T> => ({ authorize: make(), ACS: make(), token: make(), userinfo: make() });

/** null when the dialect's server is unreachable. Throws when a login fails. */
export async function countLoginStatements(dialect: DialectName, idp: TestIdp, logins: number): Promise<LoginStatements | null> {
  const gh = await startGatehouse({ dialect, env: { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_OAUTH_PER_MINUTE: '0', API_KEYS: BENCH_API_KEY } });
  if (!gh) return null;
  try {
    const inject = injectTransport(gh.app);
    const client = await createConnection(inject, idp);
    let current: string[] | null = null;
    const perStep = emptySteps<number[]>(() => []);
    const lastLogin = emptySteps<string[]>(() => []);
    const counted: Transport = {
      name: inject.name,
      async send(req) {
        const step = stepOf(req.path);
        if (!step) return inject.send(req);
        const sent: string[] = (current = []);
        try {
          return await inject.send(req);
        } finally {
          perStep[step].push(sent.length);
          lastLogin[step] = sent;
          current = null;
        }
      },
    };
    gh.database.statements.tap = (text) => current?.push(text.replace(/\s+/g, ' ').slice(0, 160));
    const target = { transport: counted, idp, client, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl };
    // Warm-up: key caches, the connection as each cache holds it, prepared statements.
    await runLogins(target, { logins: 5, concurrency: 1, tag: `rt-warm-${dialect}`, serverPid: null });
    for (const s of LOGIN_STEPS) perStep[s].length = 0;
    const result = await runLogins(target, { logins, concurrency: 1, tag: `rt-${dialect}`, serverPid: null });
    if (result.failures) throw new Error(`${dialect}: ${result.failures} failed logins (${result.failureSamples.join(' | ')})`);
    const medians = emptySteps(() => 0);
    for (const s of LOGIN_STEPS) medians[s] = median(perStep[s]);
    return { perStep: medians, perLogin: LOGIN_STEPS.reduce((n, s) => n + medians[s], 0), lastLogin };
  } finally {
    gh.database.statements.tap = null;
    await gh.close();
  }
}
