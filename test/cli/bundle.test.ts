/**
 * The built CLI (dist/, what `npx msgraph-user` runs) loads its lazy chunks correctly: the YAML
 * params reader and the integration-context lock are only ever exercised through the bundle here.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'msgraph-user.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the bundled CLI', () => {
  before(function () {
    this.timeout(120_000);
    if (!existsSync(join(root, 'dist', 'cli', 'warm.pack.cjs'))) {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    }
  });

  it('reads a YAML params file and writes the integration context (lazy chunks load)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgraph-user-bundle-'));
    const params = join(dir, 'instance.yml');
    writeFileSync(
      params,
      'self_deployed: true\ncreds_auth_id: app-id\ncreds_tenant_id: contoso.onmicrosoft.com\ncreds_enc_key: {password: s3cret-value-1}\n',
    );
    const state = join(dir, 'state');
    const result = cli([
      'msgraph-user-auth-reset',
      '--params',
      params,
      '--state-dir',
      state,
      '--instance',
      'bundle',
    ]);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('Authorization was reset successfully.');
    const context = join(state, 'instances', 'bundle', 'context.json');
    expect(statSync(context).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(readFileSync(context, 'utf8'))).to.deep.equal({ version: 1, context: {} });
  });

  it('answers --help and rejects bad arguments with exit 1, as the sources do', () => {
    expect(cli(['--help']).stdout).to.contain('msgraph-user-get');
    const bad = cli(
      [
        'msgraph-user-get',
        'limit=1',
        '--state-dir',
        mkdtempSync(join(tmpdir(), 'msgraph-user-bundle-')),
      ],
      {
        AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
        AZURE_CLIENT_ID: 'app-id',
        AZURE_CLIENT_SECRET: 's3cret-value-1',
      },
    );
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim()).to.match(
      /^Invalid arguments for msgraph-user-get: missing required argument "user"; unknown argument "limit"/,
    );
  });

  it('exits 2 with one line for a usage error', () => {
    const result = cli(['no-such-command']);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
  });
});
