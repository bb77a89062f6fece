/**
 * The transformers a complex value may apply, in order, after its root, filters and accessor.
 * A documented subset of XSOAR's: text transformers map over lists; list transformers treat a
 * single value as a one-item list.
 *
 *   FirstArrayElement, GetFirstObject  the first item (a non-list stays as it is)
 *   LastArrayElement                   the last item
 *   uniq                               drops repeated items (by their JSON text), keeps order
 *   count                              number of items (0 for nothing, 1 for a single value)
 *   split      delimiter (',')         splits each text, flattened into one list, items trimmed
 *   join       separator (',')         joins the items into one text
 *   toLowerCase, toUpperCase, trim     applied to each text
 *   Stringify                          JSON text of anything that is not already text
 */
import { asText, scalars } from './conditions.js';

type Transform = (value: unknown, args: Record<string, unknown>) => unknown;

const eachText =
  (fn: (text: string) => string): Transform =>
  (value) =>
    Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? fn(v) : v))
      : typeof value === 'string'
        ? fn(value)
        : value;

const argText = (args: Record<string, unknown>, name: string, fallback: string): string => {
  const value = args[name];
  return value === undefined || value === null || value === '' ? fallback : asText(value);
};

const first: Transform = (value) => (Array.isArray(value) ? value[0] : value);

export const TRANSFORMERS: Readonly<Record<string, Transform>> = {
  FirstArrayElement: first,
  GetFirstObject: first,
  LastArrayElement: (value) => (Array.isArray(value) ? value[value.length - 1] : value),
  uniq: (value) => {
    const seen = new Set<string>();
    return scalars(value).filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  count: (value) => scalars(value).length,
  split: (value, args) => {
    const delimiter = argText(args, 'delimiter', ',');
    return scalars(value).flatMap((v) =>
      typeof v === 'string' ? v.split(delimiter).map((s) => s.trim()) : [v],
    );
  },
  join: (value, args) =>
    scalars(value)
      .map(asText)
      .join(argText(args, 'separator', ',')),
  toLowerCase: eachText((s) => s.toLowerCase()),
  toUpperCase: eachText((s) => s.toUpperCase()),
  trim: eachText((s) => s.trim()),
  Stringify: (value) =>
    typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value),
};

export const isKnownTransformer = (name: string): boolean => Object.hasOwn(TRANSFORMERS, name);
