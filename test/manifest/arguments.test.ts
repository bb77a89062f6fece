import { expect } from 'chai';
import { argToList } from '../../src/manifest/arguments.js';
import type { CompiledManifest } from '../../src/manifest/compiled.js';
import { argumentChecker, compileCommands, type ArgumentCheck } from '../helpers/manifest.js';

const COMMANDS = `
- name: demo
  description: Demo.
  arguments:
    - name: user
      description: A user.
      required: true
    - name: mode
      description: A mode.
      auto: PREDEFINED
      predefined: [fast, slow]
      defaultValue: fast
    - name: ids
      description: Some ids.
      isArray: true
    - name: enabled
      description: A flag.
      type: boolean
      auto: PREDEFINED
      predefined: ['true', 'false']
    - name: limit
      description: Page size.
      type: integer
      x-minimum: 1
      x-maximum: 999
      defaultValue: '50'
    - name: password
      description: A secret.
      secret: true
      auto: PREDEFINED
      predefined: [a-secret-value]
- name: bulk
  description: Bulk.
  arguments:
    - name: user
      description: Users.
      required: true
      x-bulk: true
- name: bare
  description: No arguments.
`;

describe('argument validation compiled from the manifest', () => {
  let check: ArgumentCheck;
  before(async () => {
    const compiled: CompiledManifest = await compileCommands(COMMANDS);
    check = await argumentChecker(compiled, ['demo', 'bulk', 'bare']);
  });

  it('applies defaults, typed', () => {
    expect(check('demo', { user: 'a' })).to.deep.equal({
      ok: true,
      args: { user: 'a', mode: 'fast', limit: 50 },
    });
  });

  it('names a missing required argument', () => {
    expect(check('demo', {})).to.deep.equal({
      ok: false,
      message: 'Invalid arguments for demo: missing required argument "user".',
    });
  });

  it('treats an empty value as missing, as XSOAR does', () => {
    expect(check('demo', { user: '' })).to.have.property('ok', false);
  });

  it('rejects an unknown argument, suggesting the closest and listing the valid ones', () => {
    expect(check('demo', { user: 'a', usr: 'b' }).message).to.equal(
      'Invalid arguments for demo: unknown argument "usr". Did you mean "user"? Valid arguments: user, mode, ids, enabled, limit, password.',
    );
    expect(check('bare', { x: '1' }).message).to.equal(
      'Invalid arguments for bare: unknown argument "x" (bare takes no arguments).',
    );
  });

  it('rejects a value outside the predefined list and lists the valid ones', () => {
    expect(check('demo', { user: 'a', mode: 'medium' }).message).to.equal(
      'Invalid arguments for demo: argument "mode" must be one of: fast, slow (got "medium").',
    );
  });

  it('splits isArray values like argToList and accepts JSON arrays', () => {
    expect(check('demo', { user: 'a', ids: 'x, y ,z' }))
      .to.have.nested.property('args.ids')
      .that.deep.equals(['x', 'y', 'z']);
    expect(check('demo', { user: 'a', ids: '["p,q","r"]' }))
      .to.have.nested.property('args.ids')
      .that.deep.equals(['p,q', 'r']);
    expect(check('demo', { user: 'a', ids: ['l1', 'l2'] }))
      .to.have.nested.property('args.ids')
      .that.deep.equals(['l1', 'l2']);
  });

  it('reads booleans case-insensitively, with yes/no, and rejects anything else', () => {
    expect(check('demo', { user: 'a', enabled: 'TRUE' })).to.have.nested.property(
      'args.enabled',
      true,
    );
    expect(check('demo', { user: 'a', enabled: 'no' })).to.have.nested.property(
      'args.enabled',
      false,
    );
    expect(check('demo', { user: 'a', enabled: 'maybe' }).message).to.equal(
      'Invalid arguments for demo: argument "enabled" must be true or false (got "maybe").',
    );
  });

  it('reads whole numbers and enforces their bounds', () => {
    expect(check('demo', { user: 'a', limit: '999' })).to.have.nested.property('args.limit', 999);
    expect(check('demo', { user: 'a', limit: 'ten' }).message).to.equal(
      'Invalid arguments for demo: argument "limit" must be a whole number (got "ten").',
    );
    expect(check('demo', { user: 'a', limit: '1.5' }).message).to.equal(
      'Invalid arguments for demo: argument "limit" must be a whole number (got 1.5).',
    );
    expect(check('demo', { user: 'a', limit: '1000' }).message).to.equal(
      'Invalid arguments for demo: argument "limit" must be between 1 and 999 (got 1000).',
    );
  });

  it('never echoes the value of a secret argument', () => {
    const result = check('demo', { user: 'a', password: 'hunter2-wrong' });
    expect(result.message).to.equal(
      'Invalid arguments for demo: argument "password" must be one of: a-secret-value.',
    );
    expect(result.message).not.to.contain('hunter2');
  });

  it('rejects control characters and over-long values', () => {
    expect(check('demo', { user: 'a\u0000b' }).message).to.equal(
      'Invalid arguments for demo: argument "user" contains control characters, which are not allowed.',
    );
    expect(check('demo', { user: 'x'.repeat(9000) }).message).to.equal(
      'Invalid arguments for demo: argument "user" is too long (9000 characters; the limit is 8192).',
    );
    expect(check('demo', { user: 'x'.repeat(2000) })).to.have.property('ok', true);
  });

  it('reports every problem on one line', () => {
    const result = check('demo', { mode: 'x', limit: '0' });
    expect(result.message).to.equal(
      'Invalid arguments for demo: missing required argument "user"; argument "mode" must be one of: fast, slow (got "x"); argument "limit" must be between 1 and 999 (got 0).',
    );
    expect(result.message).not.to.contain('\n');
  });

  it('turns a bulk argument into a list of values', () => {
    expect(check('bulk', { user: 'a@x, b@x' })).to.deep.equal({
      ok: true,
      args: { user: ['a@x', 'b@x'] },
    });
    expect(check('bulk', { user: 'one' })).to.deep.equal({ ok: true, args: { user: ['one'] } });
    expect(
      check('bulk', { user: Array.from({ length: 1001 }, (_, i) => `u${i}`).join(',') }).message,
    ).to.equal('Invalid arguments for bulk: argument "user" takes at most 1000 values (got 1001).');
  });

  it('takes a one-element list from a playbook as the value itself', () => {
    expect(check('demo', { user: ['a'] })).to.have.nested.property('args.user', 'a');
    expect(check('demo', { user: ['a', 'b'] }).message).to.contain(
      'argument "user" takes a single text value',
    );
  });
});

describe('argToList', () => {
  it('behaves like CommonServerPython', () => {
    expect(argToList('a, b ,c')).to.deep.equal(['a', 'b', 'c']);
    expect(argToList('["x","y"]')).to.deep.equal(['x', 'y']);
    expect(argToList(5)).to.deep.equal([5]);
    expect(argToList('[bad')).to.deep.equal(['[bad']);
    expect(argToList('')).to.deep.equal([]);
    expect(argToList('a;b', ';')).to.deep.equal(['a', 'b']);
  });
});
