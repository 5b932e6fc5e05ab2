/**
 * Trusted IdP keys of a connection as cached KeyObjects, keyed by connection id, version and
 * updated_at, so a login never re-parses a certificate and an edit is seen at once. A cache only:
 * every request still reads the connection row.
 */
import type { KeyObject } from 'node:crypto';
import type { ConnectionRow } from '../../storage/index.ts';
import { parseSettings, type SamlSettings } from '../connection-settings.ts';
import { publicKeyFromCertificate } from './validate-response.ts';

export interface LoadedSamlConnection {
  row: ConnectionRow;
  settings: SamlSettings;
  trustedKeys: KeyObject[];
}

const cache = new Map<string, LoadedSamlConnection>();
const MAX = 2000;

export function loadSamlConnection(row: ConnectionRow): LoadedSamlConnection {
  const key = `${row.id}:${row.version}:${row.updated_at}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, row };
  const settings = parseSettings(row.settings);
  const loaded = { row, settings, trustedKeys: settings.signingCertificates.map((c) => publicKeyFromCertificate(c)) };
  if (cache.size >= MAX) cache.clear();
  cache.set(key, loaded);
  return loaded;
}
