/**
 * Secrets never leak. Canary values (CANARY-…) go into secret parameters and secret arguments;
 * commands and two playbooks (recorded against the simulated tenant, then replayed) run through
 * the real CLI process, the CLI's main in process (with --debug) and the runtime API
 * (canary-scenarios.ts). Then no canary, and none of the simulator's credentials or of the tokens,
 * codes and passes it issued, may appear in stdout, stderr, debug logs, entries, run results,
 * recordings, or any file of a state directory other than its 0600 context.json, nor in the
 * context a playbook run prints. Secrets in refused input (bad params files and arguments) must
 * not be echoed either; canaries-edges.test.ts does the same for the error paths of the edges.
 */
import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { NetworkRecorder } from './bad-input-network.js';
import { canary, expectNoLeaks, MARKER, Needles, scanStateDir } from './canary-scan.js';
import { authorizationCode, CANARIES, CanaryRun } from './canary-scenarios.js';
import {
  playbookContextDumps,
  playbookInProcess,
  playbookThroughTheCli,
  playbookYaml,
} from './canary-playbooks.js';
import { itUnlessOpen, type BugId } from './known-bugs.js';
import {
  listFiles,
  runCliProcess,
  runInProcess,
  STACK_LINE,
  TempDirs,
  writeJson,
} from './support.js';

describe('secret canaries', function () {
  this.timeout(120_000);
  const dirs = new TempDirs();
  let sim: Simulator;
  let run: CanaryRun;

  before(async () => {
    const dir = await dirs.make('canaries');
    sim = await startSimulator({ outDir: join(dir, 'sim') });
    const params = {
      ...sim.paramsFor('client-credentials'),
      allow_secret_generators: true,
      enc_key: CANARIES.legacyKey,
    };
    const paramsFile = await writeJson(join(dir, 'params.json'), params);
    const insecure = await writeJson(join(dir, 'params-insecure.json'), {
      ...params,
      insecure: true,
    });
    run = new CanaryRun(sim, dirs, dir, paramsFile, insecure);
    const code = await authorizationCode(sim);
    for (const [label, value] of Object.entries(CANARIES)) {
      run.needles.add(`canary ${label}`, value);
    }
    run.needles.add("the simulator app's client secret", sim.apps.clientSecret.clientSecret);
    run.needles.add("the certificate's private key", sim.apps.certificate.privateKeyPem);
    run.needles.add('the Cortex XSOAR app key', sim.apps.xsoar.key);
    run.needles.add('the Cortex XSOAR tenant token', sim.apps.xsoar.tenantToken);
    run.needles.add('the authorization code', code);
    await run.commands();
    await run.otherFlows(code);
    await playbookInProcess(run);
    await playbookThroughTheCli(run);
    await playbookContextDumps(run);
    await run.collect([CANARIES.zip, CANARIES.cliZip]);
  });
  after(async () => {
    await sim?.close();
    await dirs.removeAll();
  });

  it('runs every command and playbook as expected (so every secret was really used)', () => {
    const wrong = run.outcomes.filter((o) => o.code !== o.expected);
    expect(wrong.map((o) => `${o.label}: exit ${o.code}`)).to.deep.equal([]);
    expect(run.outcomes).to.have.length(25);
    const debug = run.haystacks.filter(
      (h) => h.kind === 'output' && String(h.content).includes('\ndebug: '),
    );
    expect(debug.length, 'debug logs were captured').to.be.above(10);
  });

  it('collected the credentials, tokens and passes the simulator issued', () => {
    // Each of the five state directories holds a Graph token; the first two also MFA credentials.
    expect(run.issued.secrets.length).to.be.at.least(5 + 3);
    expect(run.issued.passes).to.have.length(2);
    for (const pass of run.issued.passes) expect(pass).to.match(/^\S{8,}$/);
  });

  it('finds a planted secret in each form it looks for (the scan itself works)', () => {
    const needles = new Needles();
    const secret = 'planted-secret-value-0042';
    needles.add('planted', secret);
    for (const form of [
      secret,
      Buffer.from(secret).toString('base64'),
      encodeURIComponent(`${secret}/+`),
    ]) {
      expect(needles.find([{ where: 'a text', content: `x ${form} y` }])).to.have.length.above(0);
    }
    expect(
      needles.find([{ where: 'a file', content: Buffer.from(`\u0000${secret}`) }]),
    ).to.have.length(1);
    expect(
      needles.find([{ where: 'part of a canary', content: `got "${MARKER}-pass…"` }]),
    ).to.have.length(1);
  });

  for (const [kind, what] of [
    ['output', 'stdout or stderr (debug logs included) of the CLI, in process or not'],
    ['log', 'debug logs of the runtime API'],
    ['entries', 'entries (error entries included)'],
    ['result', 'playbook run results'],
    ['recording', 'recordings'],
    ['state', 'files of a state directory other than context.json'],
  ] as const) {
    it(`never appear in ${what}`, () => {
      const inKind = run.haystacks.filter((h) => h.kind === kind);
      expect(inKind.length).to.be.above(0);
      expectNoLeaks(run.needles, inKind);
    });
  }

  it('recordings hold no complete JWT (tokens are placeholders; ID tokens lose their signature)', () => {
    const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{20,}/;
    for (const h of run.haystacks.filter((x) => x.kind === 'recording')) {
      expect(String(h.content), h.where).not.to.match(jwt);
    }
  });

  it('keeps each integration context private (0600)', async () => {
    for (const stateDir of run.stateDirs) {
      const scan = await scanStateDir(stateDir);
      expect(scan.contexts, stateDir).to.have.length(1);
      expect(scan.modes).to.deep.equal([0o600]);
    }
  });

  it('records a playbook that creates a TAP, the recording free of secrets', async () => {
    const file = join(run.dir, 'canary-tap.yml');
    const upn = sim.users.patti!.userPrincipalName;
    await writeFile(
      file,
      playbookYaml(
        'Canary TAP',
        ['zip'],
        [['msgraph-user-tap-policy-create', { user_id: upn, zip_password: '${inputs.zip}' }]],
      ),
    );
    const recordings = await dirs.make('canary-recordings-tap');
    const argv = [
      'playbook',
      'run',
      file,
      '--record',
      recordings,
      '--params',
      run.params,
      '--input',
      `zip=${CANARIES.pbZip}`,
    ];
    const result = await runCliProcess(argv, { env: { NODE_EXTRA_CA_CERTS: sim.caFile } });
    expect(result.code, result.stderr).to.equal(0);
    const saved = await listFiles(recordings);
    expect(saved.map((f) => f.slice(recordings.length + 1))).to.deep.equal(['Canary_TAP.json']);
    const text = await readFile(saved[0]!, 'utf8');
    expectNoLeaks(run.needles, [{ where: 'the TAP recording', content: text }]);
  });
});

describe('secret canaries in refused input', () => {
  const dirs = new TempDirs();
  const recorder = new NetworkRecorder();
  let dir: string;
  const secret = canary('refused');
  const base = {
    self_deployed: true,
    creds_auth_id: '11111111-2222-4333-8444-555555555555',
    creds_tenant_id: 'contoso.onmicrosoft.com',
  };

  before(async () => {
    dir = await dirs.make('canaries-refused');
  });
  after(() => dirs.removeAll());
  beforeEach(() => recorder.install());
  afterEach(() => recorder.uninstall());

  // [title, params file name and text, argv, exit code, bug]
  const cases: [string, string, string, string[], 1 | 2, BugId?][] = [
    ['a JSON params file with an unquoted secret', 'p.json', `{"creds_enc_key": ${secret}}`, [], 2],
    [
      'a credential with an extra key',
      'p.json',
      JSON.stringify({ ...base, creds_enc_key: { password: secret, colour: 'red' } }),
      [],
      2,
    ],
    [
      'a secret parameter given as a list',
      'p.json',
      JSON.stringify({ ...base, enc_key: [secret] }),
      [],
      2,
    ],
    [
      'an unknown parameter holding a secret',
      'p.json',
      JSON.stringify({ ...base, colour: secret }),
      [],
      2,
    ],
    [
      'a YAML params file that breaks on a secret line',
      'p.yml',
      `creds_enc_key: {password: ${secret}\n`,
      [],
      2,
    ],
    [
      'a private key that is no PEM',
      'p.json',
      JSON.stringify({
        ...base,
        creds_certificate: { identifier: 'AB'.repeat(20), password: secret },
      }),
      [],
      1,
    ],
    [
      'a secret argument with a control character',
      'p.json',
      JSON.stringify({ ...base, creds_enc_key: 'x-secret-value' }),
      ['zip_password=\u0001' + secret],
      1,
    ],
    [
      'a 60 KB secret argument',
      'p.json',
      JSON.stringify({ ...base, creds_enc_key: 'x-secret-value' }),
      [`zip_password=${secret.repeat(2500)}`],
      1,
    ],
  ];
  cases.forEach(([title, name, text, args, code, bug], i) => {
    itUnlessOpen(bug)(`${title}: refused (exit ${code}) without echoing the secret`, async () => {
      const params = join(dir, `${i}-${name}`);
      await writeFile(params, text);
      const argv = [
        'msgraph-user-tap-policy-create',
        'user_id=adele@contoso.com',
        ...(args.length ? args : [`zip_password=${secret}`]),
      ];
      const result = await runInProcess([
        ...argv,
        '--params',
        params,
        '--state-dir',
        join(dir, 'state'),
        '--debug',
      ]);
      expect(result.code, result.stderr.slice(0, 300)).to.equal(code);
      const needles = new Needles();
      needles.add('the canary', secret);
      expectNoLeaks(
        needles,
        [
          { where: 'stdout', content: result.stdout },
          { where: 'stderr', content: result.stderr },
        ],
        result.stderr.slice(0, 300),
      );
      expect(result.stderr).not.to.match(STACK_LINE);
      expect(recorder.take()).to.deep.equal([]);
    });
  });
});
