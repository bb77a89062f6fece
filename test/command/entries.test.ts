import { expect } from 'chai';
import {
  CommandResultsError,
  entryText,
  errorEntry,
  keyedContextPath,
  toEntry,
} from '../../src/command/entries.js';
import { fileEntry } from '../../src/command/files.js';

// Vectors from anchor-xsoar-runtime.md §2.5, produced by CommonServerPython's CommandResults.
describe('CommandResults -> entry, as CommonServerPython builds it', () => {
  it('keys prefixed outputs by the key field and renders a Results table', () => {
    const entry = toEntry({
      outputs_prefix: 'PrismaCompute.Alert',
      outputs_key_field: 'id',
      outputs: [{ id: 100, name: 'alert1' }],
    });
    expect(entry).to.deep.equal({
      Type: 1,
      ContentsFormat: 'json',
      Contents: [{ id: 100, name: 'alert1' }],
      HumanReadable: '### Results\n|id|name|\n|---|---|\n| 100 | alert1 |\n',
      EntryContext: {
        'PrismaCompute.Alert(val.id && val.id == obj.id)': [{ id: 100, name: 'alert1' }],
      },
    });
    expect(Object.keys(entry)).to.deep.equal([
      'Type',
      'ContentsFormat',
      'Contents',
      'HumanReadable',
      'EntryContext',
    ]);
  });

  it('joins several key fields with &&', () => {
    expect(keyedContextPath('PrismaCompute.Alert', ['id', 'name'])).to.equal(
      'PrismaCompute.Alert(val.id && val.id == obj.id && val.name && val.name == obj.name)',
    );
  });

  it('replaces an existing key with (true) when replace_existing is set', () => {
    const entry = toEntry({
      outputs_prefix: 'Path.To.NextToken',
      outputs: 'abc',
      replace_existing: true,
    });
    expect(entry.EntryContext).to.deep.equal({ 'Path.To(true)': { NextToken: 'abc' } });
    expect(entry.ContentsFormat).to.equal('text');
  });

  it('refuses replace_existing on a prefix without a dot', () => {
    expect(() =>
      toEntry({ outputs_prefix: 'Token', outputs: 'abc', replace_existing: true }),
    ).to.throw('outputs_prefix must be a nested path to replace an existing key.');
  });

  it('merges a dict without prefix into the context as is', () => {
    expect(toEntry({ outputs: { A: 1 } }).EntryContext).to.deep.equal({ A: 1 });
  });

  it('keeps readable output alone with null contents and json format', () => {
    expect(toEntry({ readable_output: 'hello' })).to.deep.equal({
      Type: 1,
      ContentsFormat: 'json',
      Contents: null,
      HumanReadable: 'hello',
      EntryContext: {},
    });
  });

  it('writes no context and no readable output for empty outputs', () => {
    const entry = toEntry({ outputs_prefix: 'X', outputs: [] });
    expect(entry.EntryContext).to.deep.equal({});
    expect(entry.HumanReadable).to.equal(null);
    expect(entry.Contents).to.deep.equal([]);
  });

  it('uses a scalar output as the readable output, keeping its type', () => {
    const entry = toEntry({ outputs_prefix: 'X', outputs: 5, raw_response: { a: 1 } });
    expect(entry.HumanReadable).to.equal(5);
    expect(entry.EntryContext).to.deep.equal({ X: 5 });
    expect(entry.ContentsFormat).to.equal('json');
  });

  it('treats string, int and bool raw responses as text, floats as json', () => {
    expect(toEntry({ raw_response: 'ok' }).ContentsFormat).to.equal('text');
    expect(toEntry({ raw_response: 3 }).ContentsFormat).to.equal('text');
    expect(toEntry({ raw_response: true }).ContentsFormat).to.equal('text');
    expect(toEntry({ raw_response: 1.5 }).ContentsFormat).to.equal('json');
  });

  it('requires a prefix for non-dict outputs', () => {
    expect(() => toEntry({ outputs: [1, 2] })).to.throw(
      CommandResultsError,
      'outputs_prefix is missing',
    );
    expect(() => toEntry({ outputs_prefix: '.', outputs: {} })).to.throw(
      'outputs_prefix cannot be a period.',
    );
  });

  it('builds error entries of type 4 and truncates huge messages in the middle', () => {
    expect(errorEntry('boom')).to.deep.equal({
      Type: 4,
      ContentsFormat: 'text',
      Contents: 'boom',
      HumanReadable: null,
      EntryContext: null,
    });
    const long = errorEntry('a'.repeat(30_000) + 'b'.repeat(30_000)).Contents as string;
    expect(long).to.have.length(50_000 + '...This error body was truncated...'.length);
    expect(long).to.contain('a...This error body was truncated...b');
  });

  it('shows a captionless file entry in a terminal by its file name and id', () => {
    const file = fileEntry({
      name: 'TAPPolicyInfo.zip',
      path: '/x/f1-TAPPolicyInfo.zip',
      fileId: 'f1',
    });
    expect(file.HumanReadable).to.equal(null);
    expect(entryText(file)).to.equal('File: TAPPolicyInfo.zip (FileID f1)');
  });
});
