/**
 * The package as users get it: `npm pack`, then `npm install -g --prefix <temp>` of the tarball
 * gives a working `msgraph-user` on that prefix's PATH (its version, a command against the
 * simulator), and a TypeScript consumer of `import { createRuntime } from 'msgraph-user'`
 * type-checks against the emitted declarations.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { ensureBuilt, removeTempDirs, ROOT, tempDir, writeParams } from './support.js';
import { inheritedClockEnv } from '../helpers/clock.js';

const run = promisify(execFile);
const DEADLINE_MS = 240_000;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

/** npm with no lifecycle noise and the local cache first (npm ci filled it). */
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    timeout: DEADLINE_MS,
    env: { ...process.env, npm_config_prefer_offline: 'true' },
  });

describe('the installed package', function () {
  this.timeout(DEADLINE_MS * 2);
  let prefix: string;
  let sim: Simulator;

  before(async () => {
    await ensureBuilt();
    const dir = tempDir('msgraph-user-pack-');
    const { stdout } = await npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const tarball = join(dir, stdout.trim().split('\n').at(-1)!);
    prefix = join(dir, 'prefix');
    await npm(['install', '-g', '--prefix', prefix, tarball], dir);
    sim = await startSimulator({ outDir: join(dir, 'sim') });
  });
  after(async () => {
    await sim?.close();
    removeTempDirs();
  });

  const installed = (...args: string[]) =>
    run(join(prefix, 'bin', 'msgraph-user'), args, {
      timeout: 60_000,
      env: {
        ...inheritedClockEnv(),
        PATH: process.env.PATH,
        HOME: tempDir('msgraph-user-pack-home-'),
        NODE_EXTRA_CA_CERTS: sim.caFile,
        MSGRAPH_USER_STATE_DIR: tempDir('msgraph-user-pack-state-'),
      },
    });

  it('puts msgraph-user on the prefix PATH, answering --version', async () => {
    const { stdout } = await installed('--version');
    expect(stdout.trim()).to.equal(pkg.version);
  });

  it('runs a command against the simulated tenant', async () => {
    const params = writeParams(tempDir(), 'params', sim.paramsFor('client-credentials'));
    const user = sim.users.kim!.userPrincipalName;
    const { stdout } = await installed(
      'msgraph-user-get',
      `user=${user}`,
      '--params',
      params,
      '-o',
      'json',
    );
    expect((JSON.parse(stdout) as { UserPrincipalName: string }[])[0]!.UserPrincipalName).to.equal(
      user,
    );
  });

  it('type-checks a consumer importing createRuntime, and rejects a wrong call', async () => {
    const consumer = tempDir('msgraph-user-consumer-');
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(
      join(prefix, 'lib', 'node_modules', 'msgraph-user'),
      join(consumer, 'node_modules', 'msgraph-user'),
    );
    writeFileSync(join(consumer, 'package.json'), '{"type": "module"}');
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import { createRuntime, type Entry, type Runtime } from 'msgraph-user';",
        'const runtime: Runtime = await createRuntime({ params: {}, stateDir: "/tmp/x" });',
        "const entries: Entry[] = await runtime.run('msgraph-user-get', { user: 'a' });",
        'export const first = entries[0]?.HumanReadable;',
        '// @ts-expect-error: the options are an object, so a wrong call does not type-check',
        'export const wrong = createRuntime(42);',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', consumer], { timeout: 120_000 }).catch(
      (err: { stdout: string }) => ({ stdout: err.stdout, failed: true }),
    );
    expect(result, result.stdout).not.to.have.property('failed');
  });

  it('lists no test-only package in dependencies', () => {
    const testOnly = /^(@types\/|chai|mocha|sinon|nock|tsx|typescript|esbuild|eslint|prettier)/;
    expect(Object.keys(pkg.dependencies).filter((name) => testOnly.test(name))).to.deep.equal([]);
  });
});
