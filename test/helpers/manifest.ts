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

/** Validates raw arguments the way the dispatcher does: the typed arguments, or the error line. */
export function validateArgs(
  compiled: CompiledManifest,
  command: string,
  raw: Record<string, unknown>,
) {
  const spec = compiled.commands.get(command)!;
  const args = normaliseArguments(spec, raw);
  const validate = compiled.validators[command]!;
  return validate(args)
    ? { ok: true as const, args }
    : { ok: false as const, message: describeArgumentErrors(spec, validate.errors ?? [], args) };
}
