/**
 * The CLI's start-up path (bin/msgraph-user.js, bin/code-cache.js, the packs in dist/cli/): what
 * each kind of run loads, and how the code cache is kept. How fast it is, `npm run bench` says.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import { ensureBuilt } from '../e2e/support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'msgraph-user.js');
const bundleDir = join(root, 'dist', 'cli');
const recorder = join(root, 'test', 'cli', 'fixtures', 'record-loads.cjs');

interface Pack {
  inputs: Record<string, number>;
}

function packs(): Record<string, Pack> {
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'cli-meta.json'), 'utf8')) as {
    packs: Record<string, Pack>;
  };
  return meta.packs;
}

/** `msgraph-user ...args` with its code cache in `cacheDir`; no network is ever needed. */
function cli(args: string[], cacheDir: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      MSGRAPH_USER_CACHE_DIR: cacheDir,
      // Configured, so that a command gets as far as argument validation (no request is sent).
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: 'app-id',
      AZURE_CLIENT_SECRET: 's3cret-value-1',
      ...extraEnv,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What a run read from disk and which built-in modules it loaded. */
function loads(args: string[], dir: string) {
  const file = join(dir, 'loads.json');
  const result = spawnSync(process.execPath, ['-r', recorder, bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MSGRAPH_USER_CACHE_DIR: join(dir, 'cache'), RECORD_LOADS_FILE: file },
  });
  expect(result.status, result.stderr).to.equal(0);
  return JSON.parse(readFileSync(file, 'utf8')) as { read: string[]; builtins: string[] };
}

const cacheFiles = (dir: string, pack: string) =>
  existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(`${pack}-`)) : [];

const MAGIC = Buffer.from('msgraph-user code cache 2\n', 'latin1');
const HEADER_BYTES = MAGIC.length + 4 + 20;

/** A cache file in the loader's format around `payload` (a correct header and digest). */
function framed(payload: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(payload.length);
  const digest = createHash('sha1').update(payload).digest();
  return Buffer.concat([MAGIC, length, digest, payload]);
}

describe('CLI start-up', () => {
  let dir: string;
  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'msgraph-user-startup-'));
  });
  afterEach(() => {
    sinon.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('what is built', () => {
    const heavy = [
      /^node_modules\/@azure\/msal/,
      /^node_modules\/yaml\//,
      /^node_modules\/ajv\//,
      /^node_modules\/(@fastify|fastify)/,
      /^node_modules\/node-forge\//,
      /^node_modules\/@zip\.js\//,
      /^node_modules\/@modelcontextprotocol\//,
      /^sim\//,
      /^src\/(playbook|engine)\//,
      /^src\/auth\/(login|device-code)\.ts$/,
      /^src\/cli\/(serve|mcp|playbook|login)\.ts$/,
    ];

    it('puts what a warm command runs in one pack, without MSAL, YAML, ajv, the engine or the simulator', () => {
      const inputs = Object.keys(packs()['warm.pack']!.inputs);
      expect(inputs).to.include.members([
        'src/cli/main.ts',
        'src/runtime/compose.ts',
        'src/auth/session.ts',
        'commands/msgraph-user-get.ts',
        'node_modules/axios/lib/axios.js',
      ]);
      expect(inputs.filter((input) => heavy.some((pattern) => pattern.test(input)))).to.deep.equal(
        [],
      );
    });

    it('answers help from a pack without the runtime, the HTTP client or auth', () => {
      const inputs = Object.keys(packs()['quick.pack']!.inputs);
      expect(inputs).to.include.members(['src/cli/quick.ts', 'src/cli/help.ts']);
      const runtime = inputs.filter((input) =>
        /^(src\/(runtime|http|auth|graph)\/|commands\/|node_modules\/axios\/)/.test(input),
      );
      expect(runtime).to.deep.equal([]);
    });
  });

  describe('what a run loads', () => {
    it('answers --version without loading any of the bundle', () => {
      const { read, builtins } = loads(['--version'], dir);
      expect(read.filter((file) => file.includes('/dist/'))).to.deep.equal([]);
      expect(builtins).not.to.include.members(['vm']);
      expect(builtins.filter((name) => /^(https|tls|http)$/.test(name))).to.deep.equal([]);
    });

    it('answers help from the help pack, never the warm one', () => {
      const { read, builtins } = loads(['help', 'msgraph-user-get'], dir);
      const packsRead = read.filter((file) => file.startsWith(bundleDir));
      expect(packsRead).to.deep.equal([join(bundleDir, 'quick.pack.cjs')]);
      expect(builtins.filter((name) => /^(https|tls)$/.test(name))).to.deep.equal([]);
    });

    it('runs a command from the warm pack alone', () => {
      const file = join(dir, 'loads.json');
      const result = spawnSync(
        process.execPath,
        ['-r', recorder, bin, 'msgraph-user-get', 'limit=1'],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            MSGRAPH_USER_CACHE_DIR: join(dir, 'cache'),
            MSGRAPH_USER_STATE_DIR: join(dir, 'state'),
            RECORD_LOADS_FILE: file,
            AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
            AZURE_CLIENT_ID: 'app-id',
            AZURE_CLIENT_SECRET: 's3cret-value-1',
          },
        },
      );
      expect(result.status, result.stderr).to.equal(1);
      const { read } = JSON.parse(readFileSync(file, 'utf8')) as { read: string[] };
      expect(read.filter((f) => f.startsWith(bundleDir))).to.deep.equal([
        join(bundleDir, 'warm.pack.cjs'),
      ]);
    });
  });

  describe('the code cache', () => {
    const invalid = ['msgraph-user-get', 'limit=1'];
    const INVALID_MESSAGE =
      /^Invalid arguments for msgraph-user-get: missing required argument "user"/;

    it('is written after the first run: mode 0600, in a 0700 directory, nothing temporary left', () => {
      const cache = join(dir, 'cache');
      const first = cli(invalid, cache);
      expect(first.code).to.equal(1);
      expect(first.stderr).to.match(INVALID_MESSAGE);
      const [file] = cacheFiles(cache, 'warm.pack');
      expect(file).to.match(new RegExp(`^warm\\.pack-\\w+-node${process.version}-`));
      expect(statSync(join(cache, file!)).mode & 0o777).to.equal(0o600);
      expect(statSync(cache).mode & 0o777).to.equal(0o700);
      expect(readdirSync(cache).filter((name) => !name.endsWith('.v8'))).to.deep.equal([]);
    });

    it('is used by the next run, which leaves it as it is', () => {
      const cache = join(dir, 'cache');
      cli(['help'], cache);
      const [file] = cacheFiles(cache, 'quick.pack');
      const before = statSync(join(cache, file!));
      const again = cli(['help'], cache);
      expect(again.code).to.equal(0);
      const after = statSync(join(cache, file!));
      expect([after.ino, after.mtimeMs]).to.deep.equal([before.ino, before.mtimeMs]);
    });

    it('ignores a corrupt, truncated or other-Node cache file and writes a good one', () => {
      const cache = join(dir, 'cache');
      const reference = cli(['help', 'msgraph-user-get'], cache);
      const [file] = cacheFiles(cache, 'quick.pack');
      const path = join(cache, file!);
      const good = readFileSync(path);
      const payload = good.subarray(HEADER_BYTES);
      expect(framed(payload).equals(good)).to.equal(true);
      const flipped = Buffer.from(payload);
      flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0xff;
      // V8 keeps its version in the cache's header: another Node writes another.
      const otherNode = Buffer.from(payload);
      otherNode.writeUInt32LE((otherNode.readUInt32LE(4) ^ 0x5a5a5a5a) >>> 0, 4);
      const bad: Record<string, Buffer> = {
        garbage: Buffer.from('not a code cache at all'),
        truncated: good.subarray(0, good.length >> 1),
        'flipped byte': Buffer.concat([good.subarray(0, good.length - payload.length), flipped]),
        'another Node': framed(otherNode),
      };
      for (const [what, content] of Object.entries(bad)) {
        writeFileSync(path, content, { mode: 0o600 });
        const run = cli(['help', 'msgraph-user-get'], cache);
        expect(run, what).to.deep.equal(reference);
        expect(readFileSync(path).equals(content), `${what}: rewritten`).to.equal(false);
        const written = statSync(path);
        cli(['help', 'msgraph-user-get'], cache);
        expect(statSync(path).ino, `${what}: the new file is used`).to.equal(written.ino);
      }
    });

    it('costs nothing but time when the cache directory cannot be written', () => {
      const blocker = join(dir, 'not-a-directory');
      writeFileSync(blocker, '');
      const cache = join(blocker, 'cache');
      const help = cli(['help'], cache);
      expect(help.code).to.equal(0);
      expect(help.stderr).to.equal('');
      expect(help.stdout).to.contain('msgraph-user-get');
      const invalidRun = cli(invalid, cache);
      expect(invalidRun.code).to.equal(1);
      expect(invalidRun.stderr).to.match(INVALID_MESSAGE);
      expect(invalidRun.stderr.trim().split('\n')).to.have.length(1);
    });

    it('is written to a temporary file (0600, created new) that is renamed into place', () => {
      const cache = join(dir, 'cache');
      const loader = (
        createRequire(import.meta.url)('../../bin/code-cache.js') as {
          createLoader(
            dir: string,
            env: NodeJS.ProcessEnv,
          ): { preload(pack: string): void; saveCache(): void };
        }
      ).createLoader(bundleDir, { MSGRAPH_USER_CACHE_DIR: cache });
      const write = sinon.spy(fs, 'writeFileSync');
      const rename = sinon.spy(fs, 'renameSync');
      loader.preload('quick.pack');
      loader.saveCache();
      const [file] = cacheFiles(cache, 'quick.pack');
      const final = join(cache, file!);
      const temporary = `${final}.${process.pid}.tmp`;
      expect(write.firstCall.args[0]).to.equal(temporary);
      expect(write.firstCall.args[2]).to.deep.equal({ mode: 0o600, flag: 'wx' });
      expect(rename.firstCall.args).to.deep.equal([temporary, final]);
      expect(existsSync(temporary)).to.equal(false);
    });
  });
});
