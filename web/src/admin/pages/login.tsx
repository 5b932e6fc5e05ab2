/**
 * Sign-in: email + password, then a TOTP code when the account has one, or SSO through Gatehouse itself (also
 * followed by the TOTP code when the account has one: `?step=sso-totp`).
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { Form, SubmitButton, TextField, useSubmit } from '../../shared/forms.tsx';
import { navigate, useLocation } from '../../shared/router.tsx';
import { Notice } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useAdmin } from '../session.tsx';

const SSO_ERRORS: Record<string, string> = {
  ADMIN_SSO_NO_ACCOUNT: 'Your identity provider signed you in, but no admin account or group mapping gives you access to this portal.',
  ADMIN_SSO_FAILED: 'Single sign-on did not complete.',
  ADMIN_SSO_NOT_LINKED: 'Your identity provider signed you in, but this account has a password or an authenticator app and no owner has linked it to SSO yet.',
};

/** Only paths inside the portal are accepted as the place to return to after signing in. */
function safeNext(next: string | null) {
  return next && next.startsWith('/admin/') && !next.startsWith('//') ? next : '/admin/';
}

export function LoginPage() {
  const { search } = useLocation();
  return search.get('step') === 'sso-totp' ? <SsoTotpStep /> : <PasswordSignIn />;
}

function Brand() {
  const { branding } = useAdmin();
  return (
    <p className="brand brand--login">
      {branding.logoUrl ? <img src={branding.logoUrl} alt="" className="brand__logo" /> : null}
      {branding.productName} <span className="brand__sub">Admin</span>
    </p>
  );
}

/** After SSO, an account with an authenticator app gives its code before it is signed in. */
function SsoTotpStep() {
  const { setSession, branding } = useAdmin();
  const { search } = useLocation();
  const [totp, setTotp] = useState('');
  const state = useSubmit();
  useEffect(() => {
    document.title = `Sign-in code · ${branding.productName} Admin`;
  }, [branding.productName]);
  const submit = () =>
    state.run(async () => {
      try {
        setSession(await adminApi.ssoTotp(totp.trim()));
        navigate(safeNext(search.get('next')), { replace: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'ADMIN_UNAUTHENTICATED') throw new ApiError(err.status, err.code, 'This sign-in waited too long for its code. Sign in with SSO again.', 'totp');
        throw err;
      }
    });
  return (
    <main className="login" id="main">
      <div className="login__card">
        <Brand />
        <h1>Enter your sign-in code</h1>
        <Form state={state} onSubmit={submit} validate={() => (/^\d{6}$/.test(totp.trim()) ? {} : { totp: 'Enter the 6-digit code from your authenticator app.' })} label="Sign-in code">
          <p>Your identity provider signed you in. Open your authenticator app and enter the 6-digit code to finish.</p>
          <TextField name="totp" label="Authentication code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={6} value={totp} onValue={setTotp} required autoFocus />
          <div className="form-actions">
            <SubmitButton busy={state.busy} busyLabel="Signing in…">
              Verify code
            </SubmitButton>
            <a className="button button--ghost" href={adminApi.ssoStartUrl}>
              Start again
            </a>
          </div>
        </Form>
      </div>
    </main>
  );
}

function PasswordSignIn() {
  const { setSession, branding } = useAdmin();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [sso, setSso] = useState<{ enabled: boolean; required: boolean } | null>(null);
  const state = useSubmit();
  const totpRef = useRef<HTMLInputElement>(null);
  const ssoError = search.get('error');

  useEffect(() => {
    document.title = `Sign in · ${branding.productName} Admin`;
  }, [branding.productName]);
  useEffect(() => {
    adminApi.ssoStatus().then(setSso, () => setSso({ enabled: false, required: false }));
  }, []);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const submit = () =>
    state.run(async () => {
      try {
        const session = await adminApi.login({ email: email.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) });
        setSession(session);
        navigate(safeNext(search.get('next')), { replace: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'ADMIN_TOTP_REQUIRED' && !needTotp) {
          setNeedTotp(true);
          return;
        }
        if (err instanceof ApiError && err.code === 'ADMIN_BAD_CREDENTIALS' && !err.field) throw new ApiError(err.status, err.code, needTotp ? 'The code is not right, or it expired. Enter the current 6-digit code.' : 'The email or the password is not right.', needTotp ? 'totp' : 'password');
        throw err;
      }
    });

  const validate = () => {
    const e: Record<string, string> = {};
    if (!needTotp) {
      if (!email.trim()) e.email = 'Enter your email address.';
      else if (!/^[^@\s]+@[^@\s]+$/.test(email.trim())) e.email = 'Enter an email address like name@example.com.';
      if (!password) e.password = 'Enter your password.';
    } else if (!/^\d{6}$/.test(totp.trim())) e.totp = 'Enter the 6-digit code from your authenticator app.';
    return e;
  };

  return (
    <main className="login" id="main">
      <div className="login__card">
        <Brand />
        <h1>{needTotp ? 'Enter your sign-in code' : 'Sign in'}</h1>
        {ssoError ? (
          <div className="alert alert--error" role="alert">
            <p>
              <strong>{SSO_ERRORS[ssoError] ?? `Single sign-on failed (${ssoError}).`}</strong> {search.get('error_description') ?? ''}
            </p>
            <p>Try again, or sign in with your email and password.</p>
          </div>
        ) : null}
        {sso?.required ? <Notice>This portal requires single sign-on. Admins with a break-glass password can still sign in below.</Notice> : null}
        <Form state={state} onSubmit={submit} validate={validate} label="Sign in">
          {!needTotp ? (
            <>
              <TextField name="email" label="Email" type="email" autoComplete="username" value={email} onValue={setEmail} required autoFocus />
              <TextField name="password" label="Password" type="password" autoComplete="current-password" value={password} onValue={setPassword} required />
            </>
          ) : (
            <>
              <p>Open your authenticator app and enter the 6-digit code for {email}.</p>
              <TextField name="totp" label="Authentication code" ref={totpRef} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={6} value={totp} onValue={setTotp} required />
            </>
          )}
          <div className="form-actions">
            <SubmitButton busy={state.busy} busyLabel="Signing in…">
              {needTotp ? 'Verify code' : 'Sign in'}
            </SubmitButton>
            {needTotp ? (
              <button type="button" className="button button--ghost" onClick={() => (setNeedTotp(false), setTotp(''), state.reset())}>
                Back
              </button>
            ) : null}
          </div>
        </Form>
        {sso?.enabled && !needTotp ? (
          <div className="login__sso">
            <p className="divider">
              <span>or</span>
            </p>
            <a className="button button--block" href={adminApi.ssoStartUrl}>
              Sign in with SSO
            </a>
          </div>
        ) : null}
      </div>
    </main>
  );
}
