/**
 * Errors in the customer's words. A setup link is used by the customer's IT admin, who cannot change the
 * deployment's environment and need not know our field names or the XML parser: this turns the catalog's
 * technical detail (which the management API keeps, for the vendor's developers) into what the IT admin can act on.
 * The setup-link serializer logs the technical detail for the vendor (serializers.ts#sendCustomerProblem).
 * Pure: a GatehouseError in, a title and a detail out.
 */
import { ERRORS, type GatehouseError } from '../errors.ts';

/** What the setup-link forms call each input. */
const LABELS: Record<string, string> = {
  metadataUrl: 'The metadata URL',
  rawMetadata: 'The metadata',
  encodedRawMetadata: 'The metadata file',
  metadata: 'The metadata',
  oidcDiscoveryUrl: 'The discovery URL',
  oidcMetadata: 'The OpenID Connect details',
  oidcClientId: 'The client ID',
  oidcClientSecret: 'The client secret',
  webhook_url: 'The address your vendor set for directory updates',
  webhook_secret: 'The signing secret your vendor set for directory updates',
  name: 'The name',
  type: 'The identity provider',
  clientID: 'The connection',
  label: 'The label',
  attributeMapping: 'The attribute mapping',
  body: 'The request',
};
const label = (field: string | undefined) => LABELS[field ?? ''] ?? (field ? `The "${humanize(field)}" value` : 'A value');
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const humanize = (field: string) => field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();

/** Environment variables, XML names and parser output: nothing an IT admin can act on. */
const JARGON = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|xmldom|fatalError|namespace|urn:oasis|EntityDescriptor|IDPSSODescriptor|SingleSignOnService|KeyDescriptor|X509Certificate|protocolSupportEnumeration|validUntil|zod|Invalid option/;

export const hasJargon = (text: string) => JARGON.test(text);

type Words = { title: string; detail: string };

function urlWords(e: GatehouseError): Words {
  const what = label(e.field);
  const d = e.detail ?? '';
  if (e.field === 'webhook_url') return { title: 'Your vendor\'s settings for this link cannot be used.', detail: `${what} cannot be used. Contact your vendor to fix it; there is nothing to change on your side.` };
  if (e.code === 'OUTBOUND_URL_REFUSED') {
    if (/not an absolute URL/.test(d)) return { title: 'This URL cannot be used.', detail: `${what} must be a full web address starting with https://.` };
    if (/must use https/.test(d)) return { title: 'This URL cannot be used.', detail: `${what} must start with https://.` };
    return { title: 'This URL cannot be used.', detail: `${what} points to a private network address that we cannot reach. Give an address reachable from the internet.` };
  }
  if (/could not be resolved/.test(d)) return { title: 'We could not read this URL.', detail: `${what} names a host that does not exist. Check the address for typos.` };
  const status = /answered HTTP (\d{3})/.exec(d)?.[1];
  if (status) return { title: 'We could not read this URL.', detail: `${what} answered with an error (HTTP ${status}). Check the address, and that it opens without signing in.` };
  return { title: 'We could not read this URL.', detail: `${what} did not answer in time or refused the connection. Check the address, and that it is reachable from the internet.` };
}

/** The metadata parser's refusals, by the phrase each starts with (sso/saml/idp-metadata.ts). */
const METADATA: [RegExp, string][] = [
  [/not well-formed XML/, 'The metadata is not valid XML. Check that you copied the whole file, from its first line to its last.'],
  [/This is not SAML metadata/, 'This is not SAML metadata. Copy the SAML metadata of your identity provider: the XML file or URL in its SAML app settings.'],
  [/describes no identity provider/, 'This metadata describes no identity provider; it may be the metadata of an application. Copy the metadata of your identity provider.'],
  [/does not offer SAML 2\.0/, 'The identity provider in this metadata does not offer SAML 2.0. Choose the SAML 2.0 metadata in your identity provider.'],
  [/no single sign-on URL/, 'The metadata has no single sign-on URL. Download the metadata again from your identity provider\'s SAML app.'],
  [/DOCTYPE/, 'The metadata contains a document type declaration, which is not allowed. Download the metadata again from your identity provider.'],
  [/no entityID/, 'The metadata does not name its identity provider (it has no entity ID). Download the metadata again from your identity provider.'],
  [/no signing certificate/, 'The metadata has no signing certificate. Make sure the SAML app in your identity provider has an active signing certificate, then download its metadata again.'],
  [/not a readable X\.509 certificate/, 'A certificate in the metadata cannot be read; the file may have been cut or altered. Download the metadata again.'],
  [/is not an absolute http/, 'The single sign-on URL in the metadata is not a full web address. Download the metadata again from your identity provider.'],
  [/validUntil/, 'The metadata\'s expiry date cannot be read. Download the metadata again from your identity provider.'],
];

/** The OpenID Connect discovery refusals (sso/oidc/provider.ts). */
function discoveryWords(e: GatehouseError): Words {
  const d = e.detail ?? '';
  const title = 'We could not read your OpenID Connect details.';
  if (/is not JSON/.test(d)) return { title, detail: `${label(e.field)} did not return an OpenID Connect discovery document. Give the URL that ends in /.well-known/openid-configuration.` };
  const missing = /has no "(\w+)"/.exec(d)?.[1];
  if (missing) return { title, detail: `The discovery document is incomplete: it has no ${missing}. Check that this is your provider's OpenID Connect discovery URL.` };
  if (/issuer .* does not match/.test(d)) return { title, detail: 'The discovery document names another issuer than its own address. Give the discovery URL of your provider exactly as it publishes it.' };
  return { title, detail: hasJargon(d) ? `${label(e.field)} could not be read.` : d };
}

function metadataWords(e: GatehouseError): Words {
  const d = e.detail ?? '';
  const known = METADATA.find(([re]) => re.test(d));
  return { title: 'The identity provider metadata is not valid.', detail: known ? known[1] : hasJargon(d) ? 'Download the metadata again from your identity provider\'s SAML app and paste all of it.' : d };
}

function validationWords(e: GatehouseError): Words {
  const d = e.detail ?? '';
  const what = label(e.field);
  if (e.field === 'type' && /"google"/.test(d)) return { title: 'This identity provider is not supported.', detail: 'Google Workspace directories are not supported yet. Choose another identity provider, or ask your vendor contact.' };
  if (/^Give the IdP metadata/.test(d)) return { title: 'Some details are missing.', detail: 'Give your identity provider\'s SAML metadata (paste it, upload the file or give its URL), or its OpenID Connect details.' };
  if (/is required or has the wrong type/.test(d)) return { title: 'Some details are missing.', detail: `${what} is missing.` };
  // `"field" rest`: the field's name becomes the form's words; any other quoted field name too.
  const named = d.replace(/^"([^"]+)"/, () => what).replace(/"([A-Za-z_]+)"/g, (m, f: string) => (LABELS[f] ? lower(LABELS[f]!) : m));
  return { title: 'Some details are not valid.', detail: hasJargon(named) ? `${what} is not valid.` : named };
}

/** The title and detail a setup-link answer shows for `e`. */
export function customerWords(e: GatehouseError): Words {
  let w: Words;
  switch (e.code) {
    case 'OUTBOUND_URL_REFUSED':
    case 'OUTBOUND_FETCH_FAILED':
      w = urlWords(e);
      break;
    case 'SAML_METADATA_INVALID':
      w = metadataWords(e);
      break;
    case 'OIDC_DISCOVERY_FAILED':
      w = discoveryWords(e);
      break;
    case 'API_VALIDATION':
      w = validationWords(e);
      break;
    default:
      w = { title: ERRORS[e.code].message, detail: e.detail ?? ERRORS[e.code].message };
  }
  // The last guard: an answer that still names an environment variable or the parser says only what is wrong.
  return { title: hasJargon(w.title) ? 'This could not be saved.' : w.title, detail: hasJargon(w.detail) ? `${label(e.field)} is not valid.` : w.detail };
}
