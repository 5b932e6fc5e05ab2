/**
 * Decision 0038: the worker-thread pool gives the same verdicts as the main thread. The validator's own tests
 * (rule by rule, XSW and the other attacks, the shared vectors) run here first and record every input they
 * validate; each is then run again through a real pool of worker threads and through the in-thread path
 * (WORKERS=0), and the verdicts must be equal to what the tests accepted or refused.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import './validate-response.test.ts';
import './validate-response-assertion.test.ts';
import './vectors.test.ts';
import { recordedValidations } from '../../../test/support/saml-verdicts.ts';
import { parseSamlResponse } from './validate-response.ts';
import { createSamlValidationPool, threadsFor, type PooledVerdict } from './validation-pool.ts';

const pool = createSamlValidationPool(2);
const inThread = createSamlValidationPool(0);
after(() => pool.close());

async function sameVerdicts(p: typeof pool): Promise<number> {
  let validated = 0;
  const cases = recordedValidations.filter((r) => typeof r.opts.expectedInResponseTo === 'string');
  const verdicts = await Promise.all(cases.map((r) => p.run({ xml: r.xml, opts: { ...r.opts, expectedInResponseTo: r.opts.expectedInResponseTo! } })));
  cases.forEach((r, i) => {
    const v: PooledVerdict = verdicts[i]!;
    const parsed = parseSamlResponse(r.xml);
    if (v.stage === 'parse') return assert.deepEqual(v.failure, r.result);
    assert.ok(parsed.ok);
    if (v.stage === 'header') {
      // The ACS then takes the main-thread path; the thread validated nothing.
      assert.notEqual(parsed.parsed.inResponseTo, r.opts.expectedInResponseTo);
      return assert.equal(v.inResponseTo, parsed.parsed.inResponseTo);
    }
    assert.equal(parsed.parsed.inResponseTo, r.opts.expectedInResponseTo);
    assert.deepEqual(v.result, r.result, r.xml.slice(0, 200));
    validated++;
  });
  return validated;
}

test('every validation the SAML tests made gives the same verdict on the worker threads', async () => {
  assert.ok(recordedValidations.length > 50, `only ${recordedValidations.length} validations were recorded`);
  const validated = await sameVerdicts(pool);
  assert.ok(validated > 40, `only ${validated} reached validation on the pool`);
  const refusals = recordedValidations.filter((r) => !r.result.ok).length;
  assert.ok(refusals > 20, `only ${refusals} refusals among the recorded validations`);
});

test('threads keep the keys they were sent; a key they have not seen (a new connection version) is sent and used', async () => {
  const accepted = recordedValidations.find((r) => r.result.ok && typeof r.opts.expectedInResponseTo === 'string')!;
  const run = (opts: typeof accepted.opts) => pool.run({ xml: accepted.xml, opts: { ...opts, expectedInResponseTo: opts.expectedInResponseTo! } });
  // Twice per thread with the same keys (the second round finds them kept), then with fresh KeyObjects of the same keys.
  for (const v of await Promise.all([1, 2, 3, 4].map(() => run(accepted.opts)))) assert.deepEqual(v, { stage: 'validated', result: accepted.result });
  const fresh = { ...accepted.opts, trustedKeys: accepted.opts.trustedKeys.map((k) => createPublicKey({ key: k.export({ format: 'jwk' }), format: 'jwk' })) };
  assert.deepEqual(await run(fresh), { stage: 'validated', result: accepted.result });
  // And a key that is not the signer's is not accepted because the thread kept another one.
  const stranger = { ...accepted.opts, trustedKeys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey] };
  const refused = await run(stranger);
  assert.ok(refused.stage === 'validated' && !refused.result.ok && refused.result.code === 'SAML_SIGNATURE_INVALID');
});

test('threads beyond the first end when idle, and come back for the next burst (decision 0050)', async () => {
  const bursty = createSamlValidationPool(2, { idleMs: 50 });
  try {
    assert.equal(bursty.liveThreads(), 0, 'no thread before the first sign-in');
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, bursty.liveThreads())), 1);
    try {
      assert.ok((await sameVerdicts(bursty)) > 40); // tasks queue at once: piscina starts the second thread
    } finally {
      clearInterval(watch);
    }
    assert.equal(most, 2, 'both threads ran during the burst');
    // Idle threads end 50 ms after their last task; 30 s is only a bound, so a pool that keeps them fails, not hangs.
    for (let waited = 0; bursty.liveThreads() > 1 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(bursty.liveThreads(), 1, 'one thread stays');
    assert.ok((await sameVerdicts(bursty)) > 40);
  } finally {
    await bursty.close();
  }
});

test('WORKERS=0 runs the same function on the main thread', async () => {
  assert.equal(inThread.threads, 0);
  assert.ok((await sameVerdicts(inThread)) > 40);
});

test('WORKERS=auto is one thread per core', async () => {
  const { availableParallelism } = await import('node:os');
  assert.equal(threadsFor('auto'), availableParallelism());
  assert.equal(threadsFor(3), 3);
});
