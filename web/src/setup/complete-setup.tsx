/**
 * Complete setup: while the latest test succeeded (the Test connection panel, ../shared/test-panel.tsx), the tenant's
 * one-click and invite links with what to tell users.
 */
import { errorMessage } from '../shared/api.ts';
import { useAsync } from '../shared/hooks.ts';
import { CopyField, Loading } from '../shared/ui.tsx';
import type { SetupApi } from './api.ts';

/** Complete setup: the links users sign in with, shown while the latest test has succeeded. */
export function CompleteSetup({ api, productName }: { api: SetupApi; productName: string }) {
  const links = useAsync((signal) => api.links(signal), [api]);
  return (
    <section className="panel panel--done" aria-labelledby="complete-title">
      <h2 id="complete-title">Setup complete: give your users these links</h2>
      {links.loading && !links.data ? <Loading label="Loading the sign-in links…" /> : null}
      {links.error ? <p className="field-error">{errorMessage(links.error)}</p> : null}
      {links.data ? (
        <>
          <CopyField label="One-click sign-in link" value={links.data.oneClickUrl} />
          <p className="hint">Put this on your intranet or app dashboard, or bookmark it: it sends people straight to your identity provider and then into {productName}.</p>
          <CopyField label="Invite link" value={links.data.inviteUrl} />
          <p className="hint">Send this to your users: it opens a page with a “Sign in with SSO” button for {productName}.</p>
          <h3>What to tell your users</h3>
          <ul>
            <li>They sign in to {productName} with their usual work account; no separate password is needed.</li>
            <li>The links do not expire; they keep working after this setup page has expired.</li>
            <li>Only people assigned to the app in your identity provider can sign in.</li>
          </ul>
        </>
      ) : null}
    </section>
  );
}
