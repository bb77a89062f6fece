/**
 * Checks the schema cannot express: uniqueness, cross-references between keys, and the link
 * between manifest commands and handler modules. Each problem names its YAML path.
 */
import type { Manifest, ManifestArgument, ManifestCommand, ManifestParam } from './types.js';

export type YamlPath = (string | number)[];

export interface Problem {
  path: YamlPath;
  message: string;
}

function duplicates<T>(items: T[], key: (item: T) => string): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  items.forEach((item, index) => seen.set(key(item), [...(seen.get(key(item)) ?? []), index]));
  return new Map([...seen].filter(([, indexes]) => indexes.length > 1));
}

function checkParam(
  param: ManifestParam,
  path: YamlPath,
  sections: string[] | undefined,
): Problem[] {
  const problems: Problem[] = [];
  if (sections && param.section && !sections.includes(param.section)) {
    problems.push({
      path: [...path, 'section'],
      message: `section "${param.section}" is not listed in sectionorder`,
    });
  }
  if ((param.type === 15 || param.type === 16) && !param.options?.length) {
    problems.push({
      path,
      message: `parameter "${param.name}" is a select (type ${param.type}) without options`,
    });
  }
  if (
    param.type === 15 &&
    param.defaultvalue !== undefined &&
    !param.options?.includes(String(param.defaultvalue))
  ) {
    problems.push({
      path: [...path, 'defaultvalue'],
      message: `default "${param.defaultvalue}" is not one of the options (${param.options?.join(', ')})`,
    });
  }
  if (param.type === 8) {
    if (param.required) {
      problems.push({
        path: [...path, 'required'],
        message: 'a checkbox (type 8) cannot be required',
      });
    }
    if (
      param.defaultvalue !== undefined &&
      !['true', 'false'].includes(String(param.defaultvalue))
    ) {
      problems.push({
        path: [...path, 'defaultvalue'],
        message: "a checkbox default must be 'true' or 'false'",
      });
    }
  }
  return problems;
}

const isNumberType = (arg: ManifestArgument) => arg.type === 'number' || arg.type === 'integer';

function checkArgument(arg: ManifestArgument, path: YamlPath): Problem[] {
  const problems: Problem[] = [];
  const at = (key: string) => [...path, key];
  if (arg.predefined && arg.auto !== 'PREDEFINED') {
    problems.push({
      path,
      message: `argument "${arg.name}" has predefined values but no "auto: PREDEFINED"`,
    });
  }
  if (arg.auto === 'PREDEFINED' && !arg.predefined) {
    problems.push({
      path: at('auto'),
      message: `argument "${arg.name}" is auto: PREDEFINED without a predefined list`,
    });
  }
  if (
    arg.predefined &&
    arg.defaultValue !== undefined &&
    !arg.predefined.includes(String(arg.defaultValue))
  ) {
    problems.push({
      path: at('defaultValue'),
      message: `default "${arg.defaultValue}" of "${arg.name}" is not one of its predefined values (${arg.predefined.join(', ')})`,
    });
  }
  if (
    arg.type === 'boolean' &&
    arg.predefined &&
    arg.predefined.some((v) => !['true', 'false'].includes(v))
  ) {
    problems.push({
      path: at('predefined'),
      message: `boolean argument "${arg.name}" may only predefine true and false`,
    });
  }
  const bounded = arg['x-minimum'] !== undefined || arg['x-maximum'] !== undefined;
  if (bounded && !isNumberType(arg)) {
    problems.push({
      path,
      message: `argument "${arg.name}" has x-minimum/x-maximum but is not a number`,
    });
  }
  if (bounded && (arg['x-minimum'] ?? -Infinity) > (arg['x-maximum'] ?? Infinity)) {
    problems.push({ path, message: `argument "${arg.name}" has x-minimum greater than x-maximum` });
  }
  if (isNumberType(arg) && arg.defaultValue !== undefined) {
    const value = Number(arg.defaultValue);
    const outOfRange =
      value < (arg['x-minimum'] ?? -Infinity) || value > (arg['x-maximum'] ?? Infinity);
    if (
      !Number.isFinite(value) ||
      (arg.type === 'integer' && !Number.isInteger(value)) ||
      outOfRange
    ) {
      problems.push({
        path: at('defaultValue'),
        message: `default "${arg.defaultValue}" of "${arg.name}" is not a valid ${arg.type} for it`,
      });
    }
  }
  if (arg['x-bulk'] && arg.isArray) {
    problems.push({
      path: at('x-bulk'),
      message: `argument "${arg.name}" cannot be both isArray and x-bulk`,
    });
  }
  return problems;
}

function checkCommand(
  command: ManifestCommand,
  path: YamlPath,
  params: ManifestParam[],
): Problem[] {
  const args = command.arguments ?? [];
  const problems: Problem[] = [];
  for (const [name, indexes] of duplicates(args, (a) => a.name)) {
    problems.push({
      path: [...path, 'arguments', indexes[1]!],
      message: `duplicate argument "${name}"`,
    });
  }
  const defaults = args.filter((a) => a.default);
  if (defaults.length > 1) {
    problems.push({
      path: [...path, 'arguments'],
      message: `more than one default argument (${defaults.map((a) => a.name).join(', ')})`,
    });
  }
  if (args.filter((a) => a['x-bulk']).length > 1) {
    problems.push({ path: [...path, 'arguments'], message: 'more than one x-bulk argument' });
  }
  args.forEach((arg, i) => problems.push(...checkArgument(arg, [...path, 'arguments', i])));
  const outputs = command.outputs ?? [];
  for (const [contextPath, indexes] of duplicates(outputs, (o) => o.contextPath)) {
    problems.push({
      path: [...path, 'outputs', indexes[1]!],
      message: `duplicate output "${contextPath}"`,
    });
  }
  if (command['x-class'] === 'read' && command.execution) {
    problems.push({
      path: [...path, 'x-class'],
      message: 'a command marked "execution: true" (potentially harmful) cannot be x-class read',
    });
  }
  const gate = command['x-requires-param'];
  if (gate !== undefined) {
    const param = params.find((p) => p.name === gate);
    if (!param) {
      problems.push({
        path: [...path, 'x-requires-param'],
        message: `x-requires-param names an unknown parameter "${gate}"`,
      });
    } else if (param.type !== 8) {
      problems.push({
        path: [...path, 'x-requires-param'],
        message: `x-requires-param "${gate}" is not a checkbox (type 8) parameter`,
      });
    }
  }
  return problems;
}

/** Problems in a manifest that already matches the schema. */
export function checkManifest(manifest: Manifest): Problem[] {
  const problems: Problem[] = [];
  const params = manifest.configuration;
  for (const [name, indexes] of duplicates(params, (p) => p.name)) {
    problems.push({
      path: ['configuration', indexes[1]!],
      message: `duplicate parameter "${name}"`,
    });
  }
  params.forEach((p, i) =>
    problems.push(...checkParam(p, ['configuration', i], manifest.sectionorder)),
  );
  const commands = manifest.script.commands;
  for (const [name, indexes] of duplicates(commands, (c) => c.name)) {
    problems.push({
      path: ['script', 'commands', indexes[1]!],
      message: `duplicate command "${name}"`,
    });
  }
  commands.forEach((c, i) => problems.push(...checkCommand(c, ['script', 'commands', i], params)));
  return problems;
}

/**
 * The commands without an `x-class`. The product's manifest classifies every command (the build
 * and the engine refuse one that does not): what a command may do decides who may run it.
 */
export function unclassifiedCommands(manifest: Manifest): string[] {
  return manifest.script.commands.filter((c) => !c['x-class']).map((c) => c.name);
}

/** Built-in commands every integration answers without a manifest entry. */
export const BUILTIN_COMMANDS = ['test-module'] as const;

/**
 * The manifest and the handlers must agree: every command (and test-module) has a handler, and
 * every command file in commands/ belongs to a command. `handlerNames` are the names that resolve
 * to a handler; `commandFiles` the names of the files in commands/.
 */
export function checkHandlers(
  manifest: Manifest,
  handlerNames: readonly string[],
  commandFiles: readonly string[],
): string[] {
  const declared = new Set([...manifest.script.commands.map((c) => c.name), ...BUILTIN_COMMANDS]);
  const problems: string[] = [];
  for (const name of declared) {
    if (!handlerNames.includes(name)) {
      problems.push(`command "${name}" is declared in the manifest but has no handler`);
    }
  }
  for (const name of commandFiles) {
    if (!declared.has(name)) {
      problems.push(`commands/${name}.ts is not a command declared in the manifest`);
    }
  }
  return problems;
}
