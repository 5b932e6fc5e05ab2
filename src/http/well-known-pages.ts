/**
 * The configuration pages for humans that Jackson serves under /.well-known/ (issue 13): what an IT admin types into
 * their IdP to add this deployment as a SAML service provider (`saml-configuration`), as an OIDC relying party
 * (`oidc-configuration`), or to add it as a SAML IdP for Identity Federation (`idp-configuration`), and the index
 * that links them with the metadata (`/well-known`). Pure renderers:
 * the values are inputs (routes/well-known-pages.ts reads them from the config and the SP key). No scripts.
 */
import { escapeHtml as e, layout } from './pages.ts';
import type { Branding } from '../admin/branding-store.ts';

type Row = [label: string, value: string, hint?: string];

/** A term, its value (monospace, selectable) and an optional hint: one per setting the IT admin copies. */
const values = (rows: Row[]) =>
  `<dl class="values">${rows.map(([label, value, hint]) => `<dt>${e(label)}</dt><dd><code>${e(value)}</code>${hint ? `<br><span class="muted">${e(hint)}</span>` : ''}</dd>`).join('')}</dl>`;

const link = (href: string, text: string) => `<a href="${e(href)}">${e(text)}</a>`;

const certificate = (pem: string, downloadUrl: string) =>
  `<h2>Certificate</h2><p>${link(downloadUrl, 'Download the certificate')} (PEM), or copy it:</p><pre class="pem">${e(pem.trim())}</pre>`;

export interface SamlSpValues {
  entityId: string;
  acsUrl: string;
  /** The single logout endpoint (decision 0030). */
  sloUrl: string;
  metadataUrl: string;
  certificateUrl: string;
  certificatePem: string;
}

export function renderSamlConfiguration(brand: Branding, v: SamlSpValues): string {
  return layout(brand, 'SAML configuration', `<h1>SAML service provider configuration</h1>
<p class="lead">Enter these values in your identity provider to add this application as a SAML 2.0 service provider, or
${link(v.metadataUrl, 'give it the SP metadata')} (${link(`${v.metadataUrl}?download`, 'download')}).</p>
${values([
    ['Entity ID / Audience', v.entityId, 'The SP entity ID: the Audience of every assertion, and the Issuer of our requests.'],
    ['ACS URL (Assertion Consumer Service)', v.acsUrl, 'HTTP-POST binding. Also the Destination and Recipient the response must carry.'],
    ['Single Logout URL', v.sloUrl, 'HTTP-Redirect and HTTP-POST bindings, for LogoutRequests and LogoutResponses. Logout messages are signed both ways with the certificate below.'],
    ['Response', 'Signed', 'Sign the response, the assertion, or both: at least one must be signed, and every signature present must verify.'],
    ['Assertion signature', 'Signed'],
    ['Signature algorithm', 'RSA-SHA256', 'SHA-1 signatures are refused unless the connection allows them.'],
    ['Assertion encryption', 'Optional', 'Encrypt with the certificate below (it is also the metadata\'s encryption key).'],
    ['SP metadata URL', v.metadataUrl],
  ])}
${certificate(v.certificatePem, v.certificateUrl)}
<p class="muted">A connection may override the entity ID or the ACS URL for its own IdP; its settings show the values to use.</p>`);
}

export interface OidcRpValues {
  redirectUri: string;
  scopes: string;
}

export function renderOidcConfiguration(brand: Branding, v: OidcRpValues): string {
  return layout(brand, 'OIDC configuration', `<h1>OpenID Connect relying party configuration</h1>
<p class="lead">Register this application at your OpenID Connect provider (Okta, Entra ID, Google, Auth0…) as a web
application with these values, then enter its discovery URL, client ID and client secret in the connection.</p>
${values([
    ['Redirect URI (callback URL)', v.redirectUri, 'Register it exactly: sign-in answers come back here.'],
    ['Scopes requested', v.scopes, 'The default; a connection may ask for others.'],
    ['Grant type', 'Authorization code', 'With PKCE (S256), state and nonce.'],
    ['Client authentication', 'client_secret_basic', 'Or client_secret_post when that is the only method your provider offers.'],
  ])}`);
}

export interface SamlIdpValues {
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  certificateUrl: string;
  certificatePem: string;
}

export function renderIdpConfiguration(brand: Branding, v: SamlIdpValues): string {
  return layout(brand, 'IdP configuration', `<h1>SAML identity provider configuration</h1>
<p class="lead">For Identity Federation: enter these values in your application (the SAML service provider) to sign
its users in through this deployment, or ${link(v.metadataUrl, 'give it the IdP metadata')}.</p>
${values([
    ['IdP entity ID (Issuer)', v.entityId],
    ['SSO URL', v.ssoUrl],
    ['IdP metadata URL', v.metadataUrl],
  ])}
${certificate(v.certificatePem, v.certificateUrl)}
<p class="muted">This deployment signs its SAML responses with this certificate.</p>`);
}

/** The index Jackson serves at /well-known: every link an IT admin may need, with what each is for. */
export function renderWellKnownIndex(brand: Branding, base: string): string {
  const links: [path: string, title: string, what: string][] = [
    ['/.well-known/saml-configuration', 'SAML configuration', 'The values to enter in a SAML identity provider.'],
    ['/.well-known/sp-metadata', 'SP metadata', 'The same, as SAML metadata XML for IdPs that import it.'],
    ['/.well-known/saml.cer', 'SAML certificate', 'The SP certificate (signing and encryption).'],
    ['/.well-known/oidc-configuration', 'OIDC configuration', 'The redirect URI to register at an OpenID Connect provider.'],
    ['/.well-known/openid-configuration', 'OpenID discovery', 'For applications signing users in through this deployment (JSON).'],
    ['/.well-known/idp-configuration', 'IdP configuration', 'Identity Federation: the values to enter in a SAML service provider.'],
    ['/.well-known/idp-metadata', 'IdP metadata', 'The same, as SAML metadata XML.'],
  ];
  return layout(brand, 'Configuration links', `<h1>Configuration links</h1>
<p class="lead">What your identity provider or application needs to connect to this deployment.</p>
<ul class="choices">${links.map(([path, title, what]) => `<li><a href="${e(`${base}${path}`)}"><strong>${e(title)}</strong><br><span class="muted">${e(what)}</span></a></li>`).join('')}</ul>`);
}
