import { compileManifestText, type CompiledManifest } from '../../src/manifest/compiled.js';
import { normaliseArguments, describeArgumentErrors } from '../../src/manifest/arguments.js';

/** Wraps command YAML (the items under script.commands) into a minimal valid manifest. */
export function manifestWith(commandsYaml: string, configurationYaml = ''): string {
  const indent = (text: string, n: number) =>
    text
      .trim()
      .split('\n')
      .map((l) => ' '.repeat(n) + l)
      .join('\n');
  return `commonfields:
  id: Test
  version: -1
name: Test
display: Test
category: Utilities
description: Test manifest.
configuration:
${configurationYaml ? indent(configurationYaml, 2) : '  []'}
script:
  script: '-'
  type: javascript
  commands:
${indent(commandsYaml, 4)}
`;
}

export function compileCommands(
  commandsYaml: string,
  configurationYaml = '',
): Promise<CompiledManifest> {
  return compileManifestText(manifestWith(commandsYaml, configurationYaml), 'test.yml');
}

export type ArgumentCheck = (
  command: string,
  raw: Record<string, unknown>,
) =>
  | { ok: true; args: Record<string, unknown>; message?: undefined }
  | { ok: false; message: string; args?: undefined };

/**
 * A synchronous check for the given commands (their validators loaded up front) that validates
 * raw arguments the way the dispatcher does: the typed arguments, or the error line.
 */
export async function argumentChecker(
  compiled: CompiledManifest,
  commands: string[],
): Promise<ArgumentCheck> {
  const validators = new Map(
    await Promise.all(commands.map(async (c) => [c, (await compiled.validator(c))!] as const)),
  );
  return (command, raw) => {
    const spec = compiled.commands.get(command)!;
    const args = normaliseArguments(spec, raw);
    const validate = validators.get(command)!;
    return validate(args)
      ? { ok: true as const, args }
      : { ok: false as const, message: describeArgumentErrors(spec, validate.errors ?? [], args) };
  };
}
