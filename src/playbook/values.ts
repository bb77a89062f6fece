/**
 * Argument values (anchor-xsoar-runtime.md §4.4), read against the incident context plus
 * `inputs` and `incident`:
 *  - `{simple: 'text ${A.B} text'}`: references are resolved; a value that is exactly one
 *    reference yields the raw value (a list stays a list).
 *  - `{complex: {root, filters, accessor, transformers}}`: the value at `root`; then its items
 *    that pass `filters` (same operators as conditions; a filter path under the root, such as
 *    `root.Field`, is read from the item being tested); then `accessor` below each item; then
 *    the transformers in order (transformers.ts).
 */
import { getPath, resolveReferences, type ContextData } from '../command/incident-context.js';
import { conditionHolds, type OperandReader } from './conditions.js';
import { TRANSFORMERS } from './transformers.js';
import type { ArgumentValue, ComplexValue, Operand } from './types.js';

/** What `${...}` sees: the context with `inputs` and `incident` beside its keys. */
export function scopeData(
  context: ContextData,
  inputs: Record<string, unknown>,
  incident: Record<string, unknown>,
): ContextData {
  return { ...context, inputs, incident };
}

/** `${A.B}` -> `A.B`; a bare path stays as it is. */
export const barePath = (path: string): string => {
  const match = /^\s*\$\{(.*)\}\s*$/.exec(path);
  return (match ? match[1]! : path).trim();
};

export function resolveArgument(
  value: ArgumentValue | undefined | null,
  data: ContextData,
): unknown {
  if (!value) return undefined;
  if (value.complex) return resolveComplex(value.complex, data);
  const simple = value.simple;
  if (simple === undefined || simple === null) return undefined;
  return typeof simple === 'string' ? resolveReferences(simple, data) : simple;
}

export function readOperand(operand: Operand | undefined, data: ContextData): unknown {
  const value = operand?.value;
  if (!value) return undefined;
  if (operand.iscontext && typeof value.simple === 'string') {
    return getPath(data, barePath(value.simple));
  }
  return resolveArgument(value, data);
}

/** Reads filter operands: paths at or under the root address the item being tested. */
function itemReader(root: string, item: unknown, data: ContextData): OperandReader {
  return (operand) => {
    const simple = operand?.value?.simple;
    if (operand?.iscontext && typeof simple === 'string') {
      const path = barePath(simple);
      if (path === root) return item;
      if (path.startsWith(`${root}.`)) {
        return getPath({ item } as ContextData, `item.${path.slice(root.length + 1)}`);
      }
    }
    return readOperand(operand, data);
  };
}

export function resolveComplex(complex: ComplexValue, data: ContextData): unknown {
  const root = barePath(complex.root);
  let value = getPath(data, root);
  if (complex.filters && complex.filters.length > 0 && value !== undefined) {
    const items = Array.isArray(value) ? value : [value];
    const kept = items.filter((item) =>
      conditionHolds(complex.filters!, itemReader(root, item, data)),
    );
    value = Array.isArray(value) || kept.length !== 1 ? kept : kept[0];
  }
  if (complex.accessor && value !== undefined) {
    value = getPath({ value } as ContextData, `value.${complex.accessor}`);
  }
  for (const transformer of complex.transformers ?? []) {
    const transform = TRANSFORMERS[transformer.operator];
    if (!transform) throw new Error(`unknown transformer "${transformer.operator}"`);
    const args: Record<string, unknown> = {};
    for (const [name, operand] of Object.entries(transformer.args ?? {})) {
      args[name] = readOperand(operand ?? undefined, data);
    }
    value = transform(value, args);
  }
  return value;
}
