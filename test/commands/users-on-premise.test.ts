/**
 * msgraph-user-change-password-on-premise beyond what a spec states: the bounded poll (with a fake
 * PollClock), the scheduled re-run that keeps the user, and a generated password that never shows.
 */
import { expect } from 'chai';
import nock from 'nock';
import { changePasswordOnPremise } from '../../commands/msgraph-user-change-password-on-premise.js';
import type { PollClock } from '../../commands/shared/polling.js';
import type { Entry } from '../../src/command/entries.js';
import type { Progress } from '../../src/base/progress.js';
import { commandRuntime, intercept, type Exchange } from './harness.js';

const USER = 'AdeleV@contoso.com';
const USER_PATH = '/v1.0/users/AdeleV%40contoso.com';
const METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const OPERATION_PATH =
  '/v1.0/users/6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0/authentication/operations/77bafe36-3ac0-4f89-96e4-a4a5a48da851';
const POLLING_URL = `https://graph.microsoft.com${OPERATION_PATH}?aadgdc=DUB02P&aadgsu=ssprprod-a`;
const JSON_HEADERS = { 'content-type': 'application/json' };

const passwordMethods: Exchange = {
  method: 'GET',
  path: `${USER_PATH}/authentication/passwordMethods`,
  status: 200,
  response: { value: [{ id: METHOD_ID, password: null, creationDateTime: null }] },
  responseHeaders: JSON_HEADERS,
};
const reset = (response: unknown, headers: Record<string, string> = {}): Exchange => ({
  method: 'POST',
  path: `${USER_PATH}/authentication/methods/${METHOD_ID}/resetPassword`,
  body: { newPassword: 'Cuyo5459' },
  status: 202,
  response,
  responseHeaders: { ...JSON_HEADERS, location: POLLING_URL, ...headers },
});
const operation = (status: string): Exchange => ({
  method: 'GET',
  path: OPERATION_PATH,
  query: { aadgdc: 'DUB02P', aadgsu: 'ssprprod-a' },
  status: 200,
  response: { status, id: '77bafe36-3ac0-4f89-96e4-a4a5a48da851' },
  responseHeaders: JSON_HEADERS,
});

function fakeClock(budgetMs: number): PollClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => Date.UTC(2025, 0, 1),
    budgetMs,
    defaultWaitMs: 5_000,
    maxWaitMs: 30_000,
  };
}

async function run(
  exchanges: Exchange[],
  args: Record<string, unknown>,
  clock: PollClock,
  progress?: Progress,
) {
  const scopes = exchanges.map(intercept);
  const runtime = await commandRuntime({
    flow: 'authorization-code',
    progress,
    handlers: {
      'msgraph-user-change-password-on-premise': changePasswordOnPremise(() => clock),
    },
  });
  const entries = await runtime.run('msgraph-user-change-password-on-premise', args);
  for (const scope of scopes) expect(scope.isDone(), JSON.stringify(entries)).to.equal(true);
  return { runtime, entries };
}

describe('msgraph-user-change-password-on-premise polling', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('polls within its budget (Retry-After first), then schedules a re-run that keeps the user', async () => {
    const clock = fakeClock(10_000);
    const advances: (string | undefined)[] = [];
    const progress: Progress = {
      begin: () => ({ advance: (_by, detail) => void advances.push(detail), end() {} }),
    };
    const { entries } = await run(
      [
        passwordMethods,
        reset({}, { 'retry-after': '4' }),
        operation('running'),
        operation('running'),
      ],
      { user: USER, password: 'Cuyo5459' },
      clock,
      progress,
    );
    expect(clock.sleeps).to.deep.equal([4_000, 5_000]);
    expect(advances).to.deep.equal(['running', 'running']);
    const [entry] = entries as [Entry];
    expect(entry.HumanReadable).to.equal(
      `Password reset status for **${USER}** is **running**. Still waiting...`,
    );
    expect(entry.PollingCommand).to.equal('msgraph-user-change-password-on-premise');
    expect(entry.NextRun).to.equal('30');
    expect(entry.Timeout).to.equal('600');
    expect(entry.PollingArgs).to.deep.equal({ user: USER, polling_url: POLLING_URL });
    expect(JSON.stringify(entries)).to.not.contain('Cuyo5459');
  });

  it('a scheduled re-run checks the operation once and still names the user', async () => {
    const clock = fakeClock(60_000);
    const { entries } = await run(
      [operation('succeeded')],
      { user: USER, polling_url: POLLING_URL },
      clock,
    );
    expect(clock.sleeps).to.deep.equal([]);
    expect(entries[0]!.HumanReadable).to.equal(
      `Password reset **succeeded** for user **${USER}**.`,
    );
    expect(entries[0]!.PollingCommand).to.equal(undefined);
  });

  it('never shows a password Graph generated', async () => {
    const generated = 'Gen-Erated-Pass-77';
    const clock = fakeClock(60_000);
    const { runtime, entries } = await run(
      [
        passwordMethods,
        reset({
          '@odata.context':
            'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordResetResponse',
          newPassword: generated,
        }),
        operation('succeeded'),
      ],
      { user: USER, password: 'Cuyo5459' },
      clock,
    );
    expect(JSON.stringify(entries)).to.not.contain(generated);
    expect(runtime.redactor.redact(`log line with ${generated}`)).to.not.contain(generated);
  });

  it('refuses a polling_url on another host without sending the token', async () => {
    const { entries } = await run(
      [],
      { user: USER, polling_url: 'https://evil.example/v1.0/x' },
      fakeClock(0),
    );
    expect(entries[0]!.Type).to.equal(4);
    expect(String(entries[0]!.Contents)).to.contain('Refusing to send the Graph access token');
  });
});
