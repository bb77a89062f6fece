/**
 * Reading validated arguments. The dispatcher has already applied the manifest (types, defaults,
 * required), so these only narrow `ArgValue` to what a handler wants; an x-bulk argument arrives as
 * one value per handler run.
 */
import type { Args } from '../../src/manifest/arguments.js';

/** A text argument, or '' when absent. A one-element list (a bulk value) is its element. */
export function textArg(args: Args, name: string): string {
  const value = args[name];
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.length === 1 ? String(value[0]) : value.join(',');
  return String(value);
}

/** A boolean argument (the manifest gives boolean arguments their default). */
export function boolArg(args: Args, name: string, fallback = false): boolean {
  const value = args[name];
  return typeof value === 'boolean' ? value : fallback;
}

/** An integer argument, or undefined when absent. */
export function numberArg(args: Args, name: string): number | undefined {
  const value = args[name];
  return typeof value === 'number' ? value : undefined;
}
