/**
 * YAML in user files: errors say where, never what, since an unquoted value may be a password.
 */
import { expect } from 'chai';
import { parseYaml } from '../../src/base/yaml-text.js';

const SECRET = 'Pa55-unquoted-secret';

const failure = (text: string): string => {
  try {
    parseYaml(text);
  } catch (error) {
    return (error as Error).message;
  }
  return expect.fail('expected a YAML error');
};

describe('YAML text', () => {
  it('an unquoted value starting with * (an alias): where, not the value (was: the secret echoed)', () => {
    const message = failure(`self_deployed: true\ncreds_enc_key: *${SECRET}\n`);
    expect(message).to.equal(
      'an alias (*name) without its anchor at line 2, column 16 (quote values that start with * or !)',
    );
  });

  it('an unquoted value starting with ! (a tag): an error, not an empty value and a warning quoting the line', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const message = failure(`creds_enc_key: {password: !${SECRET}}\n`);
      expect(message).to.equal(
        'unknown tag at line 1, column 27 (quote values that start with * or !)',
      );
      // Process warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.deep.equal([]);
  });

  it('a value starting with ! that reads as a named tag handle (!a!b): where, not the value', () => {
    expect(failure(`k: !CANARY-x!${SECRET}\n`)).to.equal(
      'unknown tag at line 1, column 4 (quote values that start with * or !)',
    );
  });

  it('still reads anchors and aliases, and reports other errors by position', () => {
    expect(parseYaml('a: &x [1]\nb: *x\n')).to.deep.equal({ a: [1], b: [1] });
    expect(failure('a: 1\na: 2\n')).to.equal('Map keys must be unique at line 2, column 1');
    expect(failure('a: 1\n---\nb: 2\n')).to.match(/multiple documents/);
  });
});
