import { expect } from 'chai';
import type { ComplexValue } from '../../src/playbook/types.js';
import { resolveArgument, resolveComplex, scopeData } from '../../src/playbook/values.js';

const context = {
  MSGraphUser: [
    { ID: 'u1', Mail: 'Kim@Contoso.com', AccountEnabled: true, Groups: ['a', 'b'] },
    { ID: 'u2', Mail: 'sara@contoso.com', AccountEnabled: false, Groups: ['b', 'c'] },
  ],
  Csv: 'x, y ,z',
};
const data = scopeData(context, { user: 'kim' }, { id: '42' });

const complex = (value: ComplexValue) => resolveComplex(value, data);

describe('simple argument values', () => {
  it('yields the raw value of a whole reference, and text for a reference inside text', () => {
    expect(resolveArgument({ simple: '${MSGraphUser.ID}' }, data)).to.deep.equal(['u1', 'u2']);
    expect(resolveArgument({ simple: 'ids: ${MSGraphUser.ID}' }, data)).to.equal('ids: u1,u2');
    expect(resolveArgument({ simple: '${MSGraphUser.[1].ID}' }, data)).to.equal('u2');
  });

  it('reads inputs and incident fields beside the context', () => {
    expect(resolveArgument({ simple: '${inputs.user}@${incident.id}' }, data)).to.equal('kim@42');
  });

  it('keeps literals, numbers and booleans, and gives nothing for an unset value', () => {
    expect(resolveArgument({ simple: 'a,b,c' }, data)).to.equal('a,b,c');
    expect(resolveArgument({ simple: 5 }, data)).to.equal(5);
    expect(resolveArgument({ simple: false }, data)).to.equal(false);
    expect(resolveArgument({}, data)).to.equal(undefined);
    expect(resolveArgument(undefined, data)).to.equal(undefined);
  });
});

describe('complex argument values', () => {
  it('reads root then accessor', () => {
    expect(complex({ root: 'MSGraphUser', accessor: 'Mail' })).to.deep.equal([
      'Kim@Contoso.com',
      'sara@contoso.com',
    ]);
    expect(complex({ root: '${inputs.user}' })).to.equal('kim');
  });

  it('filters root items with condition operators, paths under the root reading each item', () => {
    const filters = [
      [
        {
          operator: 'isTrue',
          left: { value: { simple: 'MSGraphUser.AccountEnabled' }, iscontext: true },
        },
      ],
    ];
    expect(complex({ root: 'MSGraphUser', accessor: 'ID', filters })).to.deep.equal(['u1']);
    const byGroup = [
      [
        {
          operator: 'isEqualString',
          left: { value: { simple: 'MSGraphUser.Groups' }, iscontext: true },
          right: { value: { simple: 'b' } },
        },
      ],
    ];
    expect(complex({ root: 'MSGraphUser', accessor: 'ID', filters: byGroup })).to.deep.equal([
      'u1',
      'u2',
    ]);
  });

  it('applies transformers in order', () => {
    const t = (
      transformers: ComplexValue['transformers'],
      root = 'MSGraphUser',
      accessor?: string,
    ) => complex({ root, ...(accessor ? { accessor } : {}), transformers });
    expect(t([{ operator: 'FirstArrayElement' }], 'MSGraphUser', 'ID')).to.equal('u1');
    expect(t([{ operator: 'GetFirstObject' }], 'MSGraphUser', 'ID')).to.equal('u1');
    expect(t([{ operator: 'LastArrayElement' }], 'MSGraphUser', 'ID')).to.equal('u2');
    expect(t([{ operator: 'uniq' }], 'MSGraphUser', 'Groups')).to.deep.equal(['a', 'b', 'c']);
    expect(t([{ operator: 'count' }], 'MSGraphUser')).to.equal(2);
    expect(t([{ operator: 'count' }], 'Nothing')).to.equal(0);
    expect(t([{ operator: 'split' }], 'Csv')).to.deep.equal(['x', 'y', 'z']);
    expect(
      t(
        [
          { operator: 'split', args: { delimiter: { value: { simple: 'y' } } } },
          { operator: 'trim' },
        ],
        'Csv',
      ),
    ).to.deep.equal(['x,', ',z']);
    expect(
      t(
        [{ operator: 'join', args: { separator: { value: { simple: ';' } } } }],
        'MSGraphUser',
        'ID',
      ),
    ).to.equal('u1;u2');
    expect(t([{ operator: 'toLowerCase' }], 'MSGraphUser', 'Mail')).to.deep.equal([
      'kim@contoso.com',
      'sara@contoso.com',
    ]);
    expect(
      t([{ operator: 'toUpperCase' }, { operator: 'FirstArrayElement' }], 'MSGraphUser', 'ID'),
    ).to.equal('U1');
    expect(t([{ operator: 'Stringify' }], 'MSGraphUser', 'Groups')).to.equal('["a","b","b","c"]');
  });

  it('reads transformer arguments from the context when iscontext is set', () => {
    const value = complex({
      root: 'MSGraphUser',
      accessor: 'ID',
      transformers: [
        {
          operator: 'join',
          args: { separator: { value: { simple: 'inputs.user' }, iscontext: true } },
        },
      ],
    });
    expect(value).to.equal('u1kimu2');
  });
});
