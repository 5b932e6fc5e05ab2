/**
 * A product's session settings on its edit page (issue 15, decisions 0023–0025): refresh tokens and their lifetimes,
 * where RP-initiated logout may send the browser, and the back-channel logout receiver. Saved with the product.
 */
import { Checkbox, TextArea, TextField, type FieldErrors } from '../../shared/forms.tsx';
import type { Product } from '../../shared/api-types.ts';

export interface SessionForm {
  refreshTokens: boolean;
  refreshTokenIdleSeconds: string;
  refreshTokenAbsoluteSeconds: string;
  postLogoutRedirectUris: string;
  backchannelLogoutUri: string;
  backchannelLogoutSessionRequired: boolean;
}

export const sessionFormOf = (p: Product): SessionForm => ({
  refreshTokens: p.refreshTokens ?? true,
  refreshTokenIdleSeconds: p.refreshTokenIdleSeconds == null ? '' : String(p.refreshTokenIdleSeconds),
  refreshTokenAbsoluteSeconds: p.refreshTokenAbsoluteSeconds == null ? '' : String(p.refreshTokenAbsoluteSeconds),
  postLogoutRedirectUris: (p.postLogoutRedirectUris ?? []).join('\n'),
  backchannelLogoutUri: p.backchannelLogoutUri ?? '',
  backchannelLogoutSessionRequired: p.backchannelLogoutSessionRequired ?? false,
});

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const seconds = (text: string) => (text.trim() ? Number(text.trim()) : null);

/** The PATCH body: an empty lifetime or receiver is `null` (the default). */
export const sessionBodyOf = (f: SessionForm): Partial<Product> => ({
  refreshTokens: f.refreshTokens,
  refreshTokenIdleSeconds: seconds(f.refreshTokenIdleSeconds),
  refreshTokenAbsoluteSeconds: seconds(f.refreshTokenAbsoluteSeconds),
  postLogoutRedirectUris: lines(f.postLogoutRedirectUris),
  backchannelLogoutUri: f.backchannelLogoutUri.trim() || null,
  backchannelLogoutSessionRequired: f.backchannelLogoutSessionRequired,
});

const isUrl = (v: string) => /^https?:\/\/\S+$/i.test(v);
const isSeconds = (v: string) => !v.trim() || (/^\d+$/.test(v.trim()) && Number(v) >= 60 && Number(v) <= 31_536_000);

export function sessionChecks(f: SessionForm, e: FieldErrors): FieldErrors {
  if (!isSeconds(f.refreshTokenIdleSeconds)) e.refreshTokenIdleSeconds = 'Enter a number of seconds from 60 to 31536000, or leave it empty for the default.';
  if (!isSeconds(f.refreshTokenAbsoluteSeconds)) e.refreshTokenAbsoluteSeconds = 'Enter a number of seconds from 60 to 31536000, or leave it empty for the default.';
  if (lines(f.postLogoutRedirectUris).some((u) => !isUrl(u))) e.postLogoutRedirectUris = 'Each line must be a full URL starting with https://.';
  if (f.backchannelLogoutUri.trim() && !isUrl(f.backchannelLogoutUri.trim())) e.backchannelLogoutUri = 'Enter a full URL starting with https://.';
  return e;
}

export function SessionFields({ f, set, disabled }: { f: SessionForm; set: <K extends keyof SessionForm>(k: K, v: SessionForm[K]) => void; disabled: boolean }) {
  return (
    <fieldset className="fieldset">
      <legend>Sessions and logout</legend>
      <Checkbox name="refreshTokens" label="Refresh tokens" hint={<>Apps that ask for the <code>offline_access</code> scope get a refresh token, rotated on every use.</>} checked={f.refreshTokens} onChecked={(v) => set('refreshTokens', v)} disabled={disabled} />
      <div className="grid-2">
        <TextField name="refreshTokenIdleSeconds" label="Refresh token idle lifetime (seconds)" inputMode="numeric" hint="Empty: the deployment's default (14 days)." value={f.refreshTokenIdleSeconds} onValue={(v) => set('refreshTokenIdleSeconds', v)} disabled={disabled} />
        <TextField name="refreshTokenAbsoluteSeconds" label="Refresh token absolute lifetime (seconds)" inputMode="numeric" hint="Empty: the deployment's default (30 days)." value={f.refreshTokenAbsoluteSeconds} onValue={(v) => set('refreshTokenAbsoluteSeconds', v)} disabled={disabled} />
      </div>
      <TextArea name="postLogoutRedirectUris" label="Post-logout redirect URIs" hint={<>One per line. The logout endpoint sends the browser only to one of these, matched exactly (<code>post_logout_redirect_uri</code>).</>} value={f.postLogoutRedirectUris} onValue={(v) => set('postLogoutRedirectUris', v)} disabled={disabled} rows={3} />
      <TextField name="backchannelLogoutUri" label="Back-channel logout URI" type="url" hint="Your app's endpoint that receives a signed logout_token when a user's session ends (SCIM deactivation, IdP logout, an admin)." value={f.backchannelLogoutUri} onValue={(v) => set('backchannelLogoutUri', v)} disabled={disabled} />
      <Checkbox name="backchannelLogoutSessionRequired" label="The app needs sid in logout tokens" hint="Gatehouse always sends sid; this records that your app relies on it." checked={f.backchannelLogoutSessionRequired} onChecked={(v) => set('backchannelLogoutSessionRequired', v)} disabled={disabled} />
    </fieldset>
  );
}
