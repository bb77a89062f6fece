import { testClock } from '../helpers/clock.js';
import { expect } from 'chai';
import { BUILTIN_SCRIPTS, type ScriptContext } from '../../src/playbook/builtins.js';
import { GeneratedValueTable } from '../../src/playbook/scrub.js';
import { entryText, isErrorEntry } from '../../src/command/entries.js';
import { mergeEntryContext } from '../../src/command/incident-context.js';

async function runScript(
  name: string,
  args: Record<string, unknown>,
  context: Record<string, unknown> = {},
  extra: Partial<ScriptContext> = {},
) {
  const entries = await BUILTIN_SCRIPTS[name]!({
    args,
    context,
    clock: testClock(),
    ...extra,
  });
  for (const entry of entries) mergeEntryContext(context, entry.EntryContext);
  const error = entries.find(isErrorEntry);
  return { context, error: error ? entryText(error) : undefined };
}

describe('built-in script DeleteContext', () => {
  it('clears the whole context with all=yes', async () => {
    const { context } = await runScript('DeleteContext', { all: 'yes' }, { A: 1, B: { C: 2 } });
    expect(context).to.deep.equal({});
  });

  it('keeps keysToKeep when clearing everything', async () => {
    const { context } = await runScript(
      'DeleteContext',
      { all: 'yes', keysToKeep: 'B, C' },
      { A: 1, B: 2, C: 3 },
    );
    expect(context).to.deep.equal({ B: 2, C: 3 });
  });

  it('deletes one path, through lists', async () => {
    const { context } = await runScript(
      'DeleteContext',
      { key: 'U.Secret' },
      {
        U: [
          { Id: 1, Secret: 'x' },
          { Id: 2, Secret: 'y' },
        ],
        V: 1,
      },
    );
    expect(context).to.deep.equal({ U: [{ Id: 1 }, { Id: 2 }], V: 1 });
  });

  it('fails without all or key', async () => {
    expect((await runScript('DeleteContext', {})).error).to.equal(
      'DeleteContext needs all=yes or key=<context path>.',
    );
  });
});

describe('built-in script Set', () => {
  it('sets a nested path, replacing what was there', async () => {
    const { context } = await runScript(
      'Set',
      { key: 'A.B', value: ['x'] },
      { A: { B: 'old', C: 1 } },
    );
    expect(context).to.deep.equal({ A: { B: ['x'], C: 1 } });
  });

  it('appends with append=true', async () => {
    const { context } = await runScript(
      'Set',
      { key: 'L', value: 'b', append: 'true' },
      { L: 'a' },
    );
    expect(context).to.deep.equal({ L: ['a', 'b'] });
  });

  it('fails without a key', async () => {
    expect((await runScript('Set', { value: 1 })).error).to.equal('Set needs key=<context path>.');
  });
});

describe('built-in script GenerateUUID', () => {
  it('writes a fresh UUID to GeneratedUUID and registers it as a generated value', async () => {
    const generated = new GeneratedValueTable();
    const { context } = await runScript('GenerateUUID', {}, {}, { generated });
    expect(context.GeneratedUUID).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(generated.valueOf('<generated_uuid:1>')).to.equal(context.GeneratedUUID);
  });
});

describe('built-in script Sleep', () => {
  it("waits the given seconds on the runtime's clock", async () => {
    const clock = testClock();
    await runScript('Sleep', { seconds: '3' }, {}, { clock });
    expect(clock.sleeps).to.deep.equal([3000]);
  });

  it('does not wait for 0 seconds', async () => {
    const clock = testClock();
    await runScript('Sleep', { seconds: 0 }, {}, { clock });
    expect(clock.sleeps).to.deep.equal([]);
  });

  it('fails for a value that is not a number of seconds', async () => {
    expect((await runScript('Sleep', { seconds: 'soon' })).error).to.include(
      'seconds must be a number',
    );
  });
});

describe('built-in script VerifyContext', () => {
  const context = { U: [{ Name: 'Kim', Mail: 'k@x' }, { Name: 'Sara' }], N: 3 };

  it('passes when the path exists and holds the expected value', async () => {
    expect(
      (await runScript('VerifyContext', { path: 'U.Name', expectedValue: 'Sara' }, context)).error,
    ).to.equal(undefined);
    expect(
      (await runScript('VerifyContext', { path: 'N', expectedValue: 3 }, context)).error,
    ).to.equal(undefined);
  });

  it('fails, saying what it found, when the value differs', async () => {
    const { error } = await runScript(
      'VerifyContext',
      { path: 'U.Name', expectedValue: 'Adele' },
      context,
    );
    expect(error).to.equal('VerifyContext: U.Name is ["Kim","Sara"], expected "Adele".');
  });

  it('fails when the path is missing', async () => {
    const { error } = await runScript('VerifyContext', { path: 'U.Phone' }, context);
    expect(error).to.equal('VerifyContext: U.Phone is not in the context.');
  });

  it('checks that each object at the path has the fields', async () => {
    const { error } = await runScript('VerifyContext', { path: 'U', fields: 'Name,Mail' }, context);
    expect(error).to.equal('VerifyContext: U[1] has no field "Mail".');
    expect(
      (await runScript('VerifyContext', { path: 'U', fields: 'Name' }, context)).error,
    ).to.equal(undefined);
  });
});
