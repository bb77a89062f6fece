/**
 * Condition operators, shared by condition tasks and complex-value filters. Rows are ANDed and
 * the items of a row ORed (anchor-xsoar-runtime.md §4.5). A list on either side matches when any
 * element matches (`isEqualString` of `[a, b]` and `b` holds); the negated operators
 * (`notContainsString`, `isNotEqualString`, `notInList`) hold when no element matches.
 */
import type { ConditionItem, ConditionRows, Operand } from './types.js';

type Binary = (left: unknown, right: unknown, ignoreCase: boolean) => boolean;

/** Scalars of a value: a list's items, nothing for undefined/null, else the value itself. */
export const scalars = (value: unknown): unknown[] =>
  value === undefined || value === null
    ? []
    : Array.isArray(value)
      ? value.flat(Infinity)
      : [value];

/** A scalar as text, the way DT prints it (objects as JSON). */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const asNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const anyPair = (left: unknown, right: unknown, test: (l: unknown, r: unknown) => boolean) => {
  const rights = scalars(right);
  return scalars(left).some((l) => rights.some((r) => test(l, r)));
};

const textTest =
  (test: (l: string, r: string) => boolean): Binary =>
  (left, right, ignoreCase) =>
    anyPair(left, right, (l, r) => {
      const [a, b] = [asText(l), asText(r)];
      return ignoreCase ? test(a.toLowerCase(), b.toLowerCase()) : test(a, b);
    });

const numberTest =
  (test: (l: number, r: number) => boolean): Binary =>
  (left, right) =>
    anyPair(left, right, (l, r) => {
      const [a, b] = [asNumber(l), asNumber(r)];
      return a !== undefined && b !== undefined && test(a, b);
    });

const booleanTest =
  (expected: boolean): Binary =>
  (left) =>
    scalars(left).some((v) => v === expected || asText(v).trim().toLowerCase() === `${expected}`);

const not =
  (op: Binary): Binary =>
  (left, right, ignoreCase) =>
    !op(left, right, ignoreCase);

const isEqualString = textTest((l, r) => l === r);
const containsString = textTest((l, r) => l.includes(r));
const inList: Binary = (left, right, ignoreCase) =>
  isEqualString(
    left,
    scalars(right).flatMap((r) =>
      asText(r)
        .split(',')
        .map((s) => s.trim()),
    ),
    ignoreCase,
  );
const isEqualNumber = numberTest((l, r) => l === r);

/** Operator name -> test. `right` is ignored by the unary ones. */
export const OPERATORS: Readonly<Record<string, Binary>> = {
  isEqualString,
  isNotEqualString: not(isEqualString),
  containsString,
  containsGeneral: containsString,
  notContainsString: not(containsString),
  startWith: textTest((l, r) => l.startsWith(r)),
  endWith: textTest((l, r) => l.endsWith(r)),
  inList,
  notInList: not(inList),
  isEqualNumber,
  isNotEqualNumber: not(isEqualNumber),
  greaterThan: numberTest((l, r) => l > r),
  greaterThanOrEqual: numberTest((l, r) => l >= r),
  lessThan: numberTest((l, r) => l < r),
  lessThanOrEqual: numberTest((l, r) => l <= r),
  isEmpty: (left) => isEmptyValue(left),
  isNotEmpty: (left) => !isEmptyValue(left),
  isExists: (left) => left !== undefined && left !== null,
  isNotExists: (left) => left === undefined || left === null,
  isTrue: booleanTest(true),
  isFalse: booleanTest(false),
};

export const isKnownOperator = (name: string): boolean => Object.hasOwn(OPERATORS, name);

/** Reads an operand (a context path or a literal); supplied by values.ts. */
export type OperandReader = (operand: Operand | undefined) => unknown;

export function itemHolds(item: ConditionItem, read: OperandReader): boolean {
  const op = OPERATORS[item.operator];
  if (!op) throw new Error(`unknown operator "${item.operator}"`);
  return op(read(item.left), read(item.right), item.ignorecase === true);
}

/** True when every row has at least one item that holds (an empty condition holds). */
export function conditionHolds(rows: ConditionRows, read: OperandReader): boolean {
  return rows.every((row) => row.length === 0 || row.some((item) => itemHolds(item, read)));
}
