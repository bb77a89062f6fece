import { expect } from 'chai';
import sinon from 'sinon';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/playbook/fixture.js';
import type { SessionResult } from '../../src/playbook/session.js';
import { PlaybookReplayError, recordPlaybook, replayPlaybook } from '../../src/playbook/testing.js';
import { CANARY, TENANT, startMiniTenant, testCreateRuntime, type MiniTenant } from './support.js';

const PLAYBOOK = 'test/playbook/fixtures/offboarding.yml';
const FIXTURE_NAME = 'MSGraphUser_Offboarding__Test_.json';
const inputs = { new_password: CANARY.password };
const replayOptions = { createRuntime: testCreateRuntime, inputs };

/** A run's observable result, with this run's generated UUID replaced. */
function observable(outcome: SessionResult): string {
  const uuid = String(outcome.result.context.GeneratedUUID);
  const tasks = outcome.result.tasks.map(({ durationMs: _d, ...task }) => task);
  return JSON.stringify({ tasks, context: outcome.result.context }).split(uuid).join('<uuid>');
}

describe('playbook recording and replay (real runtime, local HTTPS tenant)', () => {
  let tenant: MiniTenant;
  let dir: string;
  let fixtureText: string;
  let recorded: SessionResult;

  before(async () => {
    tenant = await startMiniTenant();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-pb-record-'));
    recorded = await recordPlaybook(PLAYBOOK, dir, {
      params: tenant.params(),
      runtime: { ca: tenant.ca },
      createRuntime: testCreateRuntime,
      inputs,
    });
    fixtureText = await readFile(join(dir, FIXTURE_NAME), 'utf8');
    // Every replay below runs with the tenant gone: only the recording can answer.
    await tenant.close();
  });

  after(() => rm(dir, { recursive: true, force: true }));

  const fixture = () => JSON.parse(fixtureText) as Fixture;
  /** Writes an edited copy of the recording into its own directory. */
  async function editedCopy(edit: (f: Fixture) => void): Promise<string> {
    const copy = await mkdtemp(join(dir, 'edited-'));
    const f = fixture();
    edit(f);
    await writeFile(join(copy, FIXTURE_NAME), JSON.stringify(f, null, 2));
    return copy;
  }

  it('records every exchange, identity included, into one file named after the playbook id', async () => {
    expect(recorded.saved).to.equal(true);
    expect(await readdir(dir)).to.deep.equal([FIXTURE_NAME]);
    const { exchanges } = fixture();
    expect(exchanges.map((e) => `${e.task} ${e.request.method} ${e.request.path}`)).to.deep.equal([
      '3 Get the user POST /c0ffee00-0000-4000-8000-000000000001/oauth2/v2.0/token',
      '3 Get the user GET /v1.0/users/kim%40contoso.test',
      '5 Rename the user PATCH /v1.0/users/kim%40contoso.test',
      '6 Get the user again GET /v1.0/users/kim%40contoso.test',
      '8 Create a replacement account POST /v1.0/users',
    ]);
    expect(exchanges[4]!.response).to.deep.include({
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
    expect(fixtureText).to.equal(`${JSON.stringify(fixture(), null, 2)}\n`);
  });

  it('never writes a secret used while recording', () => {
    for (const [name, canary] of Object.entries(CANARY)) {
      expect(fixtureText, `canary ${name}`).not.to.include(canary);
    }
    expect(fixtureText).not.to.match(/authorization"|Bearer\s/i);
  });

  it('names secrets with stable placeholders, consistent between params and requests', () => {
    const f = fixture();
    const creds = f.params!.creds_enc_key as Record<string, string>;
    expect(creds.password).to.equal('<client_secret>');
    const [token, , , , create] = f.exchanges;
    expect(token!.request.body).to.deep.include({
      client_secret: '<client_secret>',
      'x-client-VER': '<volatile>',
    });
    expect(token!.response.body).to.deep.include({ access_token: '<access_token:1>' });
    expect(create!.request.body).to.deep.equal({
      displayName: 'Kim Replacement',
      mailNickname: 'kim2',
      userPrincipalName: 'kim2@contoso.test',
      passwordProfile: { password: '<password>', note: 'previous <redacted>' },
    });
    // Identifiers stay readable: they are part of the token URL.
    expect(f.params!.creds_tenant_id).to.deep.equal({ identifier: '', password: TENANT });
  });

  it('stores GenerateUUID values as placeholders and replays them with the new run values', async () => {
    const [, , patch, again] = fixture().exchanges;
    expect(patch!.request.body).to.deep.equal({ displayName: 'Kim <generated_uuid:1>' });
    expect(again!.response.body).to.deep.include({ displayName: 'Kim <generated_uuid:1>' });
    const outcome = await replayPlaybook(PLAYBOOK, dir, replayOptions);
    const uuid = String(outcome.result.context.GeneratedUUID);
    expect(outcome.result.tasks.find((t) => t.id === '7')!.args.expectedValue).to.equal(
      `Kim ${uuid}`,
    );
  });

  it('replays offline: completed, every request matched, every exchange used', async () => {
    const outcome = await replayPlaybook(PLAYBOOK, dir, replayOptions);
    expect(outcome.result.status).to.equal('completed');
    expect(outcome.unmatched).to.deep.equal([]);
    expect(outcome.unused).to.deep.equal([]);
  });

  it('serves identical requests once each, in recorded order', async () => {
    const outcome = await replayPlaybook(PLAYBOOK, dir, replayOptions);
    const text = (id: string) =>
      outcome.result.tasks.find((t) => t.id === id)!.entries[0]!.HumanReadable;
    expect(text('3')).to.equal('## Kim Akers');
    expect(text('6')).to.equal(`## Kim ${String(outcome.result.context.GeneratedUUID)}`);
  });

  it('replays deterministically, ten runs in a row', async () => {
    const runs: string[] = [];
    for (let i = 0; i < 10; i++) {
      runs.push(observable(await replayPlaybook(PLAYBOOK, dir, replayOptions)));
    }
    expect(new Set(runs).size).to.equal(1);
  });

  it('stores when it was recorded, and replays on that clock with the system clock ten years ahead', async () => {
    const recordedAt = Date.parse(fixture().recordedAt ?? '');
    expect(Math.abs(recordedAt - Date.now())).to.be.below(3_600_000);
    const tenYears = 10 * 365 * 24 * 3600_000;
    const clock = sinon.useFakeTimers({ now: Date.now() + tenYears, toFake: ['Date'] });
    try {
      const outcome = await replayPlaybook(PLAYBOOK, dir, replayOptions);
      expect(outcome.result.status).to.equal('completed');
    } finally {
      clock.restore();
    }
  });

  it('runs two replays in one process at the same time, each from its own recording', async () => {
    const other = await editedCopy((f) => {
      const get = f.exchanges.find((e) => e.request.method === 'GET')!;
      (get.response.body as Record<string, unknown>).displayName = 'Kim Other';
    });
    const [original, edited] = await Promise.all([
      replayPlaybook(PLAYBOOK, dir, replayOptions),
      replayPlaybook(PLAYBOOK, other, { ...replayOptions, allowUnused: true }).catch(
        (err: PlaybookReplayError) => err.outcome,
      ),
    ]);
    const shown = (outcome: SessionResult) =>
      outcome.result.tasks.find((t) => t.id === '3')!.entries[0]!.HumanReadable;
    expect(shown(original)).to.equal('## Kim Akers');
    expect(shown(edited)).to.equal('## Kim Other');
    expect(original.unmatched).to.deep.equal([]);
  });

  it('fails the task of an unmatched request, naming it and the nearest recorded exchange', async () => {
    const error = await replayPlaybook(PLAYBOOK, dir, {
      ...replayOptions,
      inputs: { ...inputs, user: 'sara@contoso.test' },
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PlaybookReplayError);
    const message = (error as Error).message;
    expect(message).to.include(
      'the playbook failed at [3] Get the user: !msgraph-user-get user=sara@contoso.test -> failed',
    );
    expect(message).to.include(
      `no recorded exchange left for GET ${tenant.url}/v1.0/users/sara%40contoso.test`,
    );
    expect(message).to.include(
      `nearest recorded: #2 GET ${tenant.url}/v1.0/users/kim%40contoso.test (recorded during task "3 Get the user")`,
    );
    expect(message).to.include('differs in path: recorded /v1.0/users/kim%40contoso.test');
    const outcome = (error as PlaybookReplayError).outcome;
    expect(outcome.unmatched).to.have.length(1);
    expect(outcome.result.tasks.map((t) => t.status)).to.deep.equal([
      'completed',
      'completed',
      'completed',
      'failed',
    ]);
  });

  it('says when a request was recorded but every copy is used up', async () => {
    const copy = await editedCopy((f) => f.exchanges.splice(3, 1));
    const error = await replayPlaybook(PLAYBOOK, copy, replayOptions).catch((e: unknown) => e);
    expect((error as Error).message).to.include('every recorded copy was already used');
  });

  it('reports exchanges left unused, and fails on them unless allowed', async () => {
    const copy = await editedCopy((f) => {
      f.exchanges.push({
        task: '9 Done',
        request: { method: 'DELETE', origin: tenant.url, path: '/v1.0/users/kim2' },
        response: { status: 204 },
      });
    });
    const error = await replayPlaybook(PLAYBOOK, copy, replayOptions).catch((e: unknown) => e);
    expect((error as Error).message).to.include(
      `1 recorded exchange(s) were never used:\n  #6 DELETE ${tenant.url}/v1.0/users/kim2 (recorded during task "9 Done")`,
    );
    const outcome = await replayPlaybook(PLAYBOOK, copy, { ...replayOptions, allowUnused: true });
    expect(outcome.unused).to.have.length(1);
  });

  it('an edited recorded response fails exactly the assertion that depends on it', async () => {
    const copy = await editedCopy((f) => {
      (f.exchanges[3]!.response.body as Record<string, unknown>).displayName = 'Kim Somebody';
    });
    const error = await replayPlaybook(PLAYBOOK, copy, replayOptions).catch((e: unknown) => e);
    const { result } = (error as PlaybookReplayError).outcome;
    const uuid = String(result.context.GeneratedUUID);
    expect(result.tasks.filter((t) => t.status === 'failed').map((t) => t.id)).to.deep.equal(['7']);
    expect(result.error).to.equal(
      `task 7 (Verify the new name) failed: VerifyContext: MSGraphUser.displayName is "Kim Somebody", expected "Kim ${uuid}".`,
    );
    expect((error as Error).message).to.include('[7] Verify the new name');
  });

  it('refuses to save the recording of a playbook that failed', async () => {
    const fresh = await startMiniTenant();
    const out = await mkdtemp(join(dir, 'failed-'));
    try {
      const error = await recordPlaybook(PLAYBOOK, out, {
        params: fresh.params(),
        runtime: { ca: fresh.ca },
        createRuntime: testCreateRuntime,
        inputs: { ...inputs, user: 'nobody@contoso.test' },
      }).catch((e: unknown) => e);
      expect((error as Error).message).to.include(
        'was not saved: the playbook failed while recording',
      );
      expect(await readdir(out)).to.deep.equal([]);
    } finally {
      await fresh.close();
    }
  });

  it('keeps hand-listed volatile fields when re-recording', async () => {
    const fresh = await startMiniTenant();
    const copy = await editedCopy((f) => (f.volatile = ['mailNickname']));
    try {
      await recordPlaybook(PLAYBOOK, copy, {
        params: fresh.params(),
        runtime: { ca: fresh.ca },
        createRuntime: testCreateRuntime,
        inputs,
      });
      const again = JSON.parse(await readFile(join(copy, FIXTURE_NAME), 'utf8')) as Fixture;
      expect(again.volatile).to.deep.equal(['mailNickname']);
      expect(again.exchanges[4]!.request.body).to.deep.include({ mailNickname: '<volatile>' });
    } finally {
      await fresh.close();
    }
  });
});
