/**
 * The layering, checked on the sources: a folder imports only from folders below it, so the base
 * can be reasoned about alone and a face (CLI, playbook runner, engine) can be replaced without
 * touching what it stands on. And the CLI's bundle holds no simulator code.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Lowest first. A module may import from its own folder and from any folder listed before it. */
const LAYERS: readonly string[][] = [
  ['src/manifest'],
  ['src/base'],
  ['src/state'],
  ['src/http'],
  ['src/auth'],
  ['src/graph', 'src/mfa'],
  ['src/command'],
  ['commands'],
  ['src/runtime'],
  ['src/playbook', 'src/engine'],
  ['src/cli', 'src/index.ts'],
];

function layerOf(file: string): { folder: string; level: number } | undefined {
  for (const [level, folders] of LAYERS.entries()) {
    const folder = folders.find((f) => file === f || file.startsWith(`${f}/`));
    if (folder) return { folder, level };
  }
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a module, static and dynamic, as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)];
  return found.map((m) => relative(root, resolve(root, dirname(file), m[1]!)));
}

describe('layering', () => {
  const files = [...sources('src'), ...sources('commands')];

  it('imports only from the same folder or a layer below', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (!from) {
        violations.push(`${file} is in no layer (add its folder to LAYERS)`);
        continue;
      }
      for (const target of importsOf(file)) {
        if (!target.startsWith('src/') && !target.startsWith('commands/')) continue;
        const to = layerOf(target);
        const ok = to && (to.folder === from.folder || to.level < from.level);
        if (!ok) violations.push(`${file} imports ${target}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('keeps the services (auth, graph, http) free of the orchestration and the faces', () => {
    const services = files.filter((f) => /^src\/(auth|graph|http)\//.test(f));
    const reaching = services.flatMap((file) =>
      importsOf(file)
        .filter((t) => /^(src\/(runtime|cli|playbook|command)|commands|sim)\//.test(t))
        .map((t) => `${file} imports ${t}`),
    );
    expect(services.length).to.be.above(20);
    expect(reaching).to.deep.equal([]);
  });

  it('keeps the simulator a separate program: no product module imports it, it imports none', () => {
    const intoSim = files.flatMap((file) =>
      importsOf(file)
        .filter((t) => t.startsWith('sim/'))
        .map((t) => `${file} imports ${t}`),
    );
    const fromSim = sources('sim').flatMap((file) =>
      importsOf(file)
        .filter((t) => t.startsWith('src/') || t.startsWith('commands/'))
        .map((t) => `${file} imports ${t}`),
    );
    expect([...intoSim, ...fromSim]).to.deep.equal([]);
  });

  it('builds a CLI (every pack in dist/cli/) with no simulator code', function () {
    const metaFile = join(root, 'dist', 'cli-meta.json');
    if (!existsSync(metaFile)) this.skip();
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as {
      packs: Record<string, { inputs: Record<string, number> }>;
    };
    const inputs = new Set(Object.values(meta.packs).flatMap((p) => Object.keys(p.inputs)));
    expect(inputs.size).to.be.above(50);
    expect([...inputs].filter((i) => i.startsWith('sim/'))).to.deep.equal([]);
  });
});
