/**
 * The network side of the bad-input corpus: nock with the network off, one persisted scope per
 * host the runtime may call (Graph, the identity platform, the MFA service) recording every
 * request, and the two ways a case is run (the CLI's `main`, or a runtime for the commands that
 * need a delegated instance).
 */
import nock from 'nock';
import { join } from 'node:path';
import type { AuthSession } from '../../src/auth/types.js';
import { entryText, isErrorEntry } from '../../src/command/entries.js';
import { createRuntime } from '../../src/runtime/compose.js';
import {
  runInProcess,
  runtimeCase,
  setInterception,
  writeJson,
  type CliResult,
} from './support.js';

const GRAPH = 'https://graph.microsoft.com';
const LOGIN = 'https://login.microsoftonline.com';
const MFA = 'https://strongauthenticationservice.auth.microsoft.com';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface SentRequest {
  origin: string;
  method: string;
  /** Path and query exactly as sent (still encoded). */
  path: string;
  body: string;
}

export interface Outcome extends CliResult {
  sent: SentRequest[];
}

const notFound = {
  error: { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' },
};

function answer(origin: string): [number, unknown, Record<string, string>] {
  if (origin === LOGIN) {
    const token = { token_type: 'Bearer', expires_in: 3600, access_token: 'rel-access-token' };
    return [200, token, { 'content-type': 'application/json' }];
  }
  if (origin === MFA) return [404, 'no such connector', { 'content-type': 'text/plain' }];
  // Every Graph object is missing: each command stops after its first request, and a missing
  // user is a note (handle_error), so a case shows exactly where the value went.
  return [404, notFound, { 'content-type': 'application/json' }];
}

/** Records every request to the hosts above; any other host is refused and recorded too. */
export class NetworkRecorder {
  private readonly sent: SentRequest[] = [];
  private readonly onNoMatch = (req: { method?: string; path?: string; host?: string }) => {
    this.sent.push({
      origin: `unmatched://${req.host ?? '?'}`,
      method: req.method ?? '?',
      path: req.path ?? '?',
      body: '',
    });
  };

  private putBack: () => void = () => undefined;

  install(): void {
    this.sent.length = 0;
    this.putBack = setInterception(true);
    nock.disableNetConnect();
    const sent = this.sent;
    for (const origin of [GRAPH, LOGIN, MFA]) {
      const scope = nock(origin).persist();
      for (const method of METHODS) {
        scope
          .intercept(() => true, method)
          .query(true)
          .reply(function (_uri, body) {
            sent.push({
              origin,
              method,
              path: this.req.path,
              body: typeof body === 'string' ? body : JSON.stringify(body),
            });
            return answer(origin);
          });
      }
    }
    nock.emitter.on('no match', this.onNoMatch);
  }

  uninstall(): void {
    nock.emitter.removeListener('no match', this.onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
    this.putBack();
  }

  /** The requests since the last call. */
  take(): SentRequest[] {
    return this.sent.splice(0);
  }
}

const clientCredentials = {
  self_deployed: true,
  creds_auth_id: { password: '11111111-2222-4333-8444-555555555555' },
  creds_tenant_id: { password: 'contoso.onmicrosoft.com' },
  creds_enc_key: { password: 'rel-client-secret-value' },
};

/** A delegated (authorization code) instance, so the delegated-only commands pass their gate. */
const delegated = { ...clientCredentials, redirect_uri: 'http://localhost:8765/callback' };

const staticSession: AuthSession = {
  flow: 'authorization-code',
  config: { flow: 'authorization-code' },
  getAccessToken: async () => 'rel-delegated-token',
  invalidate: async () => undefined,
};

/** Runs cases in one state directory; the client-credentials token is cached after the first. */
export class CaseRunner {
  private paramsFile = '';

  constructor(
    private readonly recorder: NetworkRecorder,
    private readonly stateDir: string,
  ) {}

  async prepare(): Promise<void> {
    this.paramsFile = await writeJson(join(this.stateDir, 'params.json'), clientCredentials);
    await this.cli('msgraph-user-get', { user: 'prewarm@contoso.com' });
  }

  /** `msgraph-user COMMAND name=value ...` through the CLI's main, in this process. */
  async cli(command: string, args: Record<string, string>, extra: string[] = []): Promise<Outcome> {
    this.recorder.take();
    const argv = [
      command,
      ...Object.entries(args).map(([name, value]) => `${name}=${value}`),
      '--params',
      this.paramsFile,
      '--state-dir',
      join(this.stateDir, 'state'),
      ...extra,
    ];
    const result = await runInProcess(argv);
    return { ...result, sent: this.recorder.take() };
  }

  /** The same through a runtime of a delegated instance, printed the way the CLI prints. */
  async delegated(command: string, args: Record<string, string>): Promise<Outcome> {
    this.recorder.take();
    const started = performance.now();
    const runtime = await createRuntime({
      params: delegated,
      stateDir: join(this.stateDir, 'delegated'),
      authSession: staticSession,
    });
    const entries = await runtimeCase(
      `${command} ${JSON.stringify(args).slice(0, 200)} (runtime, delegated)`,
      runtime.run(command, args),
    );
    const errors = entries.filter(isErrorEntry).map((e) => `${entryText(e)}\n`);
    const notes = entries.filter((e) => !isErrorEntry(e)).map((e) => `${entryText(e)}\n`);
    return {
      code: errors.length > 0 ? 1 : 0,
      stdout: notes.join(''),
      stderr: errors.join(''),
      ms: performance.now() - started,
      sent: this.recorder.take(),
    };
  }
}
