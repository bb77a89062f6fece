/**
 * Secret canaries on the error paths at the edges (issue 11): a password in a server URL or in
 * HTTPS_PROXY, a secret typed without its name=, unquoted YAML values starting with * or !, an
 * --input without KEY=, a proxy that never answers, and bounds and file-system faults met while a
 * secret is configured. Each runs through the real CLI process with --debug; the canary may
 * appear in neither stdout nor stderr, and nothing reaches the network but the proxy cases.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { canary, expectNoLeaks, Needles } from './canary-scan.js';
import {
  customCloudParams,
  runCliProcess,
  startSilentServer,
  TempDirs,
  type CliResult,
  type SilentServer,
} from './support.js';

const SECRET = canary('edge');

interface EdgeCase {
  title: string;
  /** The params file: an object (JSON) or YAML text; `tripwire` is the URL no request may reach. */
  params: (tripwire: string, proxy: string) => Record<string, unknown> | string;
  argv: string[];
  /** Environment, given the silent proxy's address. */
  env?: (proxy: string) => Record<string, string>;
  code: 1 | 2;
  says: RegExp;
  /** Sets up the case's directory; returns the state options (default: a fresh --state-dir). */
  prepare?: (dir: string) => Promise<string[]>;
}

const base = (tripwire: string) => customCloudParams(tripwire, { creds_enc_key: SECRET });
const yamlBase = (tripwire: string) =>
  `azure_cloud: Custom\nhost: ${tripwire}\nazure_ad_endpoint: ${tripwire}\nself_deployed: true\ncreds_auth_id: 0d4a3c52-1111-4aaa-8bbb-000000000001\ncreds_tenant_id: 0d4a3c52-2222-4aaa-8bbb-000000000002\n`;
const get = ['msgraph-user-get', 'user=adele@contoso.com'];

const CASES: EdgeCase[] = [
  {
    title: 'a password in the Server URL',
    params: (t) => ({ ...base(t), host: `https://admin:${SECRET}@graph.example` }),
    argv: get,
    code: 1,
    says: /Server URL \(host\) must not contain a user name or password/,
  },
  {
    title: 'a password in an Azure AD endpoint that is no URL',
    params: (t) => ({ ...base(t), azure_ad_endpoint: `https://admin:${SECRET}@login.x:99999` }),
    argv: get,
    code: 1,
    says: /Azure AD endpoint must be an https:\/\/ URL/,
  },
  {
    title: 'a secret typed without its name=',
    params: base,
    argv: ['msgraph-user-tap-policy-create', 'user_id=adele@contoso.com', SECRET],
    code: 2,
    says: /value 2 \(not shown: msgraph-user-tap-policy-create takes secrets\)/,
  },
  {
    title: 'an unquoted YAML secret starting with *',
    params: (t) => `${yamlBase(t)}creds_enc_key: *${SECRET}\n`,
    argv: get,
    code: 2,
    says: /an alias \(\*name\) without its anchor at line 7, column 16/,
  },
  {
    title: 'an unquoted YAML secret starting with !',
    params: (t) => `${yamlBase(t)}creds_enc_key: {password: !${SECRET}}\n`,
    argv: get,
    code: 2,
    says: /unknown tag at line 7, column 27 \(quote values that start with \* or !\)/,
  },
  {
    title: 'a malformed HTTPS_PROXY holding a password',
    // Worldwide: loopback hosts (the tripwire) never go through a proxy.
    params: (t) => ({ ...base(t), azure_cloud: 'Worldwide', proxy: true, timeout: 1 }),
    argv: get,
    env: () => ({ HTTPS_PROXY: `http://user:${SECRET}@[not-a-host` }),
    code: 1,
    says: /HTTPS_PROXY is not a valid proxy URL/,
  },
  {
    title: 'a proxy with a password that accepts and never answers (timeout 1 s)',
    params: (t) => ({ ...base(t), azure_cloud: 'Worldwide', proxy: true, timeout: 1 }),
    argv: get,
    env: (proxy) => ({ HTTPS_PROXY: `http://user:${SECRET}@${proxy}` }),
    code: 1,
    says: /timed out: no answer within 1 s/,
  },
  {
    title: 'a playbook --input given without KEY=',
    params: base,
    argv: ['playbook', 'run', 'never-read.yml', '--input', SECRET],
    code: 2,
    says: /--input takes KEY=VALUE \(one was given without "KEY="\)/,
  },
  {
    title: 'a start_time past year 9999 beside a zip password',
    params: base,
    argv: [
      'msgraph-user-tap-policy-create',
      'user_id=adele@contoso.com',
      `zip_password=${SECRET}`,
      'start_time=in 100000 years',
    ],
    code: 1,
    says: /too far in the future/,
  },
  {
    title: 'a timeout beyond the bound',
    params: (t) => ({ ...base(t), timeout: 2_147_484 }),
    argv: get,
    code: 2,
    says: /"timeout" must be at most 3600 seconds/,
  },
  {
    title: 'a state dir that is a file',
    params: base,
    argv: get,
    code: 1,
    says: /is a file, not a directory/,
    prepare: async (dir) => ['--state-dir', join(dir, 'params.json')],
  },
  {
    title: 'a stray file at the lock',
    params: base,
    argv: get,
    code: 1,
    says: /a file is in the way of the lock/,
    prepare: async (dir) => {
      const instance = join(dir, 'state', 'instances', 'canary-lock');
      await mkdir(instance, { recursive: true });
      await writeFile(join(instance, 'context.lock'), '');
      return ['--state-dir', join(dir, 'state'), '--instance', 'canary-lock'];
    },
  },
];

describe('secret canaries on the error paths at the edges', function () {
  this.timeout(120_000);
  const dirs = new TempDirs();
  let tripwire: SilentServer;
  let proxy: SilentServer;
  const results: CliResult[] = [];

  before(async () => {
    const root = await dirs.make('canaries-edges');
    tripwire = await startSilentServer();
    proxy = await startSilentServer();
    const proxyAddress = proxy.url.replace(/^https:\/\//, '');
    const runs = CASES.map(async (c, i) => {
      const dir = join(root, String(i));
      await mkdir(dir, { recursive: true });
      const params = c.params(tripwire.url, proxyAddress);
      const file = join(dir, typeof params === 'string' ? 'params.yml' : 'params.json');
      await writeFile(file, typeof params === 'string' ? params : JSON.stringify(params));
      const options = (await c.prepare?.(dir)) ?? ['--state-dir', join(dir, 'state')];
      results[i] = await runCliProcess([...c.argv, '--params', file, ...options, '--debug'], {
        env: c.env?.(proxyAddress),
      });
    });
    await Promise.all(runs);
  });
  after(async () => {
    await tripwire?.close();
    await proxy?.close();
    await dirs.removeAll();
  });

  CASES.forEach((c, i) => {
    it(`${c.title}: exit ${c.code}, says why, never the secret`, () => {
      const result = results[i]!;
      expect(result.code, result.stderr).to.equal(c.code);
      expect(result.stderr).to.match(c.says);
      const needles = new Needles();
      needles.add('the canary', SECRET);
      expectNoLeaks(needles, [
        { where: `stdout of ${c.title}`, content: result.stdout },
        { where: `stderr of ${c.title}`, content: result.stderr },
      ]);
    });
  });

  it('sent nothing anywhere but to the proxy', () => {
    expect(tripwire.connections()).to.equal(0);
    expect(proxy.connections()).to.be.above(0);
  });
});
