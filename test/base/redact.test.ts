import { expect } from 'chai';
import { REDACTED, Redactor } from '../../src/base/redact.js';

describe('redaction', () => {
  it('removes a registered secret in every encoding it travels in', () => {
    const r = new Redactor();
    const secret = 'p@ss w/rd+"x"';
    r.add(secret);
    for (const form of [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
    ]) {
      expect(r.redact(`before ${form} after`)).to.equal(`before ${REDACTED} after`);
    }
  });

  it('removes every base64 line of a registered PEM key', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' + '\n' + 'BKcwggSjAgEAAoIBAQDXyz0123456789ab';
    const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
    const r = new Redactor();
    r.add(pem);
    expect(r.redact('line: BKcwggSjAgEAAoIBAQDXyz0123456789ab')).to.equal(`line: ${REDACTED}`);
  });

  it('removes bearer tokens and credential fields whatever their value', () => {
    const r = new Redactor();
    expect(r.redact('Authorization: Bearer eyJ0eXAi.abc.def')).to.equal(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(
      r.redact('{"access_token": "abc", "refresh_token":"d\\"e", "expires_in": 3599}'),
    ).to.equal(
      `{"access_token": "${REDACTED}", "refresh_token":"${REDACTED}", "expires_in": 3599}`,
    );
    expect(
      r.redact('grant_type=authorization_code&code=0.AXY-secret&client_secret=s3cr3t'),
    ).to.equal(`grant_type=authorization_code&code=${REDACTED}&client_secret=${REDACTED}`);
    expect(r.redact('https://app/callback?code=abc123&state=xyz')).to.equal(
      `https://app/callback?code=${REDACTED}&state=xyz`,
    );
  });

  it('removes the password of a URL, whatever it is, and keeps the rest of the URL', () => {
    const redactor = new Redactor();
    expect(redactor.redact('proxy http://bob:p@ss-w0rd@proxy.corp:3128 failed')).to.equal(
      'proxy http://bob:<redacted>@proxy.corp:3128 failed',
    );
    expect(redactor.redact('https://ghp_tokenonly@host/x')).to.equal('https://<redacted>@host/x');
    const graph = 'https://graph.microsoft.com/v1.0/users/adele@contoso.com?$select=id';
    expect(redactor.redact(graph)).to.equal(graph);
  });

  it('keeps Graph error codes, which are called "code" too', () => {
    const r = new Redactor();
    const text =
      '{"error":{"code":"Request_ResourceNotFound","message":"Resource x does not exist"}}';
    expect(r.redact(text)).to.equal(text);
  });

  it('ignores values too short to be secrets', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('');
    r.add(undefined);
    expect(r.redact('abc')).to.equal('abc');
    expect(r.size).to.equal(0);
  });

  it('redacts deep values, including credential fields by name', () => {
    const r = new Redactor();
    r.add('topsecret');
    expect(
      r.redactValue({
        a: ['x topsecret y'],
        password: 'anything',
        n: 1,
        nested: { secretText: 'zz' },
      }),
    ).to.deep.equal({
      a: [`x ${REDACTED} y`],
      password: REDACTED,
      n: 1,
      nested: { secretText: REDACTED },
    });
  });
});

describe('redaction scopes', () => {
  it('redacts the parent secrets and its own, and forgets its own when dropped', () => {
    const instance = new Redactor();
    instance.add('instance-secret-value');
    const before = instance.size;
    const run = instance.scope();
    run.add('run-secret-value');
    expect(run.redact('instance-secret-value run-secret-value')).to.equal(
      `${REDACTED} ${REDACTED}`,
    );
    expect(instance.redact('run-secret-value')).to.equal('run-secret-value');
    expect(instance.size).to.equal(before);
    const next = instance.scope();
    expect(next.redact('run-secret-value')).to.equal('run-secret-value');
  });
});
