/**
 * One setup link: the link info (URL with Copy, expiry, Regenerate, Delete), where the customer stands (progress)
 * and what it was created with. The
 * URL is a credential for its tenant+product: viewers do not get it (the API sends null).
 */
import type { ReactNode } from 'react';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { Badge, CopyField, DateTime, Details, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';
import type { SetupLink, SetupService } from '../../shared/api-types.ts';
import { Expiry, LinkActions, linkLabel, listPath, progressRows, SERVICE_LABEL } from './setup-link-common.tsx';

export function SetupLinkViewPage({ service, id }: { service: SetupService; id: string }) {
  const res = useAsync((signal) => adminApi.setupLink(id, signal), [id]);
  if (res.loading && !res.data) return <Loading label="Loading the setup link…" />;
  if (!res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <LinkView service={service} link={res.data} onChange={res.setData} />;
}

function LinkView({ service, link, onChange }: { service: SetupService; link: SetupLink; onChange: (l: SetupLink) => void }) {
  const search = useLocation().search;
  const canEdit = useCanEdit();
  const regenerated = search.get('regenerated');
  const rows: [string, ReactNode][] = [
    ['Service', SERVICE_LABEL[link.service]],
    ['Tenant', link.tenant],
    ['Product', link.product],
    ['Description', link.description || <span className="muted">none</span>],
  ];
  if (link.service === 'sso') {
    rows.push(['Purpose', link.intent === 'certificate_renewal' ? <>Certificate renewal of connection <code className="break">{link.clientID}</code> only</> : 'Full setup']);
    rows.push(['Default redirect URL', <span className="break">{link.defaultRedirectUrl}</span>]);
    rows.push(['Allowed redirect URLs', link.redirectUrl?.length ? <ul className="plain">{link.redirectUrl.map((u) => <li key={u} className="break">{u}</li>)}</ul> : <span className="muted">none</span>]);
  } else {
    rows.push(['Webhook URL', link.webhook_url ? <span className="break">{link.webhook_url}</span> : <span className="muted">none (events are kept for the pull API only)</span>]);
    rows.push(['Webhook secret', link.webhookSecretSet ? 'set (never shown)' : <span className="muted">not set</span>]);
  }
  rows.push(['Created', <DateTime value={link.createdAt} />]);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={listPath(service)}>{SERVICE_LABEL[service]} Setup Links</Link>
      </nav>
      <PageHeader title={linkLabel(link)} description={`${SERVICE_LABEL[link.service]} setup link for ${link.tenant} · ${link.product}`} />
      {search.get('created') ? (
        <Notice kind="success">
          <p>The setup link was created. Copy it and send it to your customer&rsquo;s IT admin.</p>
        </Notice>
      ) : null}
      {search.get('existing') ? (
        <Notice kind="warning">
          <p>
            This tenant and product already had a live setup link, so no new one was made: this is it (only one link per tenant, product and service is live at a time). Regenerate it for a new URL.
          </p>
        </Notice>
      ) : null}
      {regenerated ? (
        <Notice kind="success">
          <p>A new URL was issued. The previous URL no longer works.</p>
        </Notice>
      ) : null}

      <section className="link-info" aria-labelledby="link-info">
        <h2 id="link-info">Link info</h2>
        {link.url ? <CopyField label="Setup link URL" value={link.url} secret /> : <p className="muted">Only admins and owners see the link URL: it gives access to this tenant&rsquo;s setup.</p>}
        <p>
          Expires: <Expiry link={link} />
          {!link.expired ? null : <> — <Badge kind="warn">Regenerate it to send a working link</Badge></>}
        </p>
        <p className="hint">Anyone with this URL can change the {link.service === 'sso' ? 'SSO connections' : 'directories'} of {link.tenant} for {link.product} until it expires. Send it only to your customer&rsquo;s IT admin.</p>
        {canEdit ? (
          <LinkActions
            link={link}
            onRegenerated={(l) => {
              onChange(l);
              navigate(`${window.location.pathname}?regenerated=1`, { replace: true, keepFocus: true });
            }}
            onDeleted={() => navigate(`${listPath(service)}?deleted=1`)}
            render={({ regenerate, remove }) => (
              <div className="toolbar">
                {regenerate}
                {remove}
              </div>
            )}
          />
        ) : null}
      </section>

      {link.progress ? (
        <section aria-labelledby="link-progress">
          <h2 id="link-progress">Progress</h2>
          <Details rows={progressRows(link.service, link.progress)} />
        </section>
      ) : null}

      <h2>Details</h2>
      <Details rows={rows} />
    </>
  );
}
