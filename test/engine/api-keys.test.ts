import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { UsageError } from '../../src/base/errors.js';
import { environmentKeys, keyRing, parseKeysFile } from '../../src/engine/api-keys.js';
import { refusal } from '../../src/engine/policy.js';
import type { ManifestCommand } from '../../src/manifest/types.js';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY = 'k-0123456789abcdef-admin';

const command = (name: string, cls: ManifestCommand['x-class']): ManifestCommand => ({
  name,
  description: name,
  'x-class': cls,
});

const usageMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'no error';
};

describe('API keys', () => {
  it('grants the keys of MSGRAPH_USER_API_KEYS read and write on every instance', () => {
    const ring = keyRing(environmentKeys(' first-key-0123456789 , second-key-0123456789,'));
    expect(ring.size).to.equal(2);
    expect(ring.find('second-key-0123456789')).to.deep.equal({
      name: 'env-2',
      instances: ['*'],
      classes: ['read', 'write'],
    });
    expect(ring.find('second-key-012345678')).to.equal(undefined);
    expect(ring.find('')).to.equal(undefined);
  });

  it('refuses a short key in MSGRAPH_USER_API_KEYS, naming its position but not its value', () => {
    const message = usageMessage(() => environmentKeys('long-enough-key-0123,short'));
    expect(message).to.equal(
      'MSGRAPH_USER_API_KEYS: key 2 is shorter than 16 characters. Use random keys, e.g. from "openssl rand -hex 32".',
    );
  });

  it('reads hashed keys with their instances and classes from a keys file', () => {
    const file = {
      keys: [
        {
          name: 'soc',
          sha256: sha256(KEY).toUpperCase(),
          instances: ['contoso'],
          classes: ['read', 'destructive'],
        },
      ],
    };
    const ring = keyRing(parseKeysFile(file, 'keys.yml', ['default', 'contoso']));
    expect(ring.find(KEY)).to.deep.equal({
      name: 'soc',
      instances: ['contoso'],
      classes: ['read', 'destructive'],
    });
    expect(ring.find(sha256(KEY))).to.equal(undefined);
  });

  it('reports what is wrong with a keys file: its shape, unknown instances, a key listed twice', () => {
    const entry = { name: 'soc', sha256: sha256(KEY), instances: ['*'], classes: ['read'] };
    expect(
      usageMessage(() => parseKeysFile({ keys: [{ ...entry, classes: ['admin'] }] }, 'k.yml', [])),
    ).to.equal(
      'The API keys file k.yml is not valid: keys.0.classes.0 must be equal to one of the allowed values.',
    );
    expect(
      usageMessage(() => parseKeysFile({ keys: [{ ...entry, sha256: KEY }] }, 'k.yml', [])),
    ).to.match(/^The API keys file k\.yml is not valid: keys\.0\.sha256 must match pattern/);
    expect(
      usageMessage(() =>
        parseKeysFile({ keys: [{ ...entry, instances: ['nope'] }] }, 'k.yml', ['default']),
      ),
    ).to.equal(
      'The API keys file k.yml: key "soc" names unknown instances (nope). Instances: default.',
    );
    expect(
      usageMessage(() =>
        parseKeysFile({ keys: [entry, { ...entry, name: 'other' }] }, 'k.yml', []),
      ),
    ).to.equal('The API keys file k.yml lists key "other" (or its hash) twice.');
  });
});

describe('the access policy', () => {
  const readWrite = { name: 'rw', instances: ['*'], classes: ['read', 'write'] } as const;
  const onlyContoso = { name: 'c', instances: ['contoso'], classes: ['read'] } as const;

  it('runs a class the key was granted, on an instance it was granted', () => {
    expect(refusal(readWrite, 'default', command('msgraph-user-get', 'read'), false)).to.equal(
      undefined,
    );
    expect(refusal(onlyContoso, 'contoso', command('msgraph-user-get', 'read'), false)).to.equal(
      undefined,
    );
  });

  it('refuses another instance, and a class the key was not granted', () => {
    expect(refusal(onlyContoso, 'default', command('msgraph-user-get', 'read'), false)).to.equal(
      'This API key may not use instance "default".',
    );
    expect(
      refusal(readWrite, 'default', command('msgraph-user-delete', 'destructive'), false),
    ).to.equal(
      'msgraph-user-delete needs the "destructive" class, and this API key may run only: read, write.',
    );
  });

  it('lets a key that may read dry-run a destructive command, but not a credential one', () => {
    expect(
      refusal(readWrite, 'default', command('msgraph-user-delete', 'destructive'), true),
    ).to.equal(undefined);
    expect(
      refusal(readWrite, 'default', command('msgraph-user-tap-policy-create', 'credential'), true),
    ).to.equal(
      'A dry run of msgraph-user-tap-policy-create needs the "credential" class, and this API key may run only: read, write.',
    );
  });
});
