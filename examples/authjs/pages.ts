/**
 * The Auth.js example's pages and its one script: server-rendered HTML with no inline script or style,
 * so a strict Content-Security-Policy holds. Every value is escaped.
 */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Auth.js example</title></head>
<body><main><p>Auth.js example <small>signs in through Gatehouse with the BoxyHQ SAML provider</small></p>${body}</main>
<script src="/signin.js"></script></body></html>
`;
}

/** Auth.js's error codes (`/?error=…`) in plain words. */
const ERROR_WORDS: Record<string, string> = {
  OAuthCallbackError: 'The sign-in service refused the sign-in (for example, the identity provider sent no email).',
  CallbackRouteError: 'The sign-in could not be completed: the sign-in service did not accept this app\'s request.',
  OAuthSignInError: 'The sign-in could not start: the sign-in service did not answer.',
  Configuration: 'This app is not set up correctly for SSO.',
};

export interface HomeView {
  /** The signed-in user, or null. */
  user: { email?: string | null; name?: string | null; tenant?: string; product?: string } | null;
  /** The token answer carried an id_token, which Auth.js validated (the OIDC flow). */
  idToken: boolean;
  /** `dummy` client: the user's email domain names the tenant, sent with the product at sign-in. */
  needsTenant: boolean;
  product: string;
  /** Auth.js's error code when a sign-in failed (`pages.error` sends it here). */
  error: string | null;
}

/**
 * The sign-in form posts to Auth.js's `/auth/signin/boxyhq-saml` with its CSRF token; `/signin.js` fetches the
 * token and, for the `dummy` client, adds `tenant` and `product` to the URL as Auth.js's client
 * `signIn("boxyhq-saml", {}, { tenant, product })` does.
 */
export function homePage(view: HomeView): string {
  if (view.user) {
    return layout('Signed in', `<h1>Signed in</h1>
<p>You are signed in as <strong id="email">${escape(view.user.email ?? '')}</strong>${view.user.name ? ` (${escape(view.user.name)})` : ''}.</p>
<dl><dt>Tenant</dt><dd id="tenant">${escape(view.user.tenant ?? '')}</dd><dt>Product</dt><dd id="product">${escape(view.user.product ?? '')}</dd>
<dt>Signed in with</dt><dd id="proof">${view.idToken ? 'an ID token (checked by Auth.js) and userinfo' : 'userinfo (OAuth 2.0)'}</dd></dl>
<form method="post" action="/auth/signout" data-authjs>
<input type="hidden" name="csrfToken" value=""><input type="hidden" name="callbackUrl" value="/">
<button type="submit">Sign out</button></form>`);
  }
  const error = view.error ? `<p role="alert" id="error">${escape(ERROR_WORDS[view.error] ?? 'The sign-in failed.')} <code>${escape(view.error)}</code></p>` : '';
  const tenantField = view.needsTenant ? '<p><label>Work email <input type="email" name="email" autocomplete="email" required></label></p>' : '';
  return layout('Sign in', `<h1>Sign in</h1>${error}
<form method="post" action="/auth/signin/boxyhq-saml" data-authjs data-product="${escape(view.product)}">
<input type="hidden" name="csrfToken" value=""><input type="hidden" name="callbackUrl" value="/">${tenantField}
<p><button type="submit">Sign in with SSO</button></p></form>`);
}

/** Served as /signin.js (script-src 'self'). */
export const SIGNIN_JS = `(function () {
  document.querySelectorAll('form[data-authjs]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch('/auth/csrf', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (body) {
        form.elements.namedItem('csrfToken').value = body.csrfToken;
        var email = form.elements.namedItem('email');
        if (email) {
          // As BoxyHQ's docs map a user to a tenant: the email's domain names the tenant.
          var tenant = email.value.trim().split('@').pop();
          form.action = '/auth/signin/boxyhq-saml?' + new URLSearchParams({ tenant: tenant, product: form.dataset.product });
        }
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  });
})();
`;
