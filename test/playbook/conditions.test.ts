import { expect } from 'chai';
import { conditionHolds, OPERATORS } from '../../src/playbook/conditions.js';
import type { ConditionItem } from '../../src/playbook/types.js';
import { readOperand } from '../../src/playbook/values.js';

const context = {
  User: { Name: 'Kim Akers', Enabled: true, Count: 7, Tags: ['red', 'blue'], Empty: '' },
  Flags: { Off: 'False' },
  Users: [{ Name: 'Kim' }, { Name: 'Sara' }],
};

/** Whether `operator(left from context path, right literal)` holds. */
function holds(operator: string, path: string, right?: string, ignorecase = false): boolean {
  const item: ConditionItem = {
    operator,
    left: { value: { simple: path }, iscontext: true },
    ...(right !== undefined ? { right: { value: { simple: right } } } : {}),
    ignorecase,
  };
  return conditionHolds([[item]], (operand) => readOperand(operand, context));
}

describe('condition operators', () => {
  const cases: [string, string, string | undefined, boolean][] = [
    ['isEqualString', 'User.Name', 'Kim Akers', true],
    ['isEqualString', 'User.Name', 'kim akers', false],
    ['isEqualString', 'User.Tags', 'blue', true],
    ['isEqualString', 'User.Missing', '', false],
    ['isNotEqualString', 'User.Name', 'Sara', true],
    ['containsString', 'User.Name', 'Akers', true],
    ['containsString', 'User.Name', 'Davis', false],
    ['notContainsString', 'User.Name', 'Davis', true],
    ['notContainsString', 'User.Tags', 'lu', false],
    ['startWith', 'User.Name', 'Kim', true],
    ['endWith', 'User.Name', 'Kim', false],
    ['inList', 'User.Name', 'Sara, Kim Akers', true],
    ['notInList', 'User.Name', 'Sara,Adele', true],
    ['isEqualNumber', 'User.Count', '7', true],
    ['isEqualNumber', 'User.Name', '7', false],
    ['isNotEqualNumber', 'User.Count', '8', true],
    ['greaterThan', 'User.Count', '6', true],
    ['greaterThan', 'User.Count', '7', false],
    ['greaterThanOrEqual', 'User.Count', '7', true],
    ['lessThan', 'User.Count', '10', true],
    ['lessThan', 'User.Count', 'ten', false],
    ['lessThanOrEqual', 'User.Count', '6', false],
    ['isEmpty', 'User.Empty', undefined, true],
    ['isEmpty', 'User.Missing', undefined, true],
    ['isEmpty', 'User.Name', undefined, false],
    ['isNotEmpty', 'User.Tags', undefined, true],
    ['isNotEmpty', 'User.Empty', undefined, false],
    ['isExists', 'User.Empty', undefined, true],
    ['isExists', 'User.Missing', undefined, false],
    ['isNotExists', 'User.Missing', undefined, true],
    ['isTrue', 'User.Enabled', undefined, true],
    ['isTrue', 'Flags.Off', undefined, false],
    ['isFalse', 'Flags.Off', undefined, true],
    ['isFalse', 'User.Enabled', undefined, false],
  ];
  for (const [operator, path, right, expected] of cases) {
    it(`${operator} ${path}${right !== undefined ? ` "${right}"` : ''} is ${expected}`, () => {
      expect(holds(operator, path, right)).to.equal(expected);
    });
  }

  it('covers every operator in the table', () => {
    const tested = new Set(cases.map(([op]) => op));
    expect(Object.keys(OPERATORS).filter((op) => !tested.has(op))).to.deep.equal([
      'containsGeneral',
    ]);
  });

  it('compares text ignoring case when ignorecase is set', () => {
    expect(holds('isEqualString', 'User.Name', 'kim akers', true)).to.equal(true);
    expect(holds('containsString', 'User.Name', 'AKERS', true)).to.equal(true);
  });

  it('maps a path through lists: any item may match', () => {
    expect(holds('isEqualString', 'Users.Name', 'Sara')).to.equal(true);
  });
});

describe('condition rows', () => {
  const item = (operator: string, value: string): ConditionItem => ({
    operator,
    left: { value: { simple: value } },
  });
  const read = (operand: ConditionItem['left']) => readOperand(operand, context);

  it('ANDs rows and ORs the items of a row', () => {
    const yes = item('isNotEmpty', 'x');
    const no = item('isEmpty', 'x');
    expect(conditionHolds([[yes], [no, yes]], read)).to.equal(true);
    expect(conditionHolds([[yes], [no, no]], read)).to.equal(false);
    expect(conditionHolds([], read)).to.equal(true);
  });

  it('reads literals without iscontext and the context with it, on either side', () => {
    const literal: ConditionItem = {
      operator: 'isEqualString',
      left: { value: { simple: 'User.Name' } },
      right: { value: { simple: 'User.Name' } },
    };
    expect(conditionHolds([[literal]], read)).to.equal(true);
    const bothSides: ConditionItem = {
      operator: 'isEqualString',
      left: { value: { simple: 'Kim Akers' } },
      right: { value: { simple: 'User.Name' }, iscontext: true },
    };
    expect(conditionHolds([[bothSides]], read)).to.equal(true);
    const reference: ConditionItem = {
      operator: 'isEqualString',
      left: { value: { simple: '${User.Name}' } },
      right: { value: { simple: 'Kim Akers' } },
    };
    expect(conditionHolds([[reference]], read)).to.equal(true);
  });
});
