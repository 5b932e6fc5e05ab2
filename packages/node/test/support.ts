/**
 * The SDK's tests run a real Gatehouse (SQLite, listening on 127.0.0.1) started from the repository's src/, and
 * talk to it only through the SDK over real HTTP with the global fetch.
 */
import { startGatehouse, API_KEY, type RunningGatehouse } from '../../../test/support/gatehouse.ts';
import { Gatehouse } from '../src/index.ts';

export { API_KEY };
export { waitFor } from '../../../test/support/scim.ts';

export interface SdkHarness {
  gh: RunningGatehouse;
  gatehouse: Gatehouse;
  close(): Promise<void>;
}

export async function startSdkHarness(env: Record<string, string> = {}): Promise<SdkHarness> {
  const gh = await startGatehouse({ listen: true, env });
  if (!gh) throw new Error('SQLite Gatehouse did not start');
  const gatehouse = new Gatehouse({ url: gh.baseUrl, apiKey: API_KEY });
  return { gh, gatehouse, close: () => gh.close() };
}

/** SCIM over real HTTP with the directory's bearer secret, as an IdP sends it. */
export function scimOver(endpoint: string, secret: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${endpoint}${path}`, {
      method, headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`SCIM ${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as { id: string }) : null;
  };
}
