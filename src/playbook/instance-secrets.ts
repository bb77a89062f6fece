/**
 * The instance's secrets, by kind, so a recording names them (`<client_secret>`, `<private_key>`)
 * instead of only blanking them; and the way back: the parameters a replay runs with, where each
 * placeholder stands in for the secret (a throwaway key where the runtime needs a well-formed one).
 * Identifiers in secret-typed parameters (client ID, tenant ID, thumbprint) are not secrets, as in
 * the runtime's Redactor: they appear in token URLs and stay readable.
 */
import { generateKeyPairSync } from 'node:crypto';
import { configSecrets, publicIdentifiers, repairPem, selectFlow } from '../auth/flow.js';
import type { Manifest } from '../manifest/types.js';
import { ConfigurationError } from '../base/errors.js';
import { parseInstanceParams, secretParamValues } from '../base/params.js';
import type { KnownSecret, Scrubber } from './scrub.js';

function flowSecrets(params: ReturnType<typeof parseInstanceParams>): KnownSecret[] {
  try {
    const config = selectFlow(params);
    const known: KnownSecret[] = [];
    const add = (value: string | undefined, kind: string) => {
      if (value) known.push({ value, kind });
    };
    add(config.clientSecret, 'client_secret');
    add(config.certificate?.privateKey, 'private_key');
    add(config.authCode, 'code');
    add(config.xsoarApp?.tenantToken, 'tenant_token');
    add(config.xsoarApp?.key, 'xsoar_key');
    // Anything configSecrets adds later still gets a (generic) name.
    for (const value of configSecrets(config)) add(value, 'secret');
    return known;
  } catch (err) {
    if (err instanceof ConfigurationError) return [];
    throw err;
  }
}

/** Secrets of the instance (and `extra` ones), each with its placeholder kind. */
export function instanceSecrets(
  rawParams: Record<string, unknown>,
  manifest: Manifest,
  extra: readonly string[] = [],
): KnownSecret[] {
  const params = parseInstanceParams(rawParams, manifest, 'params');
  const known = flowSecrets(params);
  const identifiers = publicIdentifiers(params);
  const privateKey = known.find((k) => k.kind === 'private_key');
  for (const value of secretParamValues(params, manifest)) {
    if (identifiers.includes(value.trim())) continue;
    // The pasted PEM may differ from the repaired one by whitespace: same placeholder.
    const kind = privateKey && repairPem(value) === privateKey.value ? 'private_key' : 'secret';
    known.push({ value, kind });
  }
  extra.forEach((value) => known.push({ value, kind: 'secret' }));
  return known.filter((k) => k.value.trim().length >= 4);
}

/** The parameters as the recording stores them: secret values replaced, identifiers kept. */
export function recordedParams(
  params: Record<string, unknown>,
  scrubber: Scrubber,
): Record<string, unknown> {
  return mapStrings(params, (text) => scrubber.text(text)) as Record<string, unknown>;
}

function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

let throwawayKey: string | undefined;
/** A private key nobody holds, for replaying a certificate-flow recording. */
function replayPrivateKey(): string {
  throwawayKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return throwawayKey;
}

/** A well-formed stand-in for a placeholder the runtime parses (keys); else the placeholder. */
function standIn(placeholder: string): string {
  if (/^<private_key(:\d+)?>$/.test(placeholder)) return replayPrivateKey();
  // The XSOAR app key is base64 of an AES key.
  if (/^<xsoar_key(:\d+)?>$/.test(placeholder)) return Buffer.alloc(32, 7).toString('base64');
  return placeholder;
}

/** The parameters a replay runs with: the recorded ones with stand-ins for the secrets. */
export function replayParams(recorded: Record<string, unknown>): Record<string, unknown> {
  return mapStrings(recorded, standIn) as Record<string, unknown>;
}
