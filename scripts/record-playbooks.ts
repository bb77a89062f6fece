/**
 * `npm run record [-- FILTER...]`: records the sample playbooks against the simulated tenant into
 * test/playbooks/fixtures/, as test/playbooks/catalog.ts says (instance flow, faults, token
 * expiry). FILTER keeps the recordings whose playbook or fixture directory contains it.
 *
 * Each recording gets a fresh tenant (seed 1, fixed port, so origins and tenant data repeat) and
 * a fresh state directory, so it depends on no other and a re-recording changes little: only what
 * the tenant makes up at run time (IDs of created objects, request IDs, times such as
 * signInSessionsValidFromDateTime or a new pass's startDateTime, operation IDs). Secrets are
 * scrubbed by the recorder; before anything is written the recording must replay offline, and
 * afterwards this script checks that no secret of the tenant reached the file.
 *
 * Authorization-code recordings get their code from the tenant's authorize endpoint, which signs
 * the administrator in without a page, exactly as a browser would follow the login URL.
 */
import { systemClock } from '../src/base/clock.js';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { fixtureFile } from '../src/playbook/fixture.js';
import { loadPlaybook } from '../src/playbook/load.js';
import { runPlaybookSession } from '../src/playbook/session.js';
import { createRuntime } from '../src/runtime/compose.js';
import { startSimulator, type Simulator } from '../sim/index.js';
import {
  RECORDINGS,
  ROOT,
  recordingName,
  type PlaybookRecording,
} from '../test/playbooks/catalog.js';

const SEED = 1;
const PORT = Number(process.env.MSGRAPH_USER_RECORD_PORT ?? 47443);

/** Signs the administrator in and returns the code the redirect carries. */
function authorizationCode(sim: Simulator, redirectUri: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: sim.apps.clientSecret.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `offline_access ${sim.url}/.default`,
  });
  const url = `${sim.url}/${sim.tenantId}/oauth2/v2.0/authorize?${query.toString()}`;
  return new Promise((resolve, reject) => {
    request(url, { ca: sim.caPem }, (res) => {
      res.resume();
      const code = new URL(res.headers.location ?? 'http://x/').searchParams.get('code');
      if (code) resolve(code);
      else reject(new Error(`the authorize endpoint answered ${res.statusCode} without a code`));
    })
      .on('error', reject)
      .end();
  });
}

async function paramsFor(sim: Simulator, recording: PlaybookRecording) {
  const params: Record<string, unknown> = { ...sim.paramsFor(recording.flow), ...recording.params };
  if (recording.flow === 'authorization-code') {
    const code = await authorizationCode(sim, String(params.redirect_uri));
    params.creds_auth_code = { identifier: '', password: code };
  }
  return params;
}

/** Values of the tenant's that must never reach a recording. */
function tenantSecrets(sim: Simulator, params: Record<string, unknown>): string[] {
  const { clientSecret, certificate, xsoar } = sim.apps;
  const pemLines = certificate.privateKeyPem.split('\n').filter((l) => l.length > 40);
  const code = (params.creds_auth_code as { password?: string } | undefined)?.password;
  return [clientSecret.clientSecret, xsoar.key, xsoar.tenantToken, ...pemLines, code ?? ''].filter(
    Boolean,
  );
}

async function record(recording: PlaybookRecording): Promise<string> {
  const sim = await startSimulator({ port: PORT, seed: SEED, ...recording.faults });
  try {
    const params = await paramsFor(sim, recording);
    const playbook = await loadPlaybook(join(ROOT, recording.playbook));
    const dir = join(ROOT, recording.fixtureDir);
    const session = () =>
      runPlaybookSession({
        playbook,
        createRuntime,
        mode: { kind: 'record', dir },
        runtime: {
          params,
          ca: sim.caPem,
          // The token expiry playbook's Sleep stands for an hour passing: the tenant expires its
          // tokens instead of anyone waiting.
          ...(recording.expireTokensOnSleep
            ? { clock: { ...systemClock, sleep: async () => sim.expireAllTokens() } }
            : {}),
        },
      });
    const outcome = await session();
    if (!outcome.saved) {
      const failed = outcome.result.tasks.find((t) => t.status === 'failed');
      const why = failed ? `\n  task ${failed.id} (${failed.name}): ${failed.error ?? ''}` : '';
      throw new Error(`not saved: ${outcome.notSaved ?? 'unknown reason'}${why}`);
    }
    const file = fixtureFile(dir, playbook.id);
    const text = await readFile(file, 'utf8');
    const leaked = tenantSecrets(sim, params).filter((secret) => text.includes(secret));
    if (leaked.length > 0) {
      throw new Error(`${file} holds ${leaked.length} secret(s) of the tenant: do not commit it`);
    }
    const stats = sim.stats() as { totalRequests: number; throttled: number };
    const throttled = stats.throttled > 0 ? `, ${stats.throttled} throttled` : '';
    return `${outcome.exchanges} exchanges (${stats.totalRequests} requests${throttled}) -> ${file.slice(ROOT.length)}`;
  } finally {
    await sim.close();
  }
}

async function main(filters: string[]): Promise<number> {
  const chosen = RECORDINGS.filter(
    (r) => filters.length === 0 || filters.some((f) => recordingName(r).includes(f)),
  );
  if (chosen.length === 0) {
    process.stderr.write(`No recording matches ${filters.join(', ')}.\n`);
    return 2;
  }
  let failures = 0;
  for (const recording of chosen) {
    const started = Date.now();
    try {
      const summary = await record(recording);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`recorded ${recordingName(recording)}: ${summary} (${seconds} s)\n`);
    } catch (err) {
      failures++;
      process.stderr.write(`FAILED ${recordingName(recording)}: ${(err as Error).message}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
