/** The server-rendered result page a setup link's test sign-in lands on (in its own tab). */
import { escapeHtml as e, layout } from './pages.ts';
import type { Branding } from '../admin/branding-store.ts';

export function renderTestResult(brand: Branding, r: { status: string; profile?: Record<string, unknown>; attributes?: Record<string, unknown>; diagnosis?: { code: string; message: string; detail: string | null; fix: string } }): string {
  if (r.status === 'succeeded' && r.profile) {
    const rows = Object.entries(r.attributes ?? {}).map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(Array.isArray(v) ? v.join(', ') : String(v))}</td></tr>`).join('');
    return layout(brand, 'Test succeeded', `<h1>The test sign-in worked</h1>
<p class="lead">Signed in as <strong>${e(String(r.profile.email))}</strong>.</p>
<p>You can close this tab; the setup page shows the result and the links to give your users.</p>
<table class="attributes"><caption>Attributes received</caption><tbody>${rows || '<tr><td>none</td></tr>'}</tbody></table>`);
  }
  if (r.status === 'failed' && r.diagnosis) {
    const d = r.diagnosis;
    return layout(brand, 'Test failed', `<h1>The test sign-in did not work</h1>
<p class="lead">${e(d.message)}</p>${d.detail ? `<p>${e(d.detail)}</p>` : ''}
<h2>How to fix it</h2><p>${e(d.fix)}</p><p class="code">Error code: <code>${e(d.code)}</code></p>
<p>Fix the setting, then run the test again from the setup page.</p>`);
  }
  return layout(brand, 'Test in progress', '<h1>The test has not finished</h1><p>Complete the sign-in at your identity provider, or start a new test from the setup page.</p>');
}
