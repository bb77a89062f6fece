import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { main } from '../../src/cli/main.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const stateDir = mkdtempSync(join(tmpdir(), 'msgraph-user-cli-'));
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { MSGRAPH_USER_STATE_DIR: stateDir, ...env },
  });
  return { code, stdout, stderr };
}

function paramsFile(content: string, name = 'params.yml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'msgraph-user-params-')), name);
  writeFileSync(file, content);
  return file;
}

const CLIENT_CREDENTIALS = `self_deployed: true
creds_auth_id: 11111111-2222-3333-4444-555555555555
creds_tenant_id: contoso.onmicrosoft.com
creds_enc_key: {password: 'the-client-secret-value'}
`;

describe('msgraph-user CLI', () => {
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => expect(nock.pendingMocks()).to.deep.equal([]));

  describe('help', () => {
    it('lists every manifest command with --help', async () => {
      const { code, stdout } = await cli(['--help']);
      expect(code).to.equal(0);
      expect(stdout)
        .to.contain('Usage:')
        .and.contain('msgraph-user-get ')
        .and.contain('msgraph-user-tap-policy-create')
        .and.contain('test-module');
    });

    it("shows a command's arguments and outputs", async () => {
      const { code, stdout } = await cli(['help', 'msgraph-user-change-password']);
      expect(code).to.equal(0);
      expect(stdout)
        .to.contain('Arguments:')
        .and.contain('password (required; secret)')
        .and.contain('Requires the authorization code flow');
    });

    it('prints the version', async () => {
      const { code, stdout } = await cli(['--version']);
      expect(code).to.equal(0);
      expect(stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    });
  });

  describe('usage errors exit 2', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown command', ['msgraph-user-gett'], /Unknown command "msgraph-user-gett"/],
      ['an unknown flag', ['msgraph-user-get', 'user=a', '--nope'], /Unknown option '--nope'/],
      [
        'an unknown output format',
        ['msgraph-user-get', 'user=a', '--output', 'xml'],
        /--output must be one of: text, json, ndjson, csv, markdown, entries, context/,
      ],
      ['help for an unknown command', ['help', 'nope'], /Unknown command "nope"/],
      [
        'a missing params file',
        ['msgraph-user-get', 'user=a', '--params', '/nonexistent/p.yml'],
        /Cannot read the params file \/nonexistent\/p\.yml: no such file/,
      ],
      [
        'an argument given twice',
        ['msgraph-user-get', 'user=a', 'user=b'],
        /Argument "user" is given twice/,
      ],
      [
        'a secret typed without its name= (not echoed; was: the secret in the error)',
        ['msgraph-user-tap-policy-create', 'user_id=a', 'Zz-S3cret-typed-bare'],
        /^msgraph-user: Arguments are name=value pairs; value 2 \(not shown: msgraph-user-tap-policy-create takes secrets\) has no "="/,
      ],
    ];
    for (const [what, argv, message] of cases) {
      it(`for ${what}`, async () => {
        const { code, stderr, stdout } = await cli(argv);
        expect(code).to.equal(2);
        expect(stderr).to.match(message);
        expect(stderr.split('\n').filter(Boolean)).to.have.length(1);
        expect(stdout).to.equal('');
      });
    }

    it('for a params file that is not YAML', async () => {
      const { code, stderr } = await cli([
        'msgraph-user-get',
        'user=a',
        '--params',
        paramsFile('a: [b\n'),
      ]);
      expect(code).to.equal(2);
      expect(stderr).to.match(/is not valid YAML or JSON/);
    });

    it('for a params file with an unknown parameter, naming the valid ones', async () => {
      const { code, stderr } = await cli([
        'msgraph-user-get',
        'user=a',
        '--params',
        paramsFile('colour: blue\n'),
      ]);
      expect(code).to.equal(2);
      expect(stderr).to.contain('unknown parameter "colour". Valid parameters: creds_auth_id');
    });

    it('for an incomplete set of AZURE_* variables', async () => {
      const { code, stderr } = await cli(['msgraph-user-get', 'user=a'], {
        AZURE_TENANT_ID: 't',
        AZURE_CLIENT_ID: 'c',
      });
      expect(code).to.equal(2);
      expect(stderr).to.contain('Set AZURE_CLIENT_SECRET too');
    });
  });

  describe('command errors exit 1', () => {
    it('rejects invalid arguments without any network request', async () => {
      const { code, stderr, stdout } = await cli([
        'msgraph-user-get',
        'usr=a',
        '--params',
        paramsFile(CLIENT_CREDENTIALS),
      ]);
      expect(code).to.equal(1);
      expect(stdout).to.equal('');
      expect(stderr.trim()).to.equal(
        'Invalid arguments for msgraph-user-get: missing required argument "user"; unknown argument "usr". Did you mean "user"? Valid arguments: user, properties.',
      );
    });

    it('prints error entries as XSOAR stores them with --output entries', async () => {
      const { code, stdout } = await cli([
        'msgraph-user-list',
        'limit=0',
        '--output',
        'entries',
        '--params',
        paramsFile(CLIENT_CREDENTIALS),
      ]);
      expect(code).to.equal(1);
      const entries = JSON.parse(stdout) as Record<string, unknown>[];
      expect(entries).to.have.length(1);
      expect(Object.keys(entries[0]!)).to.deep.equal([
        'Type',
        'ContentsFormat',
        'Contents',
        'HumanReadable',
        'EntryContext',
      ]);
      expect(entries[0]).to.include({ Type: 4, ContentsFormat: 'text' });
    });

    it('explains an incomplete configuration before any request, without printing secrets', async () => {
      const params = paramsFile(
        `self_deployed: true\ncreds_enc_key: {password: 'Sekret-Value-123'}\n`,
      );
      const { code, stderr } = await cli([
        'msgraph-user-get',
        'user=a@contoso.com',
        '--params',
        params,
      ]);
      expect(code).to.equal(1);
      expect(stderr).to.contain('needs "ID" (creds_auth_id), "Token" (creds_tenant_id)');
      expect(stderr).not.to.contain('Sekret-Value-123');
    });

    it('refuses change-password under client credentials with no request', async () => {
      const { code, stderr } = await cli([
        'msgraph-user-change-password',
        'user=a@contoso.com',
        'password=N3w-Passw0rd!',
        '--params',
        paramsFile(CLIENT_CREDENTIALS),
      ]);
      expect(code).to.equal(1);
      expect(stderr).to.contain('works only with delegated permissions');
      expect(stderr).not.to.contain('N3w-Passw0rd!');
    });
  });
});
