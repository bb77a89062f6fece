import { expect } from 'chai';
import type { Manifest } from '../../src/manifest/types.js';
import { UsageError } from '../../src/base/errors.js';
import { credentialSecret, parseInstanceParams, secretParamValues } from '../../src/base/params.js';

const manifest = {
  configuration: [
    { name: 'creds_enc_key', type: 9, display: 'Key' },
    { name: 'enc_key', type: 4, hidden: true },
    { name: 'self_deployed', type: 8, defaultvalue: 'false' },
    { name: 'azure_cloud', type: 15, options: ['Worldwide', 'Custom'], defaultvalue: 'Worldwide' },
    { name: 'timeout', type: 1, defaultvalue: '60' },
    { name: 'host', type: 0 },
  ],
} as unknown as Manifest;

describe('instance parameters', () => {
  it('types values and applies manifest defaults', () => {
    expect(
      parseInstanceParams(
        { self_deployed: 'true', creds_enc_key: 's3cret', timeout: '30' },
        manifest,
      ),
    ).to.deep.equal({
      self_deployed: true,
      creds_enc_key: { password: 's3cret' },
      timeout: 30,
      azure_cloud: 'Worldwide',
    });
  });

  it('accepts credentials as {identifier, password}', () => {
    const params = parseInstanceParams(
      { creds_enc_key: { identifier: 'id', password: 'pw' } },
      manifest,
    );
    expect(credentialSecret(params, 'creds_enc_key')).to.equal('pw');
  });

  it('falls back to the hidden legacy field', () => {
    expect(
      credentialSecret(
        parseInstanceParams({ enc_key: 'legacy' }, manifest),
        'creds_enc_key',
        'enc_key',
      ),
    ).to.equal('legacy');
  });

  const rejects: [string, unknown, string][] = [
    [
      'an unknown parameter',
      { colour: 'x' },
      'params: unknown parameter "colour". Valid parameters: creds_enc_key, self_deployed, azure_cloud, timeout, host.',
    ],
    [
      'a non-boolean checkbox',
      { self_deployed: 'maybe' },
      'params: parameter "self_deployed" must be true or false (got "maybe").',
    ],
    [
      'an option outside the list',
      { azure_cloud: 'Mars' },
      'params: parameter "azure_cloud" must be one of: Worldwide, Custom (got "Mars").',
    ],
    [
      'a non-numeric number',
      { timeout: 'soon' },
      'params: parameter "timeout" must be a number (got "soon").',
    ],
    [
      'a credential with extra keys',
      { creds_enc_key: { password: 'x', pin: 1 } },
      'params: parameter "creds_enc_key" must be an object with only identifier and password.',
    ],
    [
      'a list where text belongs',
      { host: ['a'] },
      'params: parameter "host" must be text (got ["a"]).',
    ],
    [
      'a file that is not a mapping',
      ['a'],
      'params: expected a mapping of parameter names to values.',
    ],
  ];
  for (const [what, raw, message] of rejects) {
    it(`rejects ${what} with a message naming it`, () => {
      expect(() => parseInstanceParams(raw, manifest)).to.throw(UsageError, message);
    });
  }

  it('never echoes a secret parameter in its error', () => {
    expect(() =>
      parseInstanceParams(
        { creds_enc_key: 12 as unknown as string, enc_key: { a: 'sekrit' } },
        manifest,
      ),
    )
      .to.throw(UsageError)
      .that.satisfies((e: Error) => !e.message.includes('sekrit'));
  });

  it('lists every secret-typed value', () => {
    const params = parseInstanceParams(
      { creds_enc_key: { identifier: 'thumb', password: 'pw' }, enc_key: 'legacy', host: 'h' },
      manifest,
    );
    expect(secretParamValues(params, manifest).sort()).to.deep.equal(['legacy', 'pw', 'thumb']);
  });
});
