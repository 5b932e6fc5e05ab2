/** Settings → Audit stream: the audit log sent to the vendor's SIEM as signed webhooks and/or RFC 5424 syslog, with a filter (decision 0034). */
import { useState } from 'react';
import { Form, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import type { AuditStream } from '../../shared/api-types.ts';
import { ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';

export function AuditStreamPage() {
  const res = useAsync((signal) => adminApi.auditStream(signal), []);
  if (res.loading && !res.data) return <Loading label="Loading the audit stream…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <AuditStreamForm initial={res.data} />;
}

const listOf = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

function AuditStreamForm({ initial }: { initial: AuditStream }) {
  const canEdit = useCanEdit() && initial.source !== 'environment';
  const [webhookUrl, setWebhookUrl] = useState(initial.webhookUrl ?? '');
  const [secret, setSecret] = useState('');
  const [syslogUrl, setSyslogUrl] = useState(initial.syslogUrl ?? '');
  const [jsonlUrl, setJsonlUrl] = useState(initial.jsonlUrl ?? '');
  const [jsonlAuth, setJsonlAuth] = useState('');
  const [actions, setActions] = useState(initial.filter.actions.join(', '));
  const [tenants, setTenants] = useState(initial.filter.tenants.join(', '));
  const [products, setProducts] = useState(initial.filter.products.join(', '));
  const [saved, setSaved] = useState<AuditStream | null>(null);
  const state = useSubmit();
  const current = saved ?? initial;
  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (webhookUrl.trim() && !/^https?:\/\/\S+$/i.test(webhookUrl.trim())) e.webhookUrl = 'Enter a URL starting with https://.';
    if (webhookUrl.trim() && !current.webhookSecretSet && secret.length < 16) e.webhookSecret = 'Enter a secret of 16 characters or more: every event is signed with it.';
    if (secret && secret.length < 16) e.webhookSecret = 'Enter a secret of 16 characters or more.';
    if (syslogUrl.trim() && !/^(tcp|tls):\/\/[^/\s]+\/?$/i.test(syslogUrl.trim())) e.syslogUrl = 'Enter tls://host:6514 (or tcp://host:514 for a host in OUTBOUND_ALLOW_HOSTS).';
    if (jsonlUrl.trim() && !/^https?:\/\/\S+$/i.test(jsonlUrl.trim())) e.jsonlUrl = 'Enter a URL starting with https://.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      await adminApi.saveAuditStream({
        webhookUrl: webhookUrl.trim() || null, ...(secret ? { webhookSecret: secret } : {}), syslogUrl: syslogUrl.trim() || null,
        jsonlUrl: jsonlUrl.trim() || null, ...(jsonlAuth ? { jsonlAuthorization: jsonlAuth } : {}),
        filter: { actions: listOf(actions), tenants: listOf(tenants), products: listOf(products) },
      });
      setSaved(await adminApi.auditStream());
      setSecret('');
      setJsonlAuth('');
    });
  const on = Boolean(current.webhookUrl || current.syslogUrl || current.jsonlUrl);
  return (
    <>
      <PageHeader title="Audit stream" description="Every audit event, as it is written, to your SIEM: as JSON webhooks signed with BoxyHQ-Signature and Gatehouse-Signature, as RFC 5424 syslog over TCP or TLS, and as JSON Lines over HTTPS. Retried for 24 hours; each event once, in order." />
      {initial.source === 'environment' ? <Notice kind="info">Set by AUDIT_STREAM_* in the environment; change it there.</Notice> : null}
      {saved ? <Notice kind="success">{on ? 'Audit stream saved.' : 'Audit stream turned off; the audit log stays in the portal.'}</Notice> : null}
      <Form state={state} onSubmit={submit} validate={validate} label="Audit stream">
        <TextField name="webhookUrl" label="Webhook URL" type="url" hint="Leave empty to send no webhooks." value={webhookUrl} onValue={setWebhookUrl} disabled={!canEdit} />
        <TextField name="webhookSecret" label="Signing secret" type="password" autoComplete="new-password" hint={current.webhookSecretSet ? 'A secret is set; enter a new one to replace it.' : 'At least 16 characters.'} value={secret} onValue={setSecret} disabled={!canEdit} />
        <TextField name="syslogUrl" label="Syslog collector" hint="tls://host:6514, or tcp://host:514 for a host in OUTBOUND_ALLOW_HOSTS. Leave empty to send no syslog." value={syslogUrl} onValue={setSyslogUrl} disabled={!canEdit} />
        <TextField name="jsonlUrl" label="JSON Lines endpoint" type="url" hint="Each event POSTed as one line of application/x-ndjson. Leave empty to send none." value={jsonlUrl} onValue={setJsonlUrl} disabled={!canEdit} />
        <TextField name="jsonlAuthorization" label="Authorization header" type="password" autoComplete="off" hint={current.jsonlAuthorizationSet ? 'A value is set; enter a new one to replace it.' : 'Optional, e.g. Bearer <token>; stored sealed, never shown again.'} value={jsonlAuth} onValue={setJsonlAuth} disabled={!canEdit} />
        <TextField name="actions" label="Only these actions" hint="Action prefixes, comma-separated (sso.connection, admin.). Empty: every action." value={actions} onValue={setActions} disabled={!canEdit} />
        <TextField name="tenants" label="Only these tenants" hint="Comma-separated. Empty: every tenant, and portal-wide events." value={tenants} onValue={setTenants} disabled={!canEdit} />
        <TextField name="products" label="Only these products" hint="Comma-separated. Empty: every product." value={products} onValue={setProducts} disabled={!canEdit} />
        {canEdit ? (
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Save audit stream</SubmitButton>
          </div>
        ) : null}
      </Form>
    </>
  );
}
