import { expect } from 'chai';
import { canonicalJson, matchKey, normaliseRequest } from '../../src/playbook/normalise.js';
import { GeneratedValueTable, Scrubber } from '../../src/playbook/scrub.js';
import { Redactor } from '../../src/base/redact.js';

describe('scrubbing', () => {
  it('replaces credential fields in forms with named placeholders', () => {
    const scrubber = new Scrubber();
    const form = {
      client_id: 'app-id',
      client_secret: 's3cr3t-value',
      code: 'auth-code-123',
      code_verifier: 'verifier-xyz',
      refresh_token: 'rt-1',
    };
    expect(scrubber.value(form, 'form')).to.deep.equal({
      client_id: 'app-id',
      client_secret: '<client_secret>',
      code: '<code>',
      code_verifier: '<code_verifier>',
      refresh_token: '<refresh_token:1>',
    });
  });

  it('keeps the claims of an ID token, which the identity library reads, and drops its signature', () => {
    const scrubber = new Scrubber();
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ1MSJ9.c2lnbmF0dXJl';
    const scrubbed = scrubber.value({ id_token: idToken }, 'json') as { id_token: string };
    expect(scrubbed.id_token).to.equal('eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ1MSJ9.<id_token:1>');
    expect(scrubber.value(scrubbed, 'json')).to.deep.equal(scrubbed);
  });

  it('leaves a JSON "code" alone: Graph uses it for error codes', () => {
    const scrubber = new Scrubber();
    const body = {
      error: { code: 'Request_ResourceNotFound' },
      access_token: 'at-1',
      newPassword: 'P@ss!',
    };
    expect(scrubber.value(body, 'json')).to.deep.equal({
      error: { code: 'Request_ResourceNotFound' },
      access_token: '<access_token:1>',
      newPassword: '<password>',
    });
  });

  it('gives a value the same placeholder everywhere, and distinct values distinct numbers', () => {
    const scrubber = new Scrubber();
    const issued = scrubber.value({ access_token: 'token-A', refresh_token: 'rt-A' }, 'json');
    const used = scrubber.value({ refresh_token: 'rt-A', client_secret: 'one-secret' }, 'form');
    const again = scrubber.value({ access_token: 'token-B', client_secret: 'two-secret' }, 'json');
    expect(issued).to.deep.equal({
      access_token: '<access_token:1>',
      refresh_token: '<refresh_token:1>',
    });
    expect(used).to.deep.equal({
      refresh_token: '<refresh_token:1>',
      client_secret: '<client_secret>',
    });
    expect(again).to.deep.equal({
      access_token: '<access_token:2>',
      client_secret: '<client_secret:2>',
    });
    expect(scrubber.text('Bearer token-B, then token-A')).to.equal(
      'Bearer <access_token:2>, then <access_token:1>',
    );
  });

  it('finds credentials in free text: bearer tokens, field=value and "field": "value"', () => {
    const scrubber = new Scrubber();
    expect(scrubber.text('Authorization: Bearer eyJabc.def.ghi')).to.equal(
      'Authorization: Bearer <access_token:1>',
    );
    expect(scrubber.text('https://app/cb?code=0.AAA-xyz&state=s1')).to.equal(
      'https://app/cb?code=<code>&state=s1',
    );
    expect(scrubber.text('{"client_secret": "abc123456"}')).to.equal(
      '{"client_secret": "<client_secret>"}',
    );
  });

  it('names the instance secrets it is given, wherever they appear', () => {
    const scrubber = new Scrubber(undefined, undefined, [
      { value: 'tenant-token-secret', kind: 'tenant_token' },
    ]);
    expect(scrubber.text('x tenant-token-secret y')).to.equal('x <tenant_token> y');
    expect(
      scrubber.value({ note: encodeURIComponent('a/tenant-token-secret') }, 'json'),
    ).to.deep.equal({
      note: 'a%2F<tenant_token>',
    });
  });

  it("falls back on the runtime's Redactor: a whole secret value gets a placeholder", () => {
    const redactor = new Redactor();
    redactor.add('generated-Pa55word');
    const scrubber = new Scrubber(redactor);
    expect(scrubber.value({ note: 'generated-Pa55word' }, 'json')).to.deep.equal({
      note: '<secret>',
    });
    expect(scrubber.value({ note: 'was generated-Pa55word' }, 'json')).to.deep.equal({
      note: 'was <secret>',
    });
  });

  it('never lets the Redactor clobber a placeholder', () => {
    const scrubber = new Scrubber(new Redactor());
    expect(scrubber.text('refresh_token=<refresh_token:1>&x=1')).to.equal(
      'refresh_token=<refresh_token:1>&x=1',
    );
  });

  it('replaces generated values with their placeholder, in requests and responses alike', () => {
    const generated = new GeneratedValueTable();
    const scrubber = new Scrubber(undefined, generated);
    generated.register('generated_uuid', '6a5ccf7c-be26-46e7-917a-4ddb2aa5c556');
    expect(
      scrubber.value({ displayName: 'Kim 6a5ccf7c-be26-46e7-917a-4ddb2aa5c556' }, 'json'),
    ).to.deep.equal({
      displayName: 'Kim <generated_uuid:1>',
    });
    expect(generated.valueOf('<generated_uuid:1>')).to.equal(
      '6a5ccf7c-be26-46e7-917a-4ddb2aa5c556',
    );
  });
});

describe('normalisation', () => {
  const request = (extra: Record<string, unknown>) => ({
    method: 'post',
    origin: 'https://Login.Example',
    path: '/t/oauth2/v2.0/token',
    ...extra,
  });

  it("replaces the identity library's per-request fields in forms and queries", () => {
    const normalised = normaliseRequest(
      request({
        query: { 'client-request-id': 'abc' },
        body: {
          'x-client-VER': '7.2.3',
          state: 'xyz',
          nonce: 'n',
          grant_type: 'client_credentials',
        },
        bodyType: 'form',
      }),
    );
    expect(normalised).to.deep.equal({
      method: 'POST',
      origin: 'https://login.example',
      path: '/t/oauth2/v2.0/token',
      query: { 'client-request-id': '<volatile>' },
      body: {
        'x-client-VER': '<volatile>',
        state: '<volatile>',
        nonce: '<volatile>',
        grant_type: 'client_credentials',
      },
      bodyType: 'form',
    });
  });

  it('keeps JSON fields such as a user\'s "state", and replaces date-times anywhere', () => {
    const normalised = normaliseRequest(
      request({
        path: '/v1.0/audit/2025-01-31T12:00:00Z',
        body: { state: 'WA', startDateTime: '2025-01-31T12:00:00.123+01:00', day: '2025-01-31' },
        bodyType: 'json',
      }),
    );
    expect(normalised.path).to.equal('/v1.0/audit/<timestamp>');
    expect(normalised.body).to.deep.equal({
      state: 'WA',
      startDateTime: '<timestamp>',
      day: '2025-01-31',
    });
  });

  it("replaces a fixture's own volatile fields in any encoding", () => {
    const normalised = normaliseRequest(
      request({ body: { requestNonce: 'r1', a: 1 }, bodyType: 'json' }),
      ['requestNonce'],
    );
    expect(normalised.body).to.deep.equal({ requestNonce: '<volatile>', a: 1 });
  });

  it('matches regardless of key order and secret placeholder numbers, not generated ones', () => {
    const key = (body: unknown) => matchKey(normaliseRequest(request({ body, bodyType: 'json' })));
    expect(key({ a: 1, b: '<refresh_token:2>' })).to.equal(key({ b: '<refresh_token:1>', a: 1 }));
    expect(key({ n: '<generated_uuid:1>' })).not.to.equal(key({ n: '<generated_uuid:2>' }));
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).to.equal(
      '{"a":null,"b":[1,{"c":2,"d":1}]}',
    );
  });
});
