/**
 * The command test harness. A command's behaviour is declared as data (a CommandSpec: arguments,
 * the exact Graph exchanges, the expected war-room text and context) and run here against nock,
 * with a fixed-token auth session. From each spec's first case the harness derives the failure
 * paths every Graph command must handle: 403, 400, 404 and a 429 that is retried to success.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { createClock } from '../../src/base/clock.js';
import type { AuthFlow } from '../../src/auth/flow.js';
import type { AuthSession } from '../../src/auth/types.js';
import type { ManifestCommand } from '../../src/manifest/types.js';
import type { Entry } from '../../src/command/entries.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/compose.js';

export const GRAPH = 'https://graph.microsoft.com';
export const TEST_TOKEN = 'test-access-token-0123456789';

/** One HTTP exchange: the request the command must send and the response it gets. */
export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The exact (encoded) path, e.g. `/v1.0/users/a%40x.com`. */
  path: string;
  /** The exact query; omitted means none. */
  query?: Record<string, string>;
  /** The exact JSON body; omitted means none is checked. */
  body?: unknown;
  /** Request headers that must be present with these values. */
  headers?: Record<string, string>;
  status: number;
  response?: unknown;
  responseHeaders?: Record<string, string>;
  /** Another origin than Graph (the MFA service, a token endpoint). */
  origin?: string;
}

export interface CommandCase {
  name: string;
  args: Record<string, unknown>;
  /** Extra instance parameters (merged over client-credentials defaults). */
  params?: Record<string, unknown>;
  flow?: AuthFlow;
  exchanges: Exchange[];
  expect: {
    humanReadable?: string | RegExp;
    context?: Record<string, unknown> | null;
    contents?: unknown;
    /** Entry type of the first entry (default 1). */
    type?: number;
    /** Text an error entry (or any entry) must contain. */
    contains?: string[];
    /**
     * Every entry the command returns, compared whole (Type, ContentsFormat, Contents,
     * HumanReadable, EntryContext, file fields). A file entry's FileID is random: write FILE_ID.
     */
    entries?: Entry[];
  };
}

/** Stands for the random FileID of a file entry in `expect.entries`. */
export const FILE_ID = '<FileID>';

/**
 * A not-found note of a user command, as the reference's decorator returned it: a bare string,
 * which XSOAR stores as text Contents with no HumanReadable.
 */
export const noteEntry = (text: string): Entry => ({
  Type: 1,
  ContentsFormat: 'text',
  Contents: text,
  HumanReadable: null,
  EntryContext: {},
});

export interface CommandSpec {
  command: string;
  cases: CommandCase[];
  /** What a 404 on the first request becomes: a note (handle_error) or an error entry. */
  notFound: { note: string } | 'error';
  /** Commands that make no Graph call say why the derived failure cases do not apply. */
  noGraphCalls?: string;
}

export const clientCredentialsParams = {
  self_deployed: true,
  creds_auth_id: { password: '11111111-2222-3333-4444-555555555555' },
  creds_tenant_id: { password: 'contoso.onmicrosoft.com' },
  creds_enc_key: { password: 'client-secret-value-xyz' },
};

export function staticAuth(flow: AuthFlow = 'client-credentials'): AuthSession {
  return {
    flow,
    config: { flow },
    getAccessToken: async () => TEST_TOKEN,
    invalidate: async () => undefined,
  };
}

export async function commandRuntime(
  options: Partial<RuntimeOptions> & { flow?: AuthFlow } = {},
): Promise<Runtime> {
  const { flow, params, ...rest } = options;
  const delegated =
    flow === 'authorization-code' ? { redirect_uri: 'http://localhost:8765/callback' } : {};
  return createRuntime({
    stateDir: mkdtempSync(join(tmpdir(), 'msgraph-user-cmd-')),
    params: { ...clientCredentialsParams, ...delegated, ...params },
    authSession: staticAuth(flow),
    clock: createClock({ scale: 0 }),
    ...rest,
  });
}

/** Registers one exchange with nock; the request must match exactly or nock refuses it. */
export function intercept(exchange: Exchange): nock.Scope {
  const scope = nock(exchange.origin ?? GRAPH, {
    reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, ...(exchange.headers ?? {}) },
  });
  const method = exchange.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const interceptor =
    exchange.body === undefined
      ? scope[method](exchange.path)
      : scope[method](exchange.path, exchange.body as nock.RequestBodyMatcher);
  interceptor.query(exchange.query ?? {});
  interceptor.reply(exchange.status, exchange.response as nock.Body, exchange.responseHeaders);
  return scope;
}

export async function runCase(
  testCase: CommandCase,
  command: string,
  exchanges = testCase.exchanges,
): Promise<Entry[]> {
  const scopes = exchanges.map(intercept);
  const runtime = await commandRuntime({ params: testCase.params, flow: testCase.flow });
  const entries = await runtime.run(command, testCase.args);
  for (const scope of scopes) {
    expect(
      scope.isDone(),
      `unused interceptors: ${scope.pendingMocks().join(', ')}\nentries: ${JSON.stringify(entries)}`,
    ).to.equal(true);
  }
  return entries;
}

/** `Prefix(val.X == obj.X)` -> `Prefix`; nested objects and lists flatten to dotted leaf paths. */
export function writtenContextPaths(entryContext: Record<string, unknown> | null): string[] {
  const paths = new Set<string>();
  const walk = (path: string, value: unknown) => {
    if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
      value.forEach((v) => walk(path, v));
    } else if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0
    ) {
      for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
    } else {
      paths.add(path);
    }
  };
  for (const [key, value] of Object.entries(entryContext ?? {})) {
    walk(key.replace(/\(.*\)$/, ''), value);
  }
  return [...paths];
}

/** Every path a command writes must be declared in its manifest outputs (or under a declared path). */
export function expectDeclaredContext(command: ManifestCommand, entries: Entry[]): void {
  const declared = new Set((command.outputs ?? []).map((o) => o.contextPath));
  const undeclared = entries
    .flatMap((e) => writtenContextPaths(e.EntryContext))
    .filter((path) => {
      const parts = path.split('.');
      return !parts.some((_, i) => declared.has(parts.slice(0, i + 1).join('.')));
    });
  expect(
    undeclared,
    `${command.name} writes context paths its manifest outputs do not declare`,
  ).to.deep.equal([]);
}

export function expectCaseResult(testCase: CommandCase, entries: Entry[]): void {
  const [first] = entries;
  expect(first, 'the command returned no entry').to.not.equal(undefined);
  const { expect: want } = testCase;
  if (want.entries) {
    const stable = entries.map((e) => (e.FileID ? { ...e, FileID: FILE_ID } : e));
    expect(stable).to.deep.equal(want.entries);
  }
  const firstType = want.type ?? want.entries?.[0]?.Type ?? 1;
  expect(first!.Type, `entry: ${JSON.stringify(first)}`).to.equal(firstType);
  if (typeof want.humanReadable === 'string') {
    expect(first!.HumanReadable).to.equal(want.humanReadable);
  }
  if (want.humanReadable instanceof RegExp) {
    expect(String(first!.HumanReadable)).to.match(want.humanReadable);
  }
  if (want.context !== undefined) expect(first!.EntryContext).to.deep.equal(want.context);
  if (want.contents !== undefined) expect(first!.Contents).to.deep.equal(want.contents);
  for (const text of want.contains ?? []) {
    expect(JSON.stringify(entries)).to.contain(JSON.stringify(text).slice(1, -1));
  }
}

export function graphError(status: number, code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: '2024-01-01T00:00:00',
        'request-id': 'req-0000-test',
        'client-request-id': 'req-0000-test',
      },
    },
  };
}
