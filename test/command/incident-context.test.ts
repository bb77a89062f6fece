import { expect } from 'chai';
import { parseContextKey } from '../../src/command/context-keys.js';
import {
  getPath,
  mergeEntryContext,
  resolveReferences,
} from '../../src/command/incident-context.js';

describe('incident context merging', () => {
  it('parses plain, replace and keyed context keys', () => {
    expect(parseContextKey('A.B')).to.deep.equal({ kind: 'plain', path: ['A', 'B'] });
    expect(parseContextKey('A.B(true)')).to.deep.equal({ kind: 'replace', path: ['A', 'B'] });
    expect(parseContextKey('MSGraphUser(val.ID && val.ID == obj.ID)')).to.deep.equal({
      kind: 'keyed',
      path: ['MSGraphUser'],
      keyFields: ['ID'],
    });
    expect(parseContextKey('X(val.User === obj.User)')).to.deep.equal({
      kind: 'keyed',
      path: ['X'],
      keyFields: ['User'],
    });
  });

  it('upserts keyed objects by their key field instead of duplicating them', () => {
    const ctx = {};
    mergeEntryContext(ctx, {
      'MSGraphUser(val.ID && val.ID == obj.ID)': { ID: '1', DisplayName: 'Old' },
    });
    mergeEntryContext(ctx, {
      'MSGraphUser(val.ID && val.ID == obj.ID)': [{ ID: '1', Mail: 'a@x' }, { ID: '2' }],
    });
    expect(ctx).to.deep.equal({
      MSGraphUser: [{ ID: '1', DisplayName: 'Old', Mail: 'a@x' }, { ID: '2' }],
    });
  });

  it('keeps a lone keyed object as an object when it is updated in place', () => {
    const ctx = {};
    mergeEntryContext(ctx, { 'U(val.ID && val.ID == obj.ID)': { ID: '1', A: 1 } });
    mergeEntryContext(ctx, { 'U(val.ID && val.ID == obj.ID)': { ID: '1', B: 2 } });
    expect(ctx).to.deep.equal({ U: { ID: '1', A: 1, B: 2 } });
  });

  it('never matches objects whose key field is missing', () => {
    const ctx = {};
    mergeEntryContext(ctx, { 'U(val.ID && val.ID == obj.ID)': { NextPage: 'x' } });
    mergeEntryContext(ctx, { 'U(val.ID && val.ID == obj.ID)': { NextPage: 'y' } });
    expect(ctx).to.deep.equal({ U: [{ NextPage: 'x' }, { NextPage: 'y' }] });
  });

  it('appends plain paths into a list', () => {
    const ctx = {};
    mergeEntryContext(ctx, { 'A.B': 1 });
    mergeEntryContext(ctx, { 'A.B': [2, 3] });
    expect(ctx).to.deep.equal({ A: { B: [1, 2, 3] } });
  });

  it('overwrites the leaf of a (true) key and keeps its siblings', () => {
    const ctx = { Path: { To: { NextToken: 'old', Other: 1 } } };
    mergeEntryContext(ctx, { 'Path.To(true)': { NextToken: 'new' } });
    expect(ctx).to.deep.equal({ Path: { To: { NextToken: 'new', Other: 1 } } });
  });

  it('does not share objects between the entry and the context', () => {
    const value = { ID: '1' };
    const ctx: Record<string, unknown> = {};
    mergeEntryContext(ctx, { A: value });
    value.ID = 'changed';
    expect(ctx.A).to.deep.equal({ ID: '1' });
  });
});

describe('context references', () => {
  const ctx = {
    MSGraphUser: [
      { ID: '1', Mail: 'a@x', Groups: [{ Name: 'g1' }, { Name: 'g2' }] },
      { ID: '2', Mail: 'b@x' },
    ],
    Account: { Email: { Address: 'a@x' } },
    Auth: { Methods: [{ '@Odata.Type': '#microsoft.graph.fido2AuthenticationMethod' }] },
    inputs: { UserId: 'u1' },
  };

  it('resolves dot paths through arrays into a flat list', () => {
    expect(getPath(ctx, 'MSGraphUser.Mail')).to.deep.equal(['a@x', 'b@x']);
    expect(getPath(ctx, 'MSGraphUser.Groups.Name')).to.deep.equal(['g1', 'g2']);
  });

  it('indexes with [n] in both spellings', () => {
    expect(getPath(ctx, 'MSGraphUser.[1].ID')).to.equal('2');
    expect(getPath(ctx, 'MSGraphUser[0].Mail')).to.equal('a@x');
  });

  it('resolves keys that contain dots', () => {
    expect(getPath(ctx, 'Auth.Methods.@Odata.Type')).to.deep.equal([
      '#microsoft.graph.fido2AuthenticationMethod',
    ]);
  });

  it('returns the raw value for a whole-string reference and text inside a longer string', () => {
    expect(resolveReferences('${MSGraphUser.ID}', ctx)).to.deep.equal(['1', '2']);
    expect(resolveReferences('users ${MSGraphUser.ID} of ${inputs.UserId}', ctx)).to.equal(
      'users 1,2 of u1',
    );
    expect(resolveReferences('${Missing.Path}', ctx)).to.equal(undefined);
    expect(resolveReferences('x${Missing}y', ctx)).to.equal('xy');
  });
});
