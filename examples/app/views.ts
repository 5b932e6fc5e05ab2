/**
 * The example app's pages: plain server-rendered HTML with no inline script or style, so the strict
 * Content-Security-Policy set in server.ts holds. Every value is escaped by the `html` template tag.
 */

/** What the app keeps about a signed-in user (from Gatehouse's userinfo endpoint). */
export interface Profile {
  /** Opaque and stable per connection: key users by (tenant, sub), never by sub alone. */
  sub: string;
  email: string;
  /** True only when the tenant verified the email's domain: link to an existing account by email only then. */
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  roles: string[];
  requested: { tenant: string; product: string } | null;
  /** The IdP's attributes keyed by name as sent; null when they were too large for the cookie. */
  raw: Record<string, string | string[]> | null;
}

/** Markup that is already safe; anything else interpolated into `html` is escaped. */
export class Html {
  constructor(readonly value: string) {}
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const render = (v: unknown): string =>
  v instanceof Html ? v.value : Array.isArray(v) ? v.map(render).join('') : v === null || v === undefined || v === false ? '' : escape(String(v));

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example app</title><link rel="stylesheet" href="/style.css"></head>
<body><main><p class="brand">Example app <small>signs in through Gatehouse</small></p>${body}</main></body></html>
`.value;
}

export function homePage(o: { tenant: string; product: string; fixedClient: boolean; user: Profile | null }): string {
  const fields = o.fixedClient
    ? html`<p>This app is set up with one connection's client ID, so the organisation is already chosen.</p>`
    : html`<label>Organisation (tenant) <input name="tenant" value="${o.tenant}" required autocomplete="organization"></label>
<label>Product <input name="product" value="${o.product}" required></label>`;
  return layout('Sign in', html`<h1>Sign in with SSO</h1>
${o.user ? html`<p class="note">You are signed in as ${o.user.email}. <a href="/me">See your profile</a>.</p>` : ''}
<form method="get" action="/login">${fields}<button type="submit">Sign in with SSO</button></form>`);
}

export function profilePage(p: Profile): string {
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ');
  const list = (items: string[]) => (items.length ? items.join(', ') : html`<span class="muted">none</span>`);
  const rows: [string, unknown][] = [
    ['Email', p.email], ['Email verified', p.emailVerified ? 'yes' : 'no'], ['Name', name || html`<span class="muted">not sent</span>`], ['Groups', list(p.groups)], ['Roles', list(p.roles)],
    ['Tenant', p.requested?.tenant], ['Product', p.requested?.product], ['Subject (sub)', p.sub],
  ];
  const raw = p.raw
    ? Object.entries(p.raw).map(([k, v]) => html`<tr><th><code>${k}</code></th><td>${Array.isArray(v) ? v.join(', ') : v}</td></tr>`)
    : [html`<tr><td colspan="2" class="muted">Too large to keep in the session cookie.</td></tr>`];
  return layout('Your profile', html`<h1>Welcome${name ? html`, ${name}` : ''}</h1>
<p class="note">This is the profile Gatehouse sent to the app.</p>
<table id="profile">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
<h2>Attributes from the identity provider</h2>
<table id="raw">${raw.length ? raw : html`<tr><td class="muted">none</td></tr>`}</table>
<p><a class="button" href="/logout">Sign out</a></p>`);
}

export function errorPage(title: string, detail?: string, code?: string): string {
  return layout('Sign-in problem', html`<h1>We could not sign you in</h1>
<p class="lead" id="error">${title}</p>
${detail ? html`<p id="error-detail">${detail}</p>` : ''}
${code ? html`<p class="muted">Error code: <code>${code}</code></p>` : ''}
<p><a class="button" href="/">Try again</a></p>`);
}

export const STYLE_CSS = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1a1a2e;margin:0}
main{max-width:40rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
.brand{font-weight:700;color:#0b7a75}.brand small{font-weight:400;color:#666}.muted,.note{color:#666}.lead{font-size:1.1rem}
label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button,.button{display:inline-block;margin-top:1rem;background:#0b7a75;color:#fff;border:0;border-radius:8px;padding:.7rem 1.2rem;font-size:1rem;text-decoration:none;cursor:pointer}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eee;vertical-align:top}th{width:35%}
`;
