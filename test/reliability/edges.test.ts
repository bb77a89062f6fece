/**
 * Every failure ends, and ends cleanly (issue 11): the edge cases an adversarial run found, each
 * through the real CLI process under the hang guard. A process that never exits, a wrong secret
 * reported as ok, lock faults, output faults, file-system faults and bounds: each must end with
 * its exit code and a line that says what is wrong (or, for a closed pipe, quietly). Cases that
 * need no tenant point at a tripwire that counts connections: they must send nothing.
 * (Secrets on these paths: canaries-edges.test.ts. The login's forged redirect and MFA answers
 * are pinned in test/auth/login.test.ts and test/commands/methods-mfa.test.ts.)
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator } from '../../sim/index.js';
import {
  afterKilledHolder,
  IMMUTABLE,
  immutableContext,
  mistypedSecret,
  stateFault,
  type World,
} from './edges-world.js';
import {
  customCloudParams,
  lines,
  runCliProcess,
  startSilentServer,
  TempDirs,
  writeJson,
  type CliResult,
} from './support.js';

interface Edge {
  title: string;
  run(world: World): Promise<CliResult>;
  code: 0 | 1 | 2;
  /** What stderr says; undefined: nothing at all. */
  says?: RegExp;
  skip?: () => boolean;
}

const EDGES: Edge[] = [
  {
    title: '1. a proxy that accepts and never answers (proxy on, timeout 1 s)',
    run: async (w) => {
      const dir = await w.dir('silent-proxy');
      const params = await w.params(dir, { azure_cloud: 'Worldwide', proxy: true, timeout: 1 });
      const proxy = w.silentProxy.url.replace('https://', 'http://');
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, '--state-dir', dir], {
        HTTPS_PROXY: proxy,
      });
    },
    code: 1,
    says: /^Request to https:\/\/login\.microsoftonline\.com timed out: no answer within 1 s\./,
  },
  {
    title: '1. a params file that is a named pipe nothing writes to',
    skip: () => process.platform === 'win32',
    run: async (w) => {
      const dir = await w.dir('fifo');
      execFileSync('mkfifo', [join(dir, 'params.yml')]);
      return w.cli(['msgraph-user-get', 'user=a', '--params', join(dir, 'params.yml')]);
    },
    code: 2,
    says: /params\.yml: it is a named pipe and nothing was written to it within 10 s\.$/,
  },
  {
    title: '1. a state dir under /proc',
    skip: () => process.platform !== 'linux',
    run: async (w) => {
      const params = await w.params(await w.dir('proc'), {}, 'tripwire');
      const state = ['--state-dir', '/proc/self/msgraph-user-edges'];
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, ...state]);
    },
    code: 1,
    says: /^Cannot create the directory \/proc\/self\/msgraph-user-edges: the file system does not allow a directory there\.$/,
  },
  {
    title: '2. test-module with a mistyped secret after a token was cached',
    run: (w) => mistypedSecret(w, ['test-module']),
    code: 1,
    says: /AADSTS7000215/,
  },
  {
    title: '2. a command with a mistyped secret after a token was cached',
    run: (w) => mistypedSecret(w, ['msgraph-user-get', 'user=a']),
    code: 1,
    says: /AADSTS7000215/,
  },
  {
    title: '3. a stray regular file at context.lock',
    run: stateFault('edge-lock', async (instanceDir) => {
      await mkdir(instanceDir);
      await writeFile(join(instanceDir, 'context.lock'), 'not a lock');
    }),
    code: 1,
    says: /context\.lock: a file is in the way of the lock \(msgraph-user locks with a directory\); remove it\.$/,
  },
  {
    title: '3. the lock of a holder killed with SIGKILL',
    run: afterKilledHolder,
    code: 0,
    says: undefined,
  },
  {
    title: '4. stdout closed by its reader (| head)',
    run: async (w) => {
      const dir = await w.dir('closed-pipe');
      const params = await w.params(dir);
      return w.cli(
        ['msgraph-user-list', 'all=true', '--params', params, '--state-dir', dir],
        {},
        'closed',
      );
    },
    code: 0,
    says: undefined,
  },
  {
    title: '4. stdout on a full disk (/dev/full)',
    skip: () => !existsSync('/dev/full'),
    run: async (w) => {
      const dir = await w.dir('full');
      const params = await w.params(dir);
      const full = openSync('/dev/full', 'w');
      try {
        const argv = ['msgraph-user-list', 'all=true', '--params', params, '--state-dir', dir];
        return await w.cli(argv, {}, full);
      } finally {
        closeSync(full);
      }
    },
    code: 1,
    says: /^msgraph-user: cannot write the output to stdout: no space left on the device \(ENOSPC\)\.$/,
  },
  {
    title: '5. a state dir that is a file',
    run: async (w) => {
      const dir = await w.dir('state-file');
      const params = await w.params(dir, {}, 'tripwire');
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, '--state-dir', params]);
    },
    code: 1,
    says: /params\.json is a file, not a directory\.$/,
  },
  {
    title: '5. an instance dir that is a file',
    run: stateFault('edge-file', (instanceDir) => writeFile(instanceDir, '')),
    code: 1,
    says: /edge-file(: it is| is) a file, not a directory\.$/,
  },
  {
    title: '5. a context.json that is a directory',
    run: stateFault('edge-dir', (instanceDir) =>
      mkdir(join(instanceDir, 'context.json'), { recursive: true }).then(() => undefined),
    ),
    code: 1,
    says: /edge-dir\/context\.json: it is a directory\.$/,
  },
  {
    title: '5. an immutable context.json (EPERM)',
    skip: () => !IMMUTABLE,
    run: immutableContext,
    code: 1,
    says: /^Cannot write the integration context \S+context\.json: operation not permitted/,
  },
  {
    title: '5. --state-dir ""',
    run: async (w) => {
      const params = await w.params(await w.dir('empty-state'), {}, 'tripwire');
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, '--state-dir', '']);
    },
    code: 2,
    says: /The state directory \(--state-dir, MSGRAPH_USER_STATE_DIR or stateDir\) is empty/,
  },
  {
    title: '7. a timeout of 2,147,484 s',
    run: async (w) => {
      const dir = await w.dir('timeout');
      const params = await w.params(dir, { timeout: 2_147_484 }, 'tripwire');
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, '--state-dir', dir]);
    },
    code: 2,
    says: /"timeout" must be at most 3600 seconds \(got 2147484\)/,
  },
  {
    title: '7. a start_time of "in 100000 years"',
    run: async (w) => {
      const dir = await w.dir('start-time');
      const params = await w.params(dir, {}, 'tripwire');
      const argv = ['msgraph-user-tap-policy-create', 'user_id=a', 'zip_password=Zz-1234567!'];
      return w.cli([...argv, 'start_time=in 100000 years', '--params', params, '--state-dir', dir]);
    },
    code: 1,
    says: /^Invalid start_time "in 100000 years": it is too far in the future/,
  },
  {
    title: '7. a malformed HTTPS_PROXY',
    run: async (w) => {
      const dir = await w.dir('bad-proxy');
      const params = await w.params(dir, { azure_cloud: 'Worldwide', proxy: true, timeout: 1 });
      return w.cli(['msgraph-user-get', 'user=a', '--params', params, '--state-dir', dir], {
        HTTPS_PROXY: 'http://[not-a-host',
      });
    },
    code: 1,
    says: /^HTTPS_PROXY is not a valid proxy URL/,
  },
  {
    title: '7. a relative next_page climbing out of the Server URL path',
    run: async (w) => {
      const dir = await w.dir('next-page');
      const params = await w.params(dir, { host: `${w.tripwire.url}/graph` }, 'tripwire');
      const argv = ['msgraph-user-list', 'next_page=../../admin/keys'];
      return w.cli([...argv, '--params', params, '--state-dir', dir]);
    },
    code: 1,
    says: /the path leaves the configured Graph base https:\/\/127\.0\.0\.1:\d+\/graph\/\.$/,
  },
];

describe('edges: every failure ends, and ends cleanly (the real CLI process)', function () {
  this.timeout(150_000);
  const dirs = new TempDirs();
  let world: World;
  const results = new Map<Edge, CliResult>();

  before(async () => {
    const root = await dirs.make('edges');
    const sim = await startSimulator({ outDir: join(root, 'sim') });
    const [tripwire, silentProxy] = [await startSilentServer(), await startSilentServer()];
    world = {
      sim,
      tripwire,
      silentProxy,
      dir: async (name) => {
        const dir = join(root, name);
        await mkdir(dir, { recursive: true });
        return dir;
      },
      params: (dir, extra = {}, against = 'sim') =>
        writeJson(join(dir, 'params.json'), {
          ...(against === 'sim'
            ? sim.paramsFor('client-credentials')
            : customCloudParams(tripwire.url)),
          ...extra,
        }),
      cli: (argv, env = {}, stdout) =>
        runCliProcess(argv, { env: { NODE_EXTRA_CA_CERTS: sim.caFile!, ...env }, stdout }),
    };
    await Promise.all(
      EDGES.filter((e) => !e.skip?.()).map(async (e) => results.set(e, await e.run(world))),
    );
  });
  after(async () => {
    await world?.sim.close();
    await world?.tripwire.close();
    await world?.silentProxy.close();
    await dirs.removeAll();
  });

  for (const edge of EDGES) {
    it(`${edge.title}: ends, exit ${edge.code}, ${edge.says ? 'one clear line' : 'quietly'}`, function () {
      if (edge.skip?.()) this.skip();
      const result = results.get(edge)!;
      expect(result.code, result.stderr).to.equal(edge.code);
      if (!edge.says) {
        expect(result.stderr).to.equal('');
        return;
      }
      // One line, or a line and its hint.
      expect(lines(result.stderr).length, result.stderr).to.be.within(1, 2);
      expect(lines(result.stderr)[0]).to.match(edge.says);
    });
  }

  it('the cases that need no tenant sent nothing', () => {
    expect(world.tripwire.connections()).to.equal(0);
  });
});
