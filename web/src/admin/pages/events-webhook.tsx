/** Settings → Events webhook: where the vendor event stream is POSTed (signed like Directory Sync's webhooks). */
import { useState } from 'react';
import { Form, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import type { EventsWebhook } from '../../shared/api-types.ts';
import { ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';

export function EventsWebhookPage() {
  const res = useAsync((signal) => adminApi.eventsWebhook(signal), []);
  if (res.loading && !res.data) return <Loading label="Loading the events webhook…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <EventsWebhookForm initial={res.data} />;
}

function EventsWebhookForm({ initial }: { initial: EventsWebhook }) {
  const canEdit = useCanEdit() && initial.source !== 'environment';
  const [url, setUrl] = useState(initial.url ?? '');
  const [secret, setSecret] = useState('');
  const [saved, setSaved] = useState<EventsWebhook | null>(null);
  const state = useSubmit();
  const current = saved ?? initial;
  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (url.trim() && !/^https?:\/\/\S+$/i.test(url.trim())) e.url = 'Enter a URL starting with https://.';
    if (url.trim() && !current.secretSet && secret.length < 16) e.secret = 'Enter a secret of 16 characters or more: every event is signed with it.';
    if (secret && secret.length < 16) e.secret = 'Enter a secret of 16 characters or more.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      await adminApi.saveEventsWebhook({ url: url.trim() || null, ...(secret ? { secret } : {}) });
      setSaved(await adminApi.eventsWebhook());
      setSecret('');
    });
  return (
    <>
      <PageHeader title="Events webhook" description="Connection events (created, changed, certificate expiry, failing sign-ins…) are POSTed here as JSON, signed with BoxyHQ-Signature and Gatehouse-Signature, and retried for 24 hours." />
      {initial.source === 'environment' ? <Notice kind="info">Set by EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET in the environment; change it there.</Notice> : null}
      {saved ? <Notice kind="success">{saved.url ? 'Events webhook saved.' : 'Events webhook turned off; events stay available from GET /api/v1/events.'}</Notice> : null}
      <Form state={state} onSubmit={submit} validate={validate} label="Events webhook">
        <TextField name="url" label="Webhook URL" type="url" hint="Leave empty to turn the webhook off." value={url} onValue={setUrl} disabled={!canEdit} />
        <TextField name="secret" label="Signing secret" type="password" autoComplete="new-password" hint={current.secretSet ? 'A secret is set; enter a new one to replace it.' : 'At least 16 characters.'} value={secret} onValue={setSecret} disabled={!canEdit} />
        {canEdit ? (
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Save events webhook</SubmitButton>
          </div>
        ) : null}
      </Form>
    </>
  );
}
