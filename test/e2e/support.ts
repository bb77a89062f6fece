/**
 * Shared machinery of the end-to-end suites: the built CLI run as a child process against an
 * in-process simulated tenant, every run's output kept for the secret scan, and the scan itself.
 *
 * The CLI under test is bin/msgraph-user.js (dist/ is rebuilt once when missing or older than the
 * sources); MSGRAPH_USER_E2E_BIN points the suites at another build instead (no rebuild then).
 * MSGRAPH_USER_E2E_KEEP=1 keeps the temporary folders (params, state) for a look afterwards.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TokenService } from '../../sim/identity/tokens.js';
import type { Simulator } from '../../sim/index.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = process.env.MSGRAPH_USER_E2E_BIN
  ? resolve(process.env.MSGRAPH_USER_E2E_BIN)
  : join(ROOT, 'bin', 'msgraph-user.js');

/** Generous: a loaded 2-core machine can take seconds to start a Node process. */
export const RUN_TIMEOUT_MS = 45_000;

// ---------------------------------------------------------------------------------------------
// The build

const SOURCES = ['src', 'commands', 'sim', 'scripts/build.ts', 'integration.yml', 'package.json'];

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function distIsFresh(): boolean {
  const built = ['dist/cli/warm.pack.cjs', 'dist/manifest.json'].map(
    (file) => statSync(join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs ?? 0,
  );
  const oldestOutput = Math.min(...built);
  if (oldestOutput === 0) return false;
  return SOURCES.every((source) => newestMtime(join(ROOT, source)) <= oldestOutput);
}

let building: Promise<void> | undefined;

/** Builds dist/ once per mocha process when it is missing or stale (`npm test` builds first). */
export function ensureBuilt(): Promise<void> {
  if (process.env.MSGRAPH_USER_E2E_BIN || distIsFresh()) return Promise.resolve();
  building ??= new Promise<void>((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/build.ts'],
      { cwd: ROOT, timeout: 150_000 },
      (error, _stdout, stderr) => {
        if (error) fail(new Error(`npm run build failed: ${stderr || error.message}`));
        else done();
      },
    );
  });
  return building;
}

// ---------------------------------------------------------------------------------------------
// Temporary files

const temps: string[] = [];

export function tempDir(prefix = 'msgraph-user-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  if (process.env.MSGRAPH_USER_E2E_KEEP) return;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes integration params as JSON (the CLI reads `.json` params files as JSON). */
export function writeParams(dir: string, name: string, params: object): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(params, null, 2), { mode: 0o600 });
  return file;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

// ---------------------------------------------------------------------------------------------
// What the simulator issues

/**
 * Records every access token, refresh token, id token and authorization code the simulator issues
 * while installed (it wraps the sim's TokenService, which runs in this process).
 */
export function recordIssuedTokens(): { values: Set<string>; restore(): void } {
  const values = new Set<string>();
  const proto = TokenService.prototype;
  const original = {
    issueAccess: proto.issueAccess,
    issueRefresh: proto.issueRefresh,
    issueCode: proto.issueCode,
    idToken: proto.idToken,
  };
  proto.issueAccess = function (this: TokenService, ...args) {
    const issued = original.issueAccess.apply(this, args);
    values.add(issued.token);
    return issued;
  };
  proto.issueRefresh = function (this: TokenService, ...args) {
    const token = original.issueRefresh.apply(this, args);
    values.add(token);
    return token;
  };
  proto.issueCode = function (this: TokenService, ...args) {
    const code = original.issueCode.apply(this, args);
    values.add(code);
    return code;
  };
  proto.idToken = function (this: TokenService, ...args) {
    const token = original.idToken.apply(this, args);
    values.add(token);
    return token;
  };
  return {
    values,
    restore: () => Object.assign(proto, original),
  };
}

/** Shapes of what the sim issues, for values minted outside TokenService (oproxy refresh tokens). */
export const TOKEN_SHAPES: RegExp[] = [
  /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/, // JWTs: access and id tokens
  /1\.ASIM[\w-]{16,}/, // refresh tokens and authorization codes
  /oproxy\.[\w-]{16,}/, // oproxy refresh tokens
];

/** The credentials of the sim's apps that must never be printed (identifiers are public). */
export function configuredSecrets(sim: Simulator): string[] {
  const { clientSecret, certificate, xsoar } = sim.apps;
  const keyLines = certificate.privateKeyPem
    .split('\n')
    .filter((line) => line.length >= 32 && !line.startsWith('-----'));
  return [
    clientSecret.clientSecret,
    certificate.privateKeyPem,
    ...keyLines,
    xsoar.key,
    xsoar.tenantToken,
    xsoar.tenantToken.slice(xsoar.tenantToken.indexOf(':') + 1),
  ];
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables that would point the CLI somewhere else than the test says. */
const INHERITED_OUT = [
  'MSGRAPH_USER_PARAMS',
  'MSGRAPH_USER_STATE_DIR',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'ALL_PROXY',
  'https_proxy',
  'http_proxy',
  'all_proxy',
  'NODE_EXTRA_CA_CERTS',
];

/** A CLI bound to one simulator and one state directory; it keeps every run for the scan. */
export class Cli {
  readonly runs: { args: string[]; stdout: string; stderr: string }[] = [];
  readonly env: NodeJS.ProcessEnv;
  /** HOME of the runs: an empty folder, so state written anywhere but the state dir shows. */
  readonly home = tempDir('msgraph-user-e2e-home-');

  constructor(
    readonly sim: Simulator,
    readonly stateDir: string,
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of INHERITED_OUT) delete env[name];
    this.env = {
      ...env,
      NODE_EXTRA_CA_CERTS: sim.caFile,
      MSGRAPH_USER_STATE_DIR: stateDir,
      HOME: this.home,
      USERPROFILE: this.home,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: sim.imdsUrl,
      NO_COLOR: '1',
    };
  }

  /** Starts `msgraph-user ...args`; the caller reads the streams while it runs. */
  start(args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = { args, stdout: '', stderr: '' };
    this.runs.push(run);
    child.stdout.setEncoding('utf8').on('data', (text: string) => (run.stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    const exited = new Promise<CliResult>((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout: run.stdout, stderr: run.stderr });
      });
    });
    return { child, run, exited };
  }

  run(...args: string[]): Promise<CliResult> {
    return this.start(args).exited;
  }
}

// ---------------------------------------------------------------------------------------------
// Playing the browser

export interface Response {
  status: number;
  location?: string;
  body: string;
}

/** GET over HTTPS trusting the sim's CA, without following redirects. */
export function httpsGetOnce(url: string, ca: string): Promise<Response> {
  return new Promise((done, fail) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, location: res.headers.location, body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

/** Resolves with the first match of `pattern` in what `read()` returns, polling until `exited`. */
export async function waitForOutput(
  read: () => string,
  pattern: RegExp,
  exited: Promise<unknown>,
): Promise<string> {
  let over = false;
  void exited.finally(() => (over = true));
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match[0];
    if (over || Date.now() > deadline) {
      throw new Error(`no ${pattern} in the output:\n${read()}`);
    }
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** For assertion messages: what the CLI printed. */
export const printed = (result: CliResult): string =>
  `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

// ---------------------------------------------------------------------------------------------
// Simulator statistics

export interface Stats {
  totalRequests: number;
  requests: Record<string, number>;
  batchItems: Record<string, number>;
  tokensIssued: Record<string, number>;
  throttled: number;
  unavailable: number;
}

export const stats = (sim: Simulator): Stats => sim.stats() as unknown as Stats;

/** Requests to any token endpoint (v2, v1, oproxy, IMDS). */
export const tokenRequests = (s: Stats): number =>
  Object.entries(s.requests)
    .filter(([route]) => /token$/.test(route))
    .reduce((sum, [, n]) => sum + n, 0);

// ---------------------------------------------------------------------------------------------
// The secret scan

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const octal = (mode: number): string => (mode & 0o777).toString(8);

export interface SecretScan {
  /** The context.json files that hold tokens (relative to the state directory). */
  tokenFiles: string[];
}

/**
 * Fails when any run printed a secret, or the state directory stores one where it should not.
 * `credentials` (configured secrets, passwords) must be printed nowhere and stored nowhere;
 * `tokens` (what the sim issued, and anything shaped like it) must be printed nowhere and stored
 * only in context.json files of mode 0600, in directories of mode 0700. Nothing may be written
 * under HOME.
 */
export function expectNoLeaks(
  cli: Cli,
  leaks: { credentials: Iterable<string>; tokens: Iterable<string> },
): SecretScan {
  const usable = (values: Iterable<string>) => [...new Set(values)].filter((s) => s.length >= 8);
  const credentials = usable(leaks.credentials);
  const tokens = usable(leaks.tokens);
  expect(credentials.length, 'no credentials to look for').to.be.greaterThan(0);
  const findIn = (text: string, values: string[]): string | undefined => {
    const found = values.find((secret) => text.includes(secret));
    return found ? `"${found.slice(0, 8)}…"` : undefined;
  };
  const findToken = (text: string): string | undefined => {
    const exact = findIn(text, tokens);
    if (exact) return exact;
    const shaped = TOKEN_SHAPES.find((shape) => shape.test(text));
    return shaped ? `something shaped like ${shaped}` : undefined;
  };

  for (const run of cli.runs) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const leak = findIn(run[stream], credentials) ?? findToken(run[stream]);
      expect(leak, `msgraph-user ${run.args.join(' ')} printed ${leak} on ${stream}`).to.equal(
        undefined,
      );
    }
  }

  expect(filesUnder(cli.home), 'files written under HOME').to.deep.equal([]);
  const tokenFiles: string[] = [];
  for (const file of filesUnder(cli.stateDir)) {
    const name = relative(cli.stateDir, file);
    const text = readFileSync(file, 'utf8');
    const credential = findIn(text, credentials);
    expect(credential, `${name} stores the credential ${credential}`).to.equal(undefined);
    const token = findToken(text);
    if (!token) continue;
    expect(basename(file), `${name} holds ${token}`).to.equal('context.json');
    expect(octal(statSync(file).mode), `mode of ${name}`).to.equal('600');
    for (let dir = dirname(file); dir !== cli.stateDir; dir = dirname(dir)) {
      expect(statSync(dir).mode & 0o777, `mode of ${relative(cli.stateDir, dir)}/`).to.equal(0o700);
    }
    tokenFiles.push(name);
  }
  return { tokenFiles };
}

/** Tokens an instance's context.json holds (to check they are the sim's and never printed). */
export function tokensInState(stateDir: string): string[] {
  return filesUnder(stateDir)
    .filter((file) => basename(file) === 'context.json')
    .flatMap((file) => strings(JSON.parse(readFileSync(file, 'utf8'))))
    .filter((s) => TOKEN_SHAPES.some((shape) => shape.test(s)));
}
