import { expect } from 'chai';
import { createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import nock from 'nock';
import type { AuthConfig } from '../../src/auth/flow.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AUTH_KEYS } from '../../src/auth/token-cache.js';
import type { UserError } from '../../src/base/errors.js';
import { ConfigurationError } from '../../src/base/errors.js';
import { aadError, testDeps, useNock } from './support.js';

const PROXY = 'https://oproxy.demisto.ninja';
const KEY = randomBytes(32).toString('base64');
const TENANT_TOKEN = 'tenant-token-from-consent-0123456789';
const REGISTRATION = 'b1a2c3d4-0000-1111-2222-333344445555';

const xsoarConfig = (key = KEY): AuthConfig => ({
  flow: 'xsoar-app',
  xsoarApp: {
    registrationId: REGISTRATION,
    tokenUrl: `${PROXY}/obtain-token`,
    tenantToken: TENANT_TOKEN,
    key,
  },
});

function decrypt(encrypted: string, key: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  const decipher = createDecipheriv(
    `aes-${keyBytes.length * 8}-gcm` as CipherGCMTypes,
    keyBytes,
    raw.subarray(0, 12),
  );
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([
    decipher.update(raw.subarray(12, raw.length - 16)),
    decipher.final(),
  ]).toString('utf8');
}

interface ProxyRequest {
  body: Record<string, unknown>;
  content: string;
}

/** The token exchange: records each JSON body (with the decrypted token) and answers in order. */
function tokenExchange(answers: [number, object | string][], key = KEY): ProxyRequest[] {
  const seen: ProxyRequest[] = [];
  const scope = nock(PROXY);
  for (const [status, answer] of answers) {
    scope.post('/obtain-token').reply(status, (_uri, body) => {
      const json = body as Record<string, unknown>;
      seen.push({ body: json, content: decrypt(String(json.encrypted_token), key) });
      return answer;
    });
  }
  return seen;
}

describe('Cortex XSOAR app (token exchange)', () => {
  useNock();

  it('posts app_name, registration_id and "{epoch}:{Token}" encrypted with the Key', async () => {
    const seen = tokenExchange([
      [200, { access_token: 'at-x1', expires_in: 3595, refresh_token: 'rt-x1' }],
    ]);
    const deps = testDeps(xsoarConfig());
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-x1');
    expect(seen[0]?.body).to.deep.include({
      app_name: 'ms-graph-user',
      registration_id: REGISTRATION,
      scope: null,
      resource: '',
    });
    const [epoch, ...rest] = (seen[0]?.content ?? '').split(':');
    expect(rest.join(':')).to.equal(TENANT_TOKEN);
    expect(Number(epoch)).to.equal(Math.floor(deps.clock.now() / 1000));
    expect((await deps.store.get()).context[AUTH_KEYS.xsoarRefreshToken]).to.equal('rt-x1');
  });

  for (const bytes of [16, 24]) {
    it(`accepts a ${bytes * 8}-bit key`, async () => {
      const key = randomBytes(bytes).toString('base64');
      const seen = tokenExchange([[200, { access_token: 'at-k', expires_in: 3595 }]], key);
      await (await createAuthSession(testDeps(xsoarConfig(key)))).getAccessToken();
      expect(seen[0]?.content).to.match(/^\d+:tenant-token/);
    });
  }

  it('encrypts the refresh token of the last exchange next time, and falls back to the Token if it is refused', async () => {
    const seen = tokenExchange([
      [200, { access_token: 'at-1', expires_in: 3595, refresh_token: 'rt-1' }],
      [200, { access_token: 'at-2', expires_in: 3595, refresh_token: 'rt-2' }],
      [400, { error: 'invalid_grant', error_description: 'refresh token expired' }],
      [200, { access_token: 'at-3', expires_in: 3595, refresh_token: 'rt-3' }],
    ]);
    const deps = testDeps(xsoarConfig());
    for (const expected of ['at-1', 'at-2', 'at-3']) {
      expect(await (await createAuthSession(deps)).getAccessToken({ forceRefresh: true })).to.equal(
        expected,
      );
    }
    expect(seen.map((s) => s.content.replace(/^\d+:/, ''))).to.deep.equal([
      TENANT_TOKEN,
      'rt-1',
      'rt-2',
      TENANT_TOKEN,
    ]);
    expect((await deps.store.get()).context[AUTH_KEYS.xsoarRefreshToken]).to.equal('rt-3');
  });

  it('waits 2, 4, ... seconds after failures, failing fast inside the window without a request', async () => {
    tokenExchange([
      [502, 'Bad Gateway'],
      [500, { message: 'internal' }],
    ]);
    const deps = testDeps(xsoarConfig());
    const session = await createAuthSession(deps);
    const first = (await session.getAccessToken().catch((e: unknown) => e)) as UserError;
    expect(first.message).to.match(
      /^Error in Microsoft authorization\. Status: 502, body: Bad Gateway/,
    );
    let { context } = await deps.store.get();
    expect(context[AUTH_KEYS.delayCounter]).to.equal(2);
    expect(Number(context[AUTH_KEYS.nextRequestTime]) - deps.clock.now() / 1000).to.equal(2);

    const fast = (await session.getAccessToken().catch((e: unknown) => e)) as UserError;
    expect(fast.message).to.match(/retry after \d{4}-\d\d-\d\dT/);

    deps.advance(3);
    const second = (await session.getAccessToken().catch((e: unknown) => e)) as UserError;
    expect(second.message).to.equal(
      'Error in Microsoft authorization. Status: 500, body: {"message":"internal"} Server message: internal',
    );
    ({ context } = await deps.store.get());
    expect(context[AUTH_KEYS.delayCounter]).to.equal(3);
    expect(Number(context[AUTH_KEYS.nextRequestTime]) - deps.clock.now() / 1000).to.equal(4);
  });

  it('resets the backoff after a success (the reference lost this reset)', async () => {
    tokenExchange([
      [500, { message: 'down' }],
      [200, { access_token: 'at-ok', expires_in: 3595 }],
      [500, { message: 'down again' }],
    ]);
    const deps = testDeps(xsoarConfig());
    const session = await createAuthSession(deps);
    await session.getAccessToken().catch(() => undefined);
    deps.advance(3);
    expect(await session.getAccessToken()).to.equal('at-ok');
    let { context } = await deps.store.get();
    expect(context).to.not.have.any.keys(AUTH_KEYS.nextRequestTime, AUTH_KEYS.delayCounter);
    // The next failure starts again at 2 seconds.
    await session.getAccessToken({ forceRefresh: true }).catch(() => undefined);
    ({ context } = await deps.store.get());
    expect(context[AUTH_KEYS.delayCounter]).to.equal(2);
  });

  it('caps the delay at 64 seconds', async () => {
    const deps = testDeps(xsoarConfig());
    await deps.store.set({ [AUTH_KEYS.delayCounter]: 6, [AUTH_KEYS.nextRequestTime]: 0 });
    tokenExchange([[500, { message: 'down' }]]);
    await (await createAuthSession(deps)).getAccessToken().catch(() => undefined);
    const { context } = await deps.store.get();
    expect(Number(context[AUTH_KEYS.nextRequestTime]) - deps.clock.now() / 1000).to.equal(64);
    expect(context[AUTH_KEYS.delayCounter]).to.equal(6);
  });

  it('reports the AADSTS error inside the exchange answer with its hint', async () => {
    tokenExchange([
      [
        400,
        aadError('invalid_client', 7000222, 'The provided client secret keys for app are expired.'),
      ],
    ]);
    const error = (await (
      await createAuthSession(testDeps(xsoarConfig()))
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as UserError;
    expect(error.message).to.equal(
      'Error in Microsoft authorization. Status: 400, body: AADSTS7000222: The provided client secret keys for app are expired.',
    );
    expect(error.hint).to.contain('expired');
  });

  it('refuses a Key that is not a base64 AES key, without a request and without showing it', async () => {
    const deps = testDeps(xsoarConfig('not a key!'));
    const error = await (await createAuthSession(deps)).getAccessToken().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('"Key"')
      .and.not.contain('not a key!');
    expect((await deps.store.get()).context).to.not.have.property(AUTH_KEYS.nextRequestTime);
  });

  it('says so when the answer has no access token', async () => {
    tokenExchange([[200, '<html>maintenance</html>']]);
    const error = (await (
      await createAuthSession(testDeps(xsoarConfig()))
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).to.contain('did not contain the expected content');
  });
});
