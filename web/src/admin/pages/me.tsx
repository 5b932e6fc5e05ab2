/**
 * Me: account details, password, TOTP (the otpauth URL and secret as text), and my personal API keys. Turning
 * TOTP on or off asks for the current password (an account without one needs a recent SSO sign-in instead);
 * a password or TOTP change signs out the account's other sessions.
 */
import { useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { Form, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { Badge, CopyField, DateTime, Details, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useAdmin } from '../session.tsx';

export function MePage() {
  const { session } = useAdmin();
  const user = session!.user;
  return (
    <>
      <PageHeader title="Me" description="Your account, how you sign in, and your personal API keys." />
      <Details
        rows={[
          ['Email', user.email],
          ['Name', user.name || '—'],
          ['Role', user.role],
          ['Sign-in', [user.hasPassword && 'password', user.totpEnabled && 'authenticator code (TOTP)', user.sso && 'SSO'].filter(Boolean).join(', ') || '—'],
        ]}
      />
      <Totp hasPassword={user.hasPassword} />
      <Password hasPassword={user.hasPassword} />
      <PersonalKeys ownerId={user.id} />
    </>
  );
}

const isReauth = (e: unknown) => e instanceof ApiError && e.code === 'ADMIN_REAUTH_REQUIRED';

/** An account without a password proves itself with a fresh SSO sign-in: say so, with the way to do it. */
function ReauthNotice({ error }: { error: unknown }) {
  if (!isReauth(error)) return null;
  return (
    <div className="alert alert--error" role="alert">
      <p>
        <strong>Confirm it is you.</strong> Your account has no password, so sign in again with SSO, then come back here within 10 minutes.
      </p>
      <p>
        <a className="button" href={adminApi.ssoStartUrl}>
          Sign in again with SSO
        </a>
      </p>
    </div>
  );
}

function Totp({ hasPassword }: { hasPassword: boolean }) {
  const { session, setSession } = useAdmin();
  const enabled = session!.user.totpEnabled;
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const start = useSubmit();
  const confirm = useSubmit();
  const refresh = async () => setSession(await adminApi.session());
  const validate = (): FieldErrors => (/^\d{6}$/.test(code.trim()) ? {} : { code: 'Enter the 6-digit code your authenticator app shows.' });
  const validateOff = (): FieldErrors => ({ ...validate(), ...(hasPassword && !password ? { password: 'Enter your current password.' } : {}) });
  const passwordField = hasPassword ? (
    <TextField name="password" label="Current password" type="password" autoComplete="current-password" value={password} onValue={setPassword} required />
  ) : null;

  return (
    <section aria-labelledby="totp">
      <h2 id="totp">
        Authenticator app (TOTP) {enabled ? <Badge kind="good">On</Badge> : <Badge kind="warn">Off</Badge>}
      </h2>
      {done ? <Notice kind="success">{done}</Notice> : null}
      {!enabled && !setup ? (
        <>
          <p>Ask for a 6-digit code from an authenticator app after your password or SSO. Turning it on signs out your other sessions.</p>
          <ReauthNotice error={start.error} />
          <Form
            state={{ ...start, error: isReauth(start.error) ? null : start.error }}
            label="Set up an authenticator app"
            validate={() => (hasPassword && !password ? { password: 'Enter your current password.' } : {})}
            onSubmit={() => start.run(async () => (setDone(null), setSetup(await adminApi.totpSetup(password || undefined)), setPassword('')))}
          >
            {passwordField}
            <div className="form-actions">
              <SubmitButton busy={start.busy} busyLabel="Preparing…">
                Set up an authenticator app
              </SubmitButton>
            </div>
          </Form>
        </>
      ) : null}
      {!enabled && setup ? (
        <>
          <ol className="numbered">
            <li>
              In your authenticator app, add an account with this secret (or open the otpauth link on a phone that has the app):
              <CopyField label="Secret" value={setup.secret} secret />
              <CopyField label="otpauth URL" value={setup.otpauthUrl} />
            </li>
            <li>Enter the code the app shows to turn it on.</li>
          </ol>
          <Form
            state={confirm}
            validate={validate}
            label="Turn on the authenticator app"
            onSubmit={() =>
              confirm.run(async () => {
                await adminApi.totpEnable(code.trim());
                setSetup(null);
                setCode('');
                setDone('Authenticator app turned on. You will be asked for a code at every sign-in.');
                await refresh();
              })
            }
          >
            <TextField name="code" label="Code from the app" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onValue={setCode} required />
            <div className="form-actions">
              <SubmitButton busy={confirm.busy} busyLabel="Checking…">
                Turn on
              </SubmitButton>
              <button type="button" className="button button--ghost" onClick={() => setSetup(null)}>
                Cancel
              </button>
            </div>
          </Form>
        </>
      ) : null}
      {enabled ? <ReauthNotice error={confirm.error} /> : null}
      {enabled ? (
        <Form
          state={{ ...confirm, error: isReauth(confirm.error) ? null : confirm.error }}
          validate={validateOff}
          label="Turn off the authenticator app"
          onSubmit={() =>
            confirm.run(async () => {
              await adminApi.totpDisable(code.trim(), password || undefined);
              setCode('');
              setPassword('');
              setDone('Authenticator app turned off.');
              await refresh();
            })
          }
        >
          <p>To turn it off, confirm with {hasPassword ? 'your password and ' : ''}a current code. Your other sessions are signed out.</p>
          {passwordField}
          <TextField name="code" label="Current code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onValue={setCode} required />
          <div className="form-actions">
            <SubmitButton busy={confirm.busy} busyLabel="Checking…">
              Turn off
            </SubmitButton>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function Password({ hasPassword }: { hasPassword: boolean }) {
  const [f, setF] = useState({ current: '', password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const state = useSubmit();
  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (hasPassword && !f.current) e.current = 'Enter your current password.';
    if (f.password.length < 12) e.password = 'Use at least 12 characters.';
    else if (f.password !== f.confirm) e.confirm = 'The two passwords differ.';
    return e;
  };
  return (
    <section aria-labelledby="password">
      <h2 id="password">{hasPassword ? 'Change password' : 'Set a password'}</h2>
      {done ? <Notice kind="success">Password saved. Your other sessions were signed out.</Notice> : null}
      <Form
        state={state}
        validate={validate}
        label={hasPassword ? 'Change password' : 'Set a password'}
        onSubmit={() =>
          state.run(async () => {
            setDone(false);
            await adminApi.changePassword({ ...(hasPassword ? { current: f.current } : {}), password: f.password });
            setF({ current: '', password: '', confirm: '' });
            setDone(true);
          })
        }
      >
        <div className="grid-3">
          {hasPassword ? <TextField name="current" label="Current password" type="password" autoComplete="current-password" value={f.current} onValue={(v) => setF((s) => ({ ...s, current: v }))} /> : null}
          <TextField name="password" label="New password" type="password" autoComplete="new-password" hint="At least 12 characters." value={f.password} onValue={(v) => setF((s) => ({ ...s, password: v }))} />
          <TextField name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" value={f.confirm} onValue={(v) => setF((s) => ({ ...s, confirm: v }))} />
        </div>
        <div className="form-actions">
          <SubmitButton busy={state.busy}>Save password</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

function PersonalKeys({ ownerId }: { ownerId: string }) {
  const keys = usePaged((cursor, signal) => adminApi.apiKeys({ cursor, limit: 100 }, signal), []);
  const mine = (keys.data?.data ?? []).filter((k) => k.ownerId === ownerId && k.kind === 'personal');
  return (
    <section aria-labelledby="my-keys">
      <h2 id="my-keys">My personal API keys</h2>
      <ErrorBox error={keys.error} onRetry={keys.reload} />
      {keys.loading && !keys.data ? <Loading label="Loading your keys…" /> : null}
      {keys.data && !mine.length ? <p>You have no personal keys.</p> : null}
      {mine.length ? (
        <ul className="plain">
          {mine.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> <code>{k.prefix}…</code> · last used <DateTime value={k.lastUsedAt} /> · expires {k.expiresAt ? <DateTime value={k.expiresAt} /> : 'never'}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to="/admin/api-keys">Create or revoke keys</Link>
      </p>
    </section>
  );
}
