/** Settings → Branding: product name, logo URL and primary colour, previewed live and applied on save. */
import { useEffect, useState } from 'react';
import { applyBranding, isColor } from '../../shared/branding.ts';
import { Form, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useAdmin, useCanEdit } from '../session.tsx';

export function BrandingPage() {
  const res = useAsync((signal) => adminApi.branding(signal), []);
  if (res.loading && !res.data) return <Loading label="Loading branding…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <BrandingForm initial={res.data} />;
}

function BrandingForm({ initial }: { initial: { productName: string; logoUrl: string | null; primaryColor: string | null } }) {
  const { branding, setBranding } = useAdmin();
  const canEdit = useCanEdit();
  const [f, setF] = useState({ productName: initial.productName ?? '', logoUrl: initial.logoUrl ?? '', primaryColor: initial.primaryColor ?? '#3b3b98' });
  const [saved, setSaved] = useState(false);
  const state = useSubmit();

  // Live preview of a valid colour; leaving the page without saving restores the saved branding.
  useEffect(() => {
    if (isColor(f.primaryColor)) applyBranding({ ...branding, primaryColor: f.primaryColor });
  }, [f.primaryColor, branding]);
  useEffect(() => () => applyBranding(branding), [branding]);

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!f.productName.trim()) e.productName = 'Enter the name shown on the sign-in, setup and error pages.';
    if (f.logoUrl.trim() && !/^(https?:\/\/|\/)\S+$/i.test(f.logoUrl.trim())) e.logoUrl = 'Enter a URL starting with https:// (or a path on this server).';
    if (!isColor(f.primaryColor)) e.primaryColor = 'Enter a colour like #3b3b98.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      setSaved(false);
      const body = { productName: f.productName.trim(), logoUrl: f.logoUrl.trim() || null, primaryColor: f.primaryColor };
      await adminApi.saveBranding(body);
      setBranding(body);
      setSaved(true);
    });

  return (
    <>
      <PageHeader title="Branding" description="How the portal, the sign-in page, setup links, the IdP picker and error pages look to your customers." />
      {saved ? <Notice kind="success">Branding saved.</Notice> : null}
      <Form state={state} onSubmit={submit} validate={validate} label="Branding">
        <TextField name="productName" label="Product name" value={f.productName} onValue={(v) => setF((s) => ({ ...s, productName: v }))} required disabled={!canEdit} />
        <TextField name="logoUrl" label="Logo URL" type="url" hint="An image on this server or an HTTPS URL allowed by your Content-Security-Policy." value={f.logoUrl} onValue={(v) => setF((s) => ({ ...s, logoUrl: v }))} disabled={!canEdit} />
        <div className="color-row">
          <TextField name="primaryColor" label="Primary colour" hint="Hex, e.g. #3b3b98. Button text switches between white and black to stay readable." value={f.primaryColor} onValue={(v) => setF((s) => ({ ...s, primaryColor: v }))} disabled={!canEdit} />
          <div className="field">
            <label htmlFor="primaryColorPicker">Pick a colour</label>
            <input id="primaryColorPicker" type="color" value={isColor(f.primaryColor) && f.primaryColor.length === 7 ? f.primaryColor : '#3b3b98'} onChange={(e) => setF((s) => ({ ...s, primaryColor: e.target.value }))} disabled={!canEdit} />
          </div>
        </div>
        <div className="preview" aria-label="Preview">
          <p className="preview__label">Preview</p>
          <span className="button button--primary preview__button" aria-hidden="true">
            Sign in
          </span>
        </div>
        {canEdit ? (
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Save branding</SubmitButton>
          </div>
        ) : null}
      </Form>
    </>
  );
}
