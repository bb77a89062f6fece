import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runSimCli } from '../../sim/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('sim: CLI (msgraph-user sim)', () => {
  it('rejects bad flags with a one-line error and exit code 2', async () => {
    for (const argv of [
      ['--p429', '2'],
      ['--port', 'abc'],
      ['--bogus'],
      ['--users', '-1'],
      ['positional'],
    ]) {
      const c = capture();
      expect(await runSimCli(argv, c.io), argv.join(' ')).to.equal(2);
      expect(c.err().trim().split('\n'), argv.join(' ')).to.have.length(1);
      expect(c.err()).to.match(/^msgraph-user sim: /);
    }
  });

  it('prints usage for --help', async () => {
    const c = capture();
    expect(await runSimCli(['--help'], c.io)).to.equal(0);
    expect(c.out()).to.match(/^usage: msgraph-user sim/);
  });

  it('starts, writes ca.pem and one params file per flow, prints the hints, and stops on abort', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msgraph-user-sim-cli-'));
    try {
      const c = capture();
      const stop = new AbortController();
      const running = runSimCli(['--out-dir', dir, '--users', '50', '--seed', '7'], {
        ...c.io,
        signal: stop.signal,
      });
      while (!c.out().includes('Press Ctrl+C')) await new Promise((r) => setTimeout(r, 10));
      const text = c.out();
      expect(text).to.match(/listening on https:\/\/127\.0\.0\.1:\d+/);
      expect(text).to.contain(`NODE_EXTRA_CA_CERTS=${join(dir, 'ca.pem')}`);
      expect(text).to.match(/AZURE_POD_IDENTITY_AUTHORITY_HOST=http:\/\/127\.0\.0\.1:\d+/);
      expect(await readFile(join(dir, 'ca.pem'), 'utf8')).to.match(/^-----BEGIN CERTIFICATE-----/);
      for (const flow of [
        'client-credentials',
        'certificate',
        'authorization-code',
        'xsoar-app',
        'managed-identity',
      ]) {
        const params = await readFile(join(dir, `params-${flow}.yml`), 'utf8');
        expect(params, flow).to.contain('azure_cloud: "Custom"');
        expect(text).to.contain(join(dir, `params-${flow}.yml`));
      }
      const cert = await readFile(join(dir, 'params-certificate.yml'), 'utf8');
      expect(cert).to.match(
        /creds_certificate:\n {2}identifier: "[0-9A-F]{40}"\n {2}password: "-----BEGIN PRIVATE KEY-----\\n/,
      );
      stop.abort();
      expect(await running).to.equal(0);
      expect(c.out()).to.contain('stopped');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
