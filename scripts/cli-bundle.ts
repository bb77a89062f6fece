/**
 * The CLI's bundle, dist/cli/, shaped for start-up time (bin/code-cache.js loads it).
 *
 * Node 20 can keep V8's compiled code between runs only for classic scripts (vm.Script
 * `cachedData`), not for ES modules, and every file it opens costs a read and a compile. So:
 *  1. esbuild bundles src/cli/main.ts (the CLI) and src/cli/quick.ts (help) as ES modules with
 *     code splitting, which puts every heavy dependency (MSAL, YAML, ajv's compiler, the playbook
 *     runner, the engine, MCP...) in a chunk of its own, loaded by a dynamic import only when
 *     a command needs it, and code used by several of them in shared chunks;
 *  2. each output is turned into a CommonJS module function (esbuild's transform), whose
 *     `import`s and `import()`s call the loader's `require` with the chunk's name;
 *  3. the modules are written in packs, files of `define(name, moduleFunction)` calls: one pack
 *     per chunk (`<name>.cjs`; for a dynamic import's target, with the chunks it imports that
 *     the warm pack does not hold), plus `warm.pack.cjs`, everything a command with a cached token runs (the CLI's static
 *     imports, the session, the command modules, the text output), and `quick.pack.cjs`, the help.
 *     A module defined in two packs is the same code: the loader keeps the first definition, so
 *     every module is instantiated once however it was reached.
 * Each pack starts with `// msgraph-user build <id>`, a hash of the whole bundle: the loader
 * keys its code cache by it.
 */
import { build, transform, type Metafile, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** Dynamic-import targets that a command run with a cached token loads: they go in warm.cjs. */
const WARM_LAZY_SOURCES = [
  /^src\/auth\/session\.ts$/,
  /^src\/cli\/terminal-text\.ts$/,
  /^commands\/[^/]+\.ts$/,
  /^commands\/shared\/method-commands\.ts$/,
];

export interface CliBundleOptions {
  root: string;
  dist: string;
  plugins: Plugin[];
  alias: Record<string, string>;
  supported: Record<string, boolean>;
}

/** What the tests read: which sources each pack holds. */
export interface CliBundleMeta {
  buildId: string;
  /** Per pack: its modules, its sources (with the bytes each adds), its size. */
  packs: Record<string, { modules: string[]; inputs: Record<string, number>; bytes: number }>;
}

/**
 * esbuild's interop helpers, as its CommonJS transform writes them, and lighter equivalents.
 * The originals copy every property of a module into a new object, as a getter: the CLI's 70
 * modules and the Node built-ins they import (`fs`, `crypto`: a hundred properties each) cost
 * ~3 ms at every start. The replacements read the same values: a module that is already an ES
 * module's exports is used as it is; another gets `default` on an object that inherits the
 * rest from it. (Only `Object.keys` of such a namespace differs, which nothing here calls.)
 */
const INTEROP: { name: string; original: RegExp; lighter: (...names: string[]) => string }[] = [
  {
    name: '__toESM',
    // (mod, create, getProtoOf, copyProps, defProp): esbuild numbers a helper's name (`__defProp2`)
    // where two copies meet.
    original:
      /var __toESM=\((\w+),isNodeMode,target\)=>\(target=\1!=null\?(\w+)\((\w+)\(\1\)\):\{\},(\w+)\(isNodeMode\|\|!\1\|\|!\1\.__esModule\?(\w+)\(target,"default",\{value:\1,enumerable:true\}\):target,\1\)\);/g,
    lighter: (m, create, _getProtoOf, _copyProps, defProp) =>
      `var __toESM=(${m},isNodeMode)=>${m}==null||typeof ${m}!=="object"&&typeof ${m}!=="function"?${defProp}({},"default",{value:${m},enumerable:true}):!isNodeMode&&${m}.__esModule?${m}:${create}(${m},{default:{value:${m},enumerable:true}});`,
  },
  {
    name: '__toCommonJS',
    // (mod, copyProps, defProp)
    original: /var __toCommonJS=(\w+)=>(\w+)\((\w+)\(\{\},"__esModule",\{value:true\}\),\1\);/g,
    lighter: (m, _copyProps, defProp) =>
      `var __toCommonJS=${m}=>${defProp}(${m},"__esModule",{value:true});`,
  },
];

function lighterInterop(code: string, where: string): string {
  let result = code;
  for (const { name, original, lighter } of INTEROP) {
    const defined = (result.match(new RegExp(`var ${name}=`, 'g')) ?? []).length;
    let replaced = 0;
    result = result.replace(original, (...match: string[]) => {
      replaced++;
      return lighter(...match.slice(1, 6));
    });
    if (replaced !== defined) {
      throw new Error(`${where}: esbuild's ${name} changed (see INTEROP in scripts/cli-bundle.ts)`);
    }
  }
  return result;
}

/**
 * The pack in ASCII, which the loader reads as Latin-1 (faster than decoding UTF-8, and a
 * one-byte string for V8). esbuild's `charset: 'ascii'` escapes strings and identifiers; what
 * is left (a name in a licence comment) is escaped the same way, as UTF-16 code units.
 */
const asciiOnly = (text: string): string =>
  text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const moduleName = (outputPath: string) => basename(outputPath).replace(/\.js$/, '');

export async function bundleCli(options: CliBundleOptions): Promise<CliBundleMeta> {
  const outdir = join(options.dist, 'cli');
  const result = await build({
    metafile: true,
    write: false,
    entryPoints: {
      main: join(options.root, 'src/cli/main.ts'),
      quick: join(options.root, 'src/cli/quick.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    supported: options.supported,
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    alias: options.alias,
    plugins: options.plugins,
  });
  const meta: Metafile = result.metafile;
  const rel = (path: string) => relative(options.root, path);

  // Each output as a module function's body.
  const bodies = new Map<string, string>();
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    const transformed = await transform(file.text, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      supported: { ...options.supported, 'dynamic-import': false },
      // import() becomes Promise.resolve().then(() => require(...)): the loader's require.
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'silent',
      charset: 'ascii',
      // Less to read and to hold for every start (V8 keeps the source for functions that are
      // compiled when first called).
      minifyWhitespace: true,
    });
    const warnings = transformed.warnings.map((w) => w.text);
    if (warnings.length > 0) {
      throw new Error(`${rel(file.path)} cannot run as CommonJS: ${warnings.join('; ')}`);
    }
    bodies.set(moduleName(file.path), lighterInterop(transformed.code, rel(file.path)));
  }
  // Which modules each pack holds: a module and everything it imports statically.
  const outputs = Object.fromEntries(
    Object.entries(meta.outputs).filter(([path]) => path.endsWith('.js')),
  );
  const closure = (starts: string[]): string[] => {
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path) || !outputs[path]) return;
      seen.add(path);
      for (const next of outputs[path]!.imports) {
        if (next.kind === 'import-statement' && !next.external) visit(next.path);
      }
    };
    starts.forEach(visit);
    return [...seen];
  };
  const byEntry = (entry: string) =>
    Object.keys(outputs).find((path) => outputs[path]!.entryPoint === entry);
  const warmLazy = Object.keys(outputs).filter((path) => {
    const entry = outputs[path]!.entryPoint;
    return entry !== undefined && WARM_LAZY_SOURCES.some((pattern) => pattern.test(entry));
  });
  const mainOutput = byEntry('src/cli/main.ts');
  const quickOutput = byEntry('src/cli/quick.ts');
  const helpOutput = byEntry('src/cli/help.ts');
  if (!mainOutput || !quickOutput || !helpOutput) {
    throw new Error('the CLI bundle has no main, quick or help module');
  }

  const packs: Record<string, string[]> = {
    'warm.pack': closure([mainOutput, ...warmLazy]),
    'quick.pack': closure([quickOutput, helpOutput]),
  };
  // A module loaded on demand (a dynamic import's target) comes with what it imports that the
  // warm pack does not hold: one file to read for YAML, MSAL or the engine, not one per chunk.
  const warm = new Set(packs['warm.pack']);
  for (const path of Object.keys(outputs)) {
    packs[moduleName(path)] = outputs[path]!.entryPoint
      ? closure([path]).filter((module) => module === path || !warm.has(module))
      : [path];
  }

  // Which modules, what code, in which packs: what a cached compilation depends on.
  const buildId = createHash('sha256')
    .update(JSON.stringify([[...bodies.entries()].sort(), packs]))
    .digest('hex')
    .slice(0, 16);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const bundleMeta: CliBundleMeta = { buildId, packs: {} };
  for (const [pack, paths] of Object.entries(packs)) {
    const text = [
      `// msgraph-user build ${buildId}`,
      '// Generated by scripts/build.ts (scripts/cli-bundle.ts); loaded by bin/code-cache.js.',
      // A script whose value is a function: vm.Script compiles the file as it is, with no
      // wrapper to concatenate (a copy of half a megabyte at every start).
      '(function (define) {',
      ...paths.map(
        (path) =>
          `define(${JSON.stringify(moduleName(path))}, function (module, exports, require, __importMetaUrl) {\n"use strict";\n${bodies.get(moduleName(path))}\n});`,
      ),
      '})',
      '',
    ].join('\n');
    writeFileSync(join(outdir, `${pack}.cjs`), asciiOnly(text));
    bundleMeta.packs[pack] = {
      modules: paths.map(moduleName),
      inputs: Object.fromEntries(
        paths
          .flatMap((path) => Object.entries(outputs[path]!.inputs))
          .map(([input, { bytesInOutput }]) => [input, bytesInOutput])
          .sort(),
      ),
      bytes: Buffer.byteLength(text),
    };
  }
  return bundleMeta;
}
