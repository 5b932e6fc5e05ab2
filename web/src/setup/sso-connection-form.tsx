/**
 * Create (or edit) a connection from the link page: choose the IdP, follow its short steps, copy the values the
 * IdP needs, then give its metadata (paste, upload, URL) or its OIDC details. A refusal names the field from the
 * API's problem JSON; lint warnings come back on the saved connection and are shown by the caller.
 */
import { useEffect, useState } from 'react';
import { Form, RadioGroup, SubmitButton, TextField, useSubmit } from '../shared/forms.tsx';
import { IdpDetailsFields, useIdpDetails } from '../shared/idp-details.tsx';
import { SpValues } from '../shared/sp-values.tsx';
import type { SetupApi } from './api.ts';
import type { Connection, SpInfo } from '../shared/api-types.ts';
import { guideFor, IDP_GUIDES, type IdpId } from './idp-guides.tsx';

export function ConnectionForm({ api, sp, existing, onSaved, onCancel }: { api: SetupApi; sp: SpInfo; existing?: Connection; onSaved: (c: Connection, created: boolean) => void; onCancel?: () => void }) {
  const editing = Boolean(existing);
  const [idp, setIdp] = useState<IdpId>(existing ? (existing.oidcProvider ? 'oidc' : 'saml') : 'okta');
  const guide = guideFor(idp);
  const idpDetails = useIdpDetails(existing, guide.metadata);
  const [f, setF] = useState({ name: existing?.name ?? '', description: existing?.description ?? '' });
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const state = useSubmit();
  const { source, setSource } = idpDetails;

  const chooseIdp = (id: IdpId) => {
    setIdp(id);
    if (!editing) setSource(guideFor(id).metadata);
  };
  useEffect(() => state.reset(), [idp, source, state.reset]);

  const validate = () => idpDetails.validate(guide.protocol);
  const body = () => ({ name: f.name.trim() || (editing ? '' : guide.label), description: f.description.trim(), ...idpDetails.body(guide.protocol) });

  const submit = () =>
    state.run(async () => {
      const saved = existing ? await api.updateConnection(existing.clientID, body()) : await api.createConnection(body());
      onSaved(saved, !existing);
    });

  const formLabel = editing ? `Edit ${existing!.name || 'connection'}` : 'New connection';
  return (
    <section className="panel" aria-labelledby="conn-form-title">
      <h2 id="conn-form-title">{editing ? formLabel : 'Connect your identity provider'}</h2>
      {!editing ? (
        <>
          <h3>1. Choose your identity provider</h3>
          <RadioGroup name="idp" legend="Identity provider" value={idp} onValue={(v) => chooseIdp(v as IdpId)} options={IDP_GUIDES.map((g) => ({ value: g.id, label: g.label }))} />
        </>
      ) : null}
      <h3>{editing ? 'In your identity provider' : `2. In ${guide.label}`}</h3>
      <ol className="steps">
        {guide.steps.map((s, i) => (
          <li key={`${idp}-${i}`}>{s}</li>
        ))}
      </ol>
      <div className="sp-values" role="group" aria-label="Values to copy into your identity provider">
        <SpValues sp={sp} protocol={guide.protocol} />
      </div>
      <h3>{editing ? 'Update the details' : '3. Give us your identity provider’s details'}</h3>
      <p>{guide.handover}</p>
      <Form state={state} onSubmit={submit} validate={validate} label={formLabel}>
        <IdpDetailsFields state={idpDetails} protocol={guide.protocol} />
        <div className="grid-2">
          <TextField name="name" label="Connection name" hint={`Shown to your users if you add several, e.g. “${guide.label}”.`} value={f.name} onValue={set('name')} />
          <TextField name="description" label="Description" value={f.description} onValue={set('description')} />
        </div>
        <div className="form-actions">
          <SubmitButton busy={state.busy} busyLabel={source === 'url' && guide.protocol === 'saml' ? 'Fetching the metadata…' : 'Saving…'}>
            {editing ? 'Save changes' : 'Create connection'}
          </SubmitButton>
          {onCancel ? (
            <button type="button" className="button button--ghost" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
