/**
 * The manifest in the form the runtime uses: parsed, validated, with one argument validator per
 * command. Parsing YAML and compiling schemas costs more than a whole warm command, so the build
 * writes the parsed manifest into dist/manifest.mjs, keyed by the manifest's hash, and each
 * command's validator (ajv standalone code) into its own dist/validators/ module; start-up only
 * hashes integration.yml, imports the manifest and, when a command runs, that command's validator.
 * When the hash differs (the manifest was edited after the build) or there is no build, it
 * compiles in process instead, each validator on first use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv';
import { ARGUMENT_SCHEMA_VERSION, argumentsSchema } from './arguments.js';
import type { Manifest, ManifestCommand } from './types.js';

export interface ArgumentValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface CompiledManifest {
  manifest: Manifest;
  /** Command name -> command, including the built-in test-module. */
  commands: Map<string, ManifestCommand>;
  /** The argument validator of one command (loaded or compiled on first use). */
  validator(command: string): Promise<ArgumentValidator | undefined>;
  file: string;
}

/** test-module takes no arguments and writes no context. */
export const TEST_MODULE: ManifestCommand = {
  name: 'test-module',
  description: 'Checks the instance configuration: authenticates and makes one Graph call.',
  arguments: [],
  outputs: [],
};

/** The package root: the nearest folder above this module holding integration.yml. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'integration.yml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('integration.yml not found above ' + from);
    dir = parent;
  }
}

export const manifestCacheKey = (text: string): string =>
  `${createHash('sha256').update(text).digest('hex')}:${ARGUMENT_SCHEMA_VERSION}`;

function commandMap(manifest: Manifest): Map<string, ManifestCommand> {
  const map = new Map(manifest.script.commands.map((c) => [c.name, c]));
  map.set(TEST_MODULE.name, TEST_MODULE);
  return map;
}

/** Argument schemas for every command (and test-module), keyed by command name. */
export function allArgumentSchemas(manifest: Manifest): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...commandMap(manifest).values()].map((c) => [c.name, argumentsSchema(c)]),
  );
}

export const ARGUMENT_AJV_OPTIONS = {
  allErrors: true,
  useDefaults: true,
  strict: true,
  allowUnionTypes: true,
} as const;

/** Parses and compiles manifest text in process (tests, and a manifest newer than the build). */
export async function compileManifestText(text: string, file: string): Promise<CompiledManifest> {
  const [{ parseManifest }, { Ajv }] = await Promise.all([import('./load.js'), import('ajv')]);
  const manifest = parseManifest(text, file);
  const commands = commandMap(manifest);
  const ajv = new Ajv(ARGUMENT_AJV_OPTIONS);
  const compiled = new Map<string, ArgumentValidator>();
  const validator = async (name: string): Promise<ArgumentValidator | undefined> => {
    const command = commands.get(name);
    if (!command) return undefined;
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile(argumentsSchema(command));
      compiled.set(name, validate);
    }
    return validate;
  };
  return { manifest, commands, validator, file };
}

interface PrebuiltModule {
  cacheKey: string;
  manifest: Manifest;
  /** Command name -> validator module, relative to dist/. */
  validatorModules: Record<string, string>;
}

function prebuiltValidators(dist: string, modules: Record<string, string>) {
  return async (name: string): Promise<ArgumentValidator | undefined> => {
    const file = modules[name];
    if (!file) return undefined;
    const module = (await import(pathToFileURL(join(dist, file)).href)) as {
      validate: ArgumentValidator;
    };
    return module.validate;
  };
}

const loaded = new Map<string, Promise<CompiledManifest>>();

/** Loads (once per process and file) the compiled manifest. */
export function loadCompiledManifest(manifestPath?: string): Promise<CompiledManifest> {
  const root = packageRoot();
  const file = resolve(manifestPath ?? join(root, 'integration.yml'));
  let pending = loaded.get(file);
  if (!pending) {
    pending = (async () => {
      const text = readFileSync(file, 'utf8');
      const prebuilt = join(root, 'dist', 'manifest.mjs');
      if (file === join(root, 'integration.yml') && existsSync(prebuilt)) {
        const module = (await import(pathToFileURL(prebuilt).href)) as PrebuiltModule;
        if (module.cacheKey === manifestCacheKey(text)) {
          return {
            manifest: module.manifest,
            commands: commandMap(module.manifest),
            validator: prebuiltValidators(join(root, 'dist'), module.validatorModules),
            file,
          };
        }
      }
      return compileManifestText(text, file);
    })();
    loaded.set(file, pending);
    pending.catch(() => loaded.delete(file));
  }
  return pending;
}
