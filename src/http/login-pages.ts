/** Server-rendered sign-in pages: the IdP picker, the invite page and the work-email page. Branded with the product name; no inline scripts. */
import { escapeHtml as e, layout } from './pages.ts';
import type { Branding } from '../admin/branding-store.ts';

export function renderPicker(brand: Branding, a: { productName: string; tenantName: string; choices: { label: string; href: string }[] }): string {
  return layout(
    brand,
    'Choose how to sign in',
    `<h1>Sign in to ${e(a.productName)}</h1>
<p class="muted">${e(a.tenantName)} has more than one way to sign in. Choose yours:</p>
<ul class="choices">${a.choices.map((c) => `<li><a href="${e(c.href)}">${e(c.label)}</a></li>`).join('')}</ul>`,
    a.productName,
  );
}

export function renderInvite(brand: Branding, a: { productName: string; tenantName: string; href: string }): string {
  return layout(
    brand,
    `Sign in to ${a.productName}`,
    `<h1>Sign in to ${e(a.productName)} with ${e(a.tenantName)} SSO</h1>
<p>You have been invited to ${e(a.productName)}. Sign in with your ${e(a.tenantName)} account; no new password is needed.</p>
<p><a class="button" href="${e(a.href)}">Sign in with ${e(a.tenantName)} SSO</a></p>`,
    a.productName,
  );
}

export function renderEmailEntry(brand: Branding, a: { productName: string; product: string | null; email?: string; error?: string }): string {
  return layout(
    brand,
    'Sign in with SSO',
    `<h1>Sign in to ${e(a.productName)} with SSO</h1>
${a.error ? `<p role="alert">${e(a.error)}</p>` : ''}
<form method="get" action="/login/sso">
<label for="email">Work email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${e(a.email ?? '')}">
${a.product ? `<input type="hidden" name="product" value="${e(a.product)}">` : ''}
<p><button type="submit">Continue</button></p>
</form>`,
    a.productName,
  );
}
