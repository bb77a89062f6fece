/**
 * msgraph-user-tap-policy-create beyond what a spec states: the pass exists only inside the
 * AES-256 archive (which opens with zip_password and not without), never in entries, logs or the
 * redactor's reach; the creating POST is not retried blindly; and how start_time is read.
 */
import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { tapStartDateTime } from '../../commands/shared/start-time.js';
import { UserError } from '../../src/base/errors.js';
import type { Entry } from '../../src/command/entries.js';
import type { Logger } from '../../src/base/log.js';
import type { Runtime } from '../../src/runtime/compose.js';
import { commandRuntime, intercept, type Exchange } from './harness.js';

const USER = 'kim@contoso.com';
const TAP_PATH = '/v1.0/users/kim%40contoso.com/authentication/temporaryAccessPassMethods';
const PASS = '+drkzqAD';
const ZIP_PASSWORD = 'Zip-Pa55word!';
const created: Exchange = {
  method: 'POST',
  path: TAP_PATH,
  body: { lifetimeInMinutes: 60, isUsableOnce: false },
  status: 201,
  response: {
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('kim%40contoso.com')/authentication/temporaryAccessPassMethods/$entity`,
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    id: '6f1967b7-15e8-4935-ac26-d50770ed07a7',
    temporaryAccessPass: PASS,
    createdDateTime: '2022-06-02T16:21:09.765173Z',
    startDateTime: '2022-06-05T00:00:00Z',
    lifetimeInMinutes: 60,
    isUsableOnce: false,
    isUsable: false,
    methodUsabilityReason: 'NotYetValid',
  },
};

function capturingLogger(lines: string[]): Logger {
  const push = (m: string) => void lines.push(m);
  return { debug: push, info: push, warn: push, error: push };
}

async function create(
  exchanges: Exchange[],
  lines: string[] = [],
): Promise<{ runtime: Runtime; entries: Entry[] }> {
  const scopes = exchanges.map(intercept);
  const runtime = await commandRuntime({ logger: capturingLogger(lines) });
  const entries = await runtime.run('msgraph-user-tap-policy-create', {
    user_id: USER,
    zip_password: ZIP_PASSWORD,
  });
  for (const scope of scopes) expect(scope.isDone(), JSON.stringify(entries)).to.equal(true);
  return { runtime, entries };
}

async function openArchive(data: Uint8Array, password?: string): Promise<string> {
  const reader = new ZipReader(new Uint8ArrayReader(data));
  try {
    const [entry] = await reader.getEntries();
    expect(entry?.filename).to.equal('TAPPolicyPass.txt');
    if (!entry || entry.directory) throw new Error('no file in the archive');
    return await entry.getData(new TextWriter(), password === undefined ? {} : { password });
  } finally {
    await reader.close();
  }
}

async function rejects(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('msgraph-user-tap-policy-create: the pass', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('is returned only inside TAPPolicyInfo.zip, AES-256, opened by zip_password alone', async () => {
    const { runtime, entries } = await create([created]);
    expect(entries.map((e) => e.Type)).to.deep.equal([3, 1]);
    const file = entries[0]!;
    expect(file.File).to.equal('TAPPolicyInfo.zip');
    const path = join(
      runtime.stateDir,
      'instances',
      runtime.instanceId,
      'files',
      `${file.FileID}-TAPPolicyInfo.zip`,
    );
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    const data = readFileSync(path);
    expect(data.includes(Buffer.from(PASS)), 'the pass is stored in clear').to.equal(false);

    const reader = new ZipReader(new Uint8ArrayReader(data));
    const [entry] = await reader.getEntries();
    await reader.close();
    expect(entry?.encrypted).to.equal(true);
    expect(entry?.zipCrypto, 'WinZip AES, not ZipCrypto').to.equal(false);

    expect(await openArchive(data, ZIP_PASSWORD)).to.equal(PASS);
    expect((await rejects(openArchive(data))).message).to.match(/encrypted|password/i);
    expect((await rejects(openArchive(data, 'not-the-password'))).message).to.match(/password/i);
  });

  it('never appears in an entry, the raw response or a log line, and is registered as a secret', async () => {
    const lines: string[] = [];
    const { runtime, entries } = await create([created], lines);
    const text = JSON.stringify(entries);
    expect(text).to.not.contain(PASS);
    expect(text).to.not.contain(JSON.stringify(PASS).slice(1, -1));
    expect(text).to.not.contain('TemporaryAccessPass');
    expect(text).to.not.contain(ZIP_PASSWORD);
    expect(lines.join('\n')).to.not.contain(PASS);
    expect(runtime.redactor.redact(`pass ${PASS} here`)).to.equal('pass <redacted> here');
  });

  it('is not created twice: a 503 on the creating POST is reported, not retried', async () => {
    const { entries } = await create([
      {
        ...created,
        status: 503,
        response: { error: { code: 'serviceUnavailable', message: 'Try later.' } },
      },
    ]);
    expect(entries[0]!.Type).to.equal(4);
    expect(JSON.stringify(entries)).to.contain('[503]');
  });

  it('is retried after a 429, which Graph sends before doing anything', async () => {
    const throttled: Exchange = {
      ...created,
      status: 429,
      response: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
      responseHeaders: { 'retry-after': '1' },
    };
    const { entries } = await create([throttled, created]);
    expect(entries.map((e) => e.Type)).to.deep.equal([3, 1]);
  });
});

describe('start_time of a Temporary Access Pass', () => {
  const now = new Date('2025-01-01T00:00:00.500Z');

  it('leaves "now" to Graph', () => {
    expect(tapStartDateTime('now', now)).to.equal(undefined);
    expect(tapStartDateTime(' Now ', now)).to.equal(undefined);
  });

  it('sends ISO times in the reference format, UTC when no zone is given', () => {
    expect(tapStartDateTime('2030-06-05T00:00:00Z', now)).to.equal('2030-06-05T00:00:00.000Z');
    expect(tapStartDateTime('2030-06-05', now)).to.equal('2030-06-05T00:00:00.000Z');
    expect(tapStartDateTime('2030-06-05T10:30', now)).to.equal('2030-06-05T10:30:00.000Z');
    expect(tapStartDateTime('2030-06-05T10:30:15.250+02:00', now)).to.equal(
      '2030-06-05T08:30:15.000Z',
    );
  });

  it('reads relative times as from now on', () => {
    expect(tapStartDateTime('2 hours', now)).to.equal('2025-01-01T02:00:00.000Z');
    expect(tapStartDateTime('in 3 days', now)).to.equal('2025-01-04T00:00:00.000Z');
    expect(tapStartDateTime('30 minutes', now)).to.equal('2025-01-01T00:30:00.000Z');
    expect(tapStartDateTime('1 week', now)).to.equal('2025-01-08T00:00:00.000Z');
    expect(tapStartDateTime('2 months', now)).to.equal('2025-03-01T00:00:00.000Z');
  });

  it('refuses the past and what it cannot read, naming start_time', () => {
    expect(() => tapStartDateTime('2 days ago', now)).to.throw(
      /start_time "2 days ago".*in the past/,
    );
    expect(() => tapStartDateTime('2024-12-31T00:00:00Z', now)).to.throw(/in the past/);
    expect(() => tapStartDateTime('soon', now)).to.throw(/Invalid start_time "soon"/);
    expect(() => tapStartDateTime('5 fortnights', now)).to.throw(/"fortnight" is not a time unit/);
    expect(() => tapStartDateTime('2025-13-45', now)).to.throw(/Invalid start_time/);
  });

  it('refuses a time past year 9999 instead of sending a malformed date (was: "in 100000 years" sent +102025-…)', () => {
    for (const value of ['in 100000 years', '99999999999999999999 days', '1000000000 weeks']) {
      expect(() => tapStartDateTime(value, now), value).to.throw(
        UserError,
        /too far in the future \(the latest is 9999-12-31\)/,
      );
    }
    expect(tapStartDateTime('in 7974 years', now)).to.equal('9999-01-01T00:00:00.000Z');
  });
});
