import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import {
  publicIdentifiers,
  configSecrets,
  repairPem,
  selectFlow,
  type AuthFlow,
} from '../../src/auth/flow.js';
import { ConfigurationError } from '../../src/base/errors.js';
import type { InstanceParams } from '../../src/base/params.js';

const PEM = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const SHA1 = 'A'.repeat(40);

const cred = (password: string) => ({ password });
const ID = { creds_auth_id: cred('client-id') };
const TOKEN = { creds_tenant_id: cred('tenant.onmicrosoft.com') };
const KEY = { creds_enc_key: cred('secret-value') };
const CERT = { creds_certificate: { identifier: SHA1, password: PEM } };
const REDIRECT = { redirect_uri: 'http://localhost:8765/callback' };
const CODE = { creds_auth_code: cred('0.AXcode') };
const SELF = { self_deployed: true };

function outcome(params: InstanceParams): AuthFlow | string {
  try {
    return selectFlow(params).flow;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return `error: ${error.message}`;
  }
}

describe('flow selection', () => {
  const rows: [string, InstanceParams, AuthFlow | RegExp][] = [
    [
      'managed identity wins over everything else',
      { use_managed_identities: true, ...SELF, ...ID, ...REDIRECT },
      'managed-identity',
    ],
    [
      'managed identity needs nothing else (system-assigned)',
      { use_managed_identities: true },
      'managed-identity',
    ],
    ['Cortex XSOAR app with ID, Token and Key', { ...ID, ...TOKEN, ...KEY }, 'xsoar-app'],
    [
      'Cortex XSOAR app without anything names all three fields',
      {},
      /"ID" \(creds_auth_id\), "Token" \(creds_tenant_id\), "Key" \(creds_enc_key\)/,
    ],
    [
      'Cortex XSOAR app without Key names only Key',
      { ...ID, ...TOKEN },
      /needs "Key" \(creds_enc_key\): fill in this field/,
    ],
    [
      'Cortex XSOAR app refuses a Redirect URI',
      { ...ID, ...TOKEN, ...KEY, ...REDIRECT },
      /"Redirect URI" \(redirect_uri\) is only used by a self-deployed/,
    ],
    [
      'Cortex XSOAR app refuses an Authorization Code',
      { ...ID, ...TOKEN, ...KEY, ...CODE },
      /"Authorization Code" \(creds_auth_code\) is only used/,
    ],
    [
      'Cortex XSOAR app with ID@url needs an https URL',
      { creds_auth_id: cred('reg@http://x'), ...TOKEN, ...KEY },
      /must start with https/,
    ],
    [
      'client credentials with a secret',
      { ...SELF, ...ID, ...TOKEN, ...KEY },
      'client-credentials',
    ],
    [
      'client credentials with a certificate',
      { ...SELF, ...ID, ...TOKEN, ...CERT },
      'client-certificate',
    ],
    [
      'the certificate wins over a secret',
      { ...SELF, ...ID, ...TOKEN, ...KEY, ...CERT },
      'client-certificate',
    ],
    [
      'client credentials without credentials names Key or the certificate',
      { ...SELF, ...ID, ...TOKEN },
      /"Key \(or Certificate Thumbprint and Private Key\)"/,
    ],
    [
      'client credentials without ID and Token names them',
      { ...SELF, ...KEY },
      /"ID" \(creds_auth_id\), "Token" \(creds_tenant_id\)/,
    ],
    [
      'a thumbprint without a key is refused',
      { ...SELF, ...ID, ...TOKEN, creds_certificate: { identifier: SHA1 } },
      /both "Certificate Thumbprint" and "Private Key"/,
    ],
    [
      'a malformed thumbprint is refused',
      { ...SELF, ...ID, ...TOKEN, creds_certificate: { identifier: 'abc', password: PEM } },
      /SHA-1 \(40 hex digits\)/,
    ],
    [
      'a private key that is not PEM is refused',
      { ...SELF, ...ID, ...TOKEN, creds_certificate: { identifier: SHA1, password: 'nope' } },
      /must be a PEM private key/,
    ],
    [
      'a generic tenant is refused',
      { ...SELF, ...ID, creds_tenant_id: cred('common'), ...KEY },
      /tenant ID .* not "common"/,
    ],
    [
      'authorization code with Redirect URI and code',
      { ...SELF, ...ID, ...TOKEN, ...KEY, ...REDIRECT, ...CODE },
      'authorization-code',
    ],
    [
      'authorization code with Redirect URI only (msgraph-user login gets the code)',
      { ...SELF, ...ID, ...TOKEN, ...KEY, ...REDIRECT },
      'authorization-code',
    ],
    [
      'authorization code with a certificate',
      { ...SELF, ...ID, ...TOKEN, ...CERT, ...REDIRECT },
      'authorization-code',
    ],
    [
      'a code without Redirect URI names Redirect URI',
      { ...SELF, ...ID, ...TOKEN, ...KEY, ...CODE },
      /needs "Redirect URI"/,
    ],
    [
      'a pasted code with session_state is refused',
      {
        ...SELF,
        ...ID,
        ...TOKEN,
        ...KEY,
        ...REDIRECT,
        creds_auth_code: cred('abc&session_state=x'),
      },
      /paste just AUTH_CODE/,
    ],
    [
      'a pasted "code=" prefix is refused',
      { ...SELF, ...ID, ...TOKEN, ...KEY, ...REDIRECT, creds_auth_code: cred('code=abc') },
      /without "code="/,
    ],
    [
      'legacy hidden fields still work',
      { ...SELF, auth_id: 'client-id', tenant_id: 'tenant', enc_key: 'secret' },
      'client-credentials',
    ],
  ];
  for (const [name, params, expected] of rows) {
    it(name, () => {
      const got = outcome(params);
      if (typeof expected === 'string') expect(got).to.equal(expected);
      else {
        expect(got)
          .to.match(/^error: /)
          .and.to.match(expected);
      }
    });
  }

  it('decides every combination of the deciding fields as the documented rules say', () => {
    const options = {
      use_managed_identities: [false, true],
      self_deployed: [false, true],
      id: [false, true],
      token: [false, true],
      key: [false, true],
      cert: ['none', 'thumbprint', 'key', 'both'],
      redirect: [false, true],
      code: [false, true],
    };
    let checked = 0;
    for (const mi of options.use_managed_identities) {
      for (const self of options.self_deployed) {
        for (const id of options.id) {
          for (const token of options.token) {
            for (const key of options.key) {
              for (const cert of options.cert) {
                for (const redirect of options.redirect) {
                  for (const code of options.code) {
                    const params: InstanceParams = {
                      use_managed_identities: mi,
                      self_deployed: self,
                      ...(id ? ID : {}),
                      ...(token ? TOKEN : {}),
                      ...(key ? KEY : {}),
                      ...(cert === 'both'
                        ? CERT
                        : cert === 'thumbprint'
                          ? { creds_certificate: { identifier: SHA1 } }
                          : cert === 'key'
                            ? { creds_certificate: { password: PEM } }
                            : {}),
                      ...(redirect ? REDIRECT : {}),
                      ...(code ? CODE : {}),
                    };
                    // The rules, restated independently of the implementation.
                    let expected: AuthFlow | 'error';
                    if (mi) expected = 'managed-identity';
                    else if (!self) {
                      expected = redirect || code || !id || !token || !key ? 'error' : 'xsoar-app';
                    } else if (cert === 'thumbprint' || cert === 'key') expected = 'error';
                    else if (!id || !token || (code && !redirect) || (!key && cert !== 'both')) {
                      expected = 'error';
                    } else if (redirect || code) expected = 'authorization-code';
                    else expected = cert === 'both' ? 'client-certificate' : 'client-credentials';
                    const got = outcome(params);
                    expect(
                      got.startsWith('error: ') ? 'error' : got,
                      JSON.stringify(params),
                    ).to.equal(expected);
                    checked += 1;
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(checked).to.equal(512);
  });

  it('repairs a PEM key whose newlines became spaces', () => {
    const flattened = PEM.replace(/\n/g, ' ');
    expect(repairPem(flattened).replace(/\n/g, '')).to.equal(PEM.replace(/\n/g, ''));
    expect(repairPem(flattened)).to.match(
      /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/,
    );
  });

  it('lists secrets to redact and identifiers to keep readable', () => {
    const config = selectFlow({ ...SELF, ...ID, ...TOKEN, ...KEY, ...REDIRECT, ...CODE });
    expect(configSecrets(config)).to.deep.equal(['secret-value', '0.AXcode']);
  });

  it('keeps ID and (except for the Cortex XSOAR app) Token readable, even when incomplete', () => {
    expect(publicIdentifiers({ ...SELF, ...ID, ...TOKEN })).to.deep.equal([
      'client-id',
      'tenant.onmicrosoft.com',
    ]);
    expect(publicIdentifiers({ ...ID, ...TOKEN })).to.deep.equal(['client-id']);
  });
});
