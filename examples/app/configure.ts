/**
 * Sets Gatehouse up for the example app through its management API with the Node SDK (packages/node,
 * `@gatehouse/node`): the SSO connection of the tenant to its IdP, and the product's login URI so that
 * Gatehouse's one-click link starts the sign-in at the app. README.md step 3, in code.
 *
 *   GATEHOUSE_API_KEY=dev-key node --import tsx examples/app/configure.ts
 *
 * Environment: GATEHOUSE_URL (http://localhost:5225), GATEHOUSE_API_KEY (required), IDP_METADATA_URL
 * (http://127.0.0.1:7000/metadata, the dev IdP), APP_URL (http://localhost:3000), TENANT (acme.com), PRODUCT (demo).
 */
import { pathToFileURL } from 'node:url';
// In your own app: import { Gatehouse, GatehouseNotFoundError } from '@gatehouse/node';
import { Gatehouse, GatehouseApiError, GatehouseNotFoundError, type Connection, type Product } from '../../packages/node/src/index.ts';

export interface IdpConnection {
  tenant: string;
  product: string;
  name?: string;
  /** Where Gatehouse reads the IdP's metadata (and refreshes it); or give the XML itself as `rawMetadata`. */
  metadataUrl?: string;
  rawMetadata?: string;
  /** The app's callback URLs; Gatehouse redirects only to these, matched exactly. The first is the default. */
  callbackUrls: string[];
}

/** The tenant's SAML connection to its IdP. Posting the same IdP again updates the same connection. */
export async function connectIdp(gatehouse: Gatehouse, c: IdpConnection): Promise<Connection> {
  return gatehouse.connections.create({
    tenant: c.tenant, product: c.product, name: c.name ?? `${c.tenant} (dev IdP)`,
    ...(c.rawMetadata ? { rawMetadata: c.rawMetadata } : { metadataUrl: c.metadataUrl }),
    redirectUrl: c.callbackUrls, defaultRedirectUrl: c.callbackUrls[0]!,
  });
}

/**
 * The product's `initiateLoginUri`: the one-click link (`/login/sso?enterprise_key=…`) sends the browser to the
 * app's /login, which keeps the state, nonce and PKCE verifier its callback checks. Updates the product, or creates
 * it when Gatehouse has no record of it yet.
 */
export async function startOneClickAtApp(gatehouse: Gatehouse, product: string, loginUrl: string): Promise<Product> {
  try {
    return await gatehouse.products.update(product, { initiateLoginUri: loginUrl });
  } catch (err) {
    if (!(err instanceof GatehouseNotFoundError)) throw err;
    return gatehouse.products.create({ product, initiateLoginUri: loginUrl });
  }
}

export interface ConfigureOptions {
  gatehouseUrl?: string;
  apiKey: string;
  idpMetadataUrl?: string;
  appUrl?: string;
  tenant?: string;
  product?: string;
}

/** Both steps; returns the connection (with its `clientID` and `clientSecret`) and the product. */
export async function configureGatehouse(opts: ConfigureOptions): Promise<{ connection: Connection; product: Product }> {
  const gatehouse = new Gatehouse({ url: opts.gatehouseUrl ?? 'http://localhost:5225', apiKey: opts.apiKey });
  const appUrl = (opts.appUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const tenant = opts.tenant ?? 'acme.com';
  const product = opts.product ?? 'demo';
  const connection = await connectIdp(gatehouse, { tenant, product, metadataUrl: opts.idpMetadataUrl ?? 'http://127.0.0.1:7000/metadata', callbackUrls: [`${appUrl}/callback`] });
  return { connection, product: await startOneClickAtApp(gatehouse, product, `${appUrl}/login`) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  if (!env.GATEHOUSE_API_KEY) {
    console.error('Set GATEHOUSE_API_KEY to a management API key (the API_KEYS Gatehouse was started with).');
    process.exit(2);
  }
  try {
    const { connection, product } = await configureGatehouse({
      gatehouseUrl: env.GATEHOUSE_URL, apiKey: env.GATEHOUSE_API_KEY, idpMetadataUrl: env.IDP_METADATA_URL, appUrl: env.APP_URL, tenant: env.TENANT, product: env.PRODUCT,
    });
    console.log(`Connection ${connection.clientID} for tenant ${connection.tenant}, product ${connection.product} (IdP ${connection.idpMetadata?.entityID ?? '?'})`);
    console.log(`  CLIENT_ID=${connection.clientID} CLIENT_SECRET=${connection.clientSecret ?? ''} for a confidential client`);
    console.log(`Product ${product.product}: one-click links start at ${product.initiateLoginUri}`);
  } catch (err) {
    // Gatehouse's refusals carry a stable code and, for bad input, the field at fault.
    if (err instanceof GatehouseApiError) console.error(`Gatehouse refused: ${err.code}${err.field ? ` (${err.field})` : ''}: ${err.detail}`);
    else console.error((err as Error).message);
    process.exit(1);
  }
}
