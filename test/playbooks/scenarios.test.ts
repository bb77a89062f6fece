/**
 * What each sample playbook's recording proves, beyond "it replays": the exchanges that make the
 * scenario (throttling, token expiry, polling, $batch, refusals) are really in the recording, and
 * the replayed context says what the playbook claims.
 */
import { expect } from 'chai';
import type { RecordedExchange } from '../../src/playbook/fixture.js';
import type { TaskResult } from '../../src/playbook/types.js';
import { FIXTURES, RECORDINGS, type PlaybookRecording } from './catalog.js';
import { readRecording, replayedOnce } from './support.js';

const recording = (playbook: string, dir = FIXTURES): PlaybookRecording =>
  RECORDINGS.find((r) => r.playbook === `playbooks/${playbook}` && r.fixtureDir === dir)!;

const byTask = (exchanges: RecordedExchange[], id: string) =>
  exchanges.filter((e) => e.task?.split(' ')[0] === id);

const line = (e: RecordedExchange) =>
  `${e.request.method} ${e.request.path.replace(/^\/[\w-]+\/oauth2/, '/{tenant}/oauth2')} ${e.response.status}`;

const task = (tasks: TaskResult[], id: string) => tasks.find((t) => t.id === id);

describe('sample playbooks: what the recordings show', () => {
  it('offboarding disables Sara, revokes her sessions and deletes only the methods she has', async () => {
    const { result } = await replayedOnce(recording('offboarding.yml'));
    const user = result.context.MSGraphUser as Record<string, unknown>;
    expect(user).to.include({ UserPrincipalName: 'SaraD@msgraphsim.onmicrosoft.com' });
    expect(user.AccountEnabled).to.equal(false);
    expect(user.SignInSessionsValidFromDateTime).not.to.equal(
      (result.context.Offboarding as Record<string, unknown>).SessionsValidFrom,
    );
    const deletes = result.tasks.filter((t) => t.command?.endsWith('-method-delete'));
    expect(deletes.map((t) => t.command)).to.deep.equal([
      'msgraph-user-phone-method-delete',
      'msgraph-user-authenticator-method-delete',
    ]);
    expect(task(result.tasks, '5')!.entries[0]!.HumanReadable).to.include('Patti Fernandez');
    expect(task(result.tasks, '30')!.branch).to.equal('yes');
  });

  it('reference test: a mobile phone with a leading zero stays the text "050505050"', async () => {
    const { result } = await replayedOnce(recording('reference-test.yml'));
    const phones = [result.context.MSGraphUser]
      .flat()
      .map((u) => (u as Record<string, unknown>).MobilePhone);
    expect(phones).to.include('050505050');
    expect(task(result.tasks, '9')!.branch).to.equal('yes');
  });

  it('refused: three refusals on the error branch, and not one request for them', async () => {
    const { result } = await replayedOnce(recording('passwords-refused.yml'));
    const refused = ['2', '3', '4'].map((id) => task(result.tasks, id)!);
    expect(refused.map((t) => t.status)).to.deep.equal(Array(3).fill('error-branch'));
    expect(refused[0]!.error).to.include('works only with delegated permissions');
    expect(refused[1]!.error).to.include('works only with delegated permissions');
    expect(refused[2]!.error).to.include('the "Allow secret generators');
    const { exchanges } = await readRecording(recording('passwords-refused.yml'));
    expect(exchanges.map((e) => e.task)).to.deep.equal([
      '5 Read the password dates',
      '5 Read the password dates',
    ]);
  });

  it('throttled: the recording holds 429s with Retry-After, alone and inside $batch', async () => {
    const { exchanges } = await readRecording(recording('throttled.yml'));
    const throttled = exchanges.filter((e) => e.response.status === 429);
    expect(throttled).to.have.length.at.least(1);
    expect(throttled[0]!.response.headers).to.include({ 'retry-after': '1' });
    const batchItems = exchanges
      .filter((e) => e.request.path === '/v1.0/$batch')
      .flatMap((e) => (e.response.body as { responses: { status: number }[] }).responses);
    expect(batchItems.map((r) => r.status)).to.include(429);
    const { result } = await replayedOnce(recording('throttled.yml'));
    expect(task(result.tasks, '8')!.branch).to.equal('yes');
  });

  for (const [dir, grant] of [
    [FIXTURES, 'client_credentials'],
    [`${FIXTURES}/authorization-code`, 'refresh_token'],
  ] as const) {
    it(`token expiry (${grant}): 401, a new token, then the retry succeeds`, async () => {
      const { exchanges } = await readRecording(recording('token-expiry.yml', dir));
      const expiry = byTask(exchanges, '4');
      expect(expiry.map(line)).to.deep.equal([
        'GET /v1.0/users/kim%40msgraphsim.onmicrosoft.com/manager 401',
        'POST /{tenant}/oauth2/v2.0/token 200',
        'GET /v1.0/users/kim%40msgraphsim.onmicrosoft.com/manager 200',
      ]);
      expect(expiry[1]!.request.body).to.include({ grant_type: grant });
    });
  }

  it('delegated: the code is redeemed once, and the on-premises reset is polled to the end', async () => {
    const { exchanges } = await readRecording(recording('passwords-delegated.yml'));
    const tokens = exchanges.filter((e) => e.request.path.endsWith('/oauth2/v2.0/token'));
    expect(tokens.map((e) => (e.request.body as Record<string, string>).grant_type)).to.deep.equal([
      'authorization_code',
    ]);
    expect(tokens[0]!.request.body).to.include({ code: '<code>' });
    const reset = byTask(exchanges, '11');
    expect(reset[1]!.response).to.deep.include({ status: 202 });
    const polls = reset.filter((e) => e.request.path.includes('/authentication/operations/'));
    expect(polls.length).to.be.at.least(1);
    expect(polls.at(-1)!.response.body).to.include({ status: 'succeeded' });
  });

  it('bulk: five users disabled in one $batch request', async () => {
    const { exchanges } = await readRecording(recording('bulk.yml'));
    const disable = byTask(exchanges, '2').filter((e) => e.request.path === '/v1.0/$batch');
    expect(disable).to.have.length(1);
    const { requests } = disable[0]!.request.body as { requests: { method: string }[] };
    expect(requests.map((r) => r.method)).to.deep.equal(Array(5).fill('PATCH'));
  });

  it('MFA: the secret and the token stay out of the context and the recording', async () => {
    const { result } = await replayedOnce(recording('mfa.yml'));
    const mfa = (result.context.MSGraphUser ?? {}) as Record<string, Record<string, unknown>>;
    expect(Object.keys(mfa.MFAClientSecret!)).to.have.members(['KeyId', 'ValidFrom', 'ValidUntil']);
    expect(Object.keys(mfa.MFAAccessToken!)).to.deep.equal(['ValidUntil']);
    const { exchanges } = await readRecording(recording('mfa.yml'));
    const added = exchanges.find((e) => e.request.path.endsWith('/addPassword'))!;
    expect(added.response.body).to.include({ secretText: '<secret_text>' });
  });
});
