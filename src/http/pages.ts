/**
 * Server-rendered pages (errors, the HTTP-POST binding form): no inline scripts or styles, so the
 * strict CSP holds; styles come from /assets/gatehouse.css and the branding from /assets/branding.css.
 */
import type { Branding } from '../admin/branding-store.ts';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `productName` defaults to the deployment's branding (Settings → Branding), which gives the logo too. */
export function layout(brand: Branding, title: string, body: string, productName?: string): string {
  const name = productName ?? brand.productName;
  const logo = brand.logoUrl ? `<img class="logo" src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.productName)}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(name)}</title><link rel="stylesheet" href="/assets/gatehouse.css"><link rel="stylesheet" href="/assets/branding.css"></head>
<body><main class="card">${logo}<p class="brand">${escapeHtml(name)}</p>${body}</main></body></html>`;
}

/** `flow`: what the person was doing (a logout gets its own heading). */
export function renderErrorPage(brand: Branding, e: { code: string; title: string; detail?: string; action?: { href: string; label: string } }, flow: 'sign-in' | 'logout' = 'sign-in'): string {
  return layout(
    brand,
    flow === 'logout' ? 'Sign-out problem' : 'Sign-in problem',
    `<h1>${flow === 'logout' ? 'We could not complete the sign-out' : 'We could not sign you in'}</h1>
<p class="lead">${escapeHtml(e.title)}</p>
${e.detail ? `<p>${escapeHtml(e.detail)}</p>` : ''}
${e.action ? `<p><a class="button" href="${escapeHtml(e.action.href)}">${escapeHtml(e.action.label)}</a></p>` : ''}
<p class="code">Error code: <code>${escapeHtml(e.code)}</code></p>
<p>If this keeps happening, send the error code to your IT administrator.</p>`,
  );
}

export const GATEHOUSE_CSS = `:root{color-scheme:light;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a2e;background:#f4f5f7}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center}
.card{background:#fff;max-width:36rem;margin:2rem;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
.brand{font-weight:700;color:#3b3b98;margin:0 0 1rem}h1{font-size:1.4rem;margin:.2rem 0 1rem}.lead{font-size:1.05rem}
.code code{background:#eef;padding:.1rem .35rem;border-radius:4px}button,.button{background:#3b3b98;color:#fff;border:0;border-radius:8px;padding:.7rem 1.2rem;font-size:1rem;cursor:pointer}
button:focus,.button:focus{outline:3px solid #f5a623;outline-offset:2px}
a.button{display:inline-block;text-decoration:none}ul.choices{list-style:none;padding:0}ul.choices li{margin:.6rem 0}
ul.choices a{display:block;padding:.8rem 1rem;border:1px solid #c9c9e8;border-radius:8px;color:#1a1a2e;text-decoration:none}
ul.choices a:hover,ul.choices a:focus{border-color:#3b3b98;outline:3px solid #f5a623}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}input[type=email],input[type=text]{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #767676;border-radius:6px;font-size:1rem}
.muted{color:#4a4a68}
dl.values dt{font-weight:600;margin-top:.9rem}dl.values dd{margin:.2rem 0 0;overflow-wrap:anywhere}
table.attributes{width:100%;border-collapse:collapse;margin-top:1rem;font-size:.95rem}table.attributes caption{text-align:left;font-weight:700;margin-bottom:.4rem}
table.attributes th,table.attributes td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #e3e4ea;overflow-wrap:anywhere}table.attributes th{font-weight:600;width:40%}
code{background:#eef;padding:.1rem .35rem;border-radius:4px}pre.pem{background:#eef;padding:.6rem;border-radius:6px;font-size:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}`;

/** Where RP-initiated or SAML logout ends when the app named no post_logout_redirect_uri (decision 0030). */
export function renderSignedOutPage(brand: Branding): string {
  return layout(
    brand,
    'Signed out',
    `<h1>You are signed out</h1>
<p class="lead">Your session with the application has ended.</p>
<p>You can close this window.</p>`,
  );
}
