import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NAMED_USERS, namedUserId, userUpn } from './data/people.js';
import { TENANT } from './data/tenant.js';
import { checkFaultSettings, type FaultSettings } from './faults.js';
import type { SimApps } from './identity/apps.js';
import { FLOWS, paramsFor, toYaml, type Flow } from './params.js';
import { closeServer, createServers, listen } from './server.js';
import { SimState } from './state.js';
import { createCertificates } from './tls.js';
import type { JsonObject } from './types.js';

export type { Flow } from './params.js';
export type { SimApps } from './identity/apps.js';
export { FLOWS } from './params.js';

export interface SimulatorOptions {
  /** HTTPS port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Users in the tenant (named seed users included); default 25. Cheap up to 100,000+. */
  users?: number;
  /** Seed of the fault-injection sequence; default 1. Tenant data is fixed whatever the seed. */
  seed?: number | string;
  /** Milliseconds added to every request. */
  latencyMs?: number;
  /** Probability (0..1) that a Graph request or $batch item is answered 429. */
  p429?: number;
  /** Probability (0..1) that a Graph request or $batch item is answered 503. */
  p503?: number;
  /** Retry-After seconds of injected faults; default 1. */
  retryAfter?: number;
  /** Access-token lifetime in seconds; default 3600. */
  tokenLifetime?: number;
  /** Refresh-token inactivity lifetime in seconds; default 90 days. */
  refreshTokenLifetime?: number;
  /** Retry-After seconds of password-reset operations; default 1. */
  operationRetryAfter?: number;
  /** Directory to write ca.pem and params-<flow>.yml into (alias: stateDir). */
  outDir?: string;
  stateDir?: string;
}

/** A seed user the scenarios refer to by key ("admin", "kim", ...). */
export interface NamedUser {
  id: string;
  userPrincipalName: string;
}

export interface Simulator {
  /** https://127.0.0.1:PORT: identity platform, Graph, oproxy and MFA connector. */
  url: string;
  /** http://127.0.0.1:PORT: the IMDS listener (set AZURE_POD_IDENTITY_AUTHORITY_HOST to it). */
  imdsUrl: string;
  caPem: string;
  /** Path of ca.pem when outDir was given. */
  caFile?: string;
  tenantId: string;
  tenantDomain: string;
  apps: SimApps;
  /** Seed users by key: admin (the delegated identity), patti, sara, adele, grady, kim, disabled, guest, apostrophe. */
  users: Record<string, NamedUser>;
  /** Integration params for a flow; `userAssigned` picks the user-assigned managed identity. */
  paramsFor(flow: Flow, options?: { userAssigned?: boolean }): JsonObject;
  /** Paths of the params files written to outDir, by flow. */
  paramsFiles: Partial<Record<Flow, string>>;
  stats(): JsonObject;
  expireAllTokens(): void;
  setFaults(settings: Partial<FaultSettings> & { seed?: number | string }): void;
  /** Moves the sim's clock (codes, refresh tokens, TAPs); msal keeps the real clock. */
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

/** Writes ca.pem and one params file per flow; returns their paths. */
async function writeOutputs(
  dir: string,
  state: SimState,
): Promise<{ caFile: string; files: Partial<Record<Flow, string>> }> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const caFile = join(root, 'ca.pem');
  await writeFile(caFile, state.certs.ca.pem);
  const files: Partial<Record<Flow, string>> = {};
  for (const flow of FLOWS) {
    const file = join(root, `params-${flow}.yml`);
    await writeFile(
      file,
      `# msgraph-user simulator params for the ${flow} flow (${state.url})\n${toYaml(paramsFor(state, flow))}\n`,
      { mode: 0o600 },
    );
    files[flow] = file;
  }
  return { caFile, files };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const faults: FaultSettings = {
    p429: options.p429 ?? 0,
    p503: options.p503 ?? 0,
    retryAfter: options.retryAfter ?? 1,
    latencyMs: options.latencyMs ?? 0,
  };
  const invalid = checkFaultSettings(faults);
  if (invalid) throw new Error(`invalid simulator option: ${invalid}`);
  const users = options.users ?? 25;
  if (!Number.isInteger(users) || users < 0) {
    throw new Error('invalid simulator option: users must be a non-negative integer');
  }
  const certs = await createCertificates();
  const state = new SimState(certs, {
    users,
    seed: options.seed ?? 1,
    faults,
    tokenLifetime: options.tokenLifetime ?? 3600,
    refreshTokenLifetime: options.refreshTokenLifetime ?? 90 * 86_400,
    operationRetryAfter: options.operationRetryAfter ?? 1,
  });
  const servers = createServers(state);
  const port = await listen(servers.https, options.port ?? 0);
  const imdsPort = await listen(servers.imds, 0);
  state.url = `https://127.0.0.1:${port}`;
  state.imdsUrl = `http://127.0.0.1:${imdsPort}`;
  const outDir = options.outDir ?? options.stateDir;
  const outputs = outDir ? await writeOutputs(outDir, state) : undefined;
  const namedUsers = Object.fromEntries(
    NAMED_USERS.map((seed) => [
      seed.key,
      { id: namedUserId(seed.key), userPrincipalName: userUpn(seed.upnLocal) },
    ]),
  );
  return {
    url: state.url,
    imdsUrl: state.imdsUrl,
    caPem: certs.ca.pem,
    ...(outputs ? { caFile: outputs.caFile } : {}),
    tenantId: TENANT.id,
    tenantDomain: TENANT.domain,
    apps: state.apps.published,
    users: namedUsers,
    paramsFor: (flow, opts) => paramsFor(state, flow, opts),
    paramsFiles: outputs?.files ?? {},
    stats: () => state.stats.toJson(),
    expireAllTokens: () => state.tokens.expireAll(),
    setFaults: (settings) => {
      const error = checkFaultSettings(settings);
      if (error) throw new Error(`invalid fault settings: ${error}`);
      state.faults.update(settings);
    },
    advanceClock: (seconds) => state.clock.advance(seconds),
    close: async () => {
      await Promise.all([closeServer(servers.https), closeServer(servers.imds)]);
    },
  };
}
