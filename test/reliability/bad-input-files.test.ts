/**
 * Bad input in files: params files (through the CLI), manifests (through the manifest loader),
 * playbooks and recordings (through the playbook runner's loaders, via `msgraph-user playbook
 * run`). Each gets a clear error naming the file and the parameter, key or task at fault, the
 * right exit code, no stack trace and no request.
 */
import { expect } from 'chai';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ManifestError, parseManifest } from '../../src/manifest/load.js';
import { createRuntime } from '../../src/runtime/compose.js';
import { NetworkRecorder } from './bad-input-network.js';
import { itUnlessOpen, type BugId } from './known-bugs.js';
import { lines, REPO_ROOT, runInProcess, STACK_LINE, TempDirs } from './support.js';

type Json = Record<string, unknown>;

const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefg'
    .split('')
    .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
].join('\n');

const dirs = new TempDirs();
const recorder = new NetworkRecorder();
let dir: string;

/** Writes `content` (text, or JSON or YAML from an object) to `path`. */
async function write(path: string, content: string | Json): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  const text =
    typeof content === 'string'
      ? content
      : path.endsWith('.json')
        ? JSON.stringify(content)
        : stringify(content);
  await writeFile(path, text);
  return path;
}

describe('bad input in files', () => {
  before(async () => {
    dir = await dirs.make('files');
  });
  after(() => dirs.removeAll());

  describe('params files', () => {
    beforeEach(() => recorder.install());
    afterEach(() => recorder.uninstall());

    const base = {
      self_deployed: true,
      creds_auth_id: { password: '11111111-2222-4333-8444-555555555555' },
      creds_tenant_id: { password: 'contoso.onmicrosoft.com' },
      creds_enc_key: { password: 'rel-client-secret-value' },
    };
    // [title, file name, content, exit code, what the line must name, what it must say, bug]
    const cases: [string, string, string | Json | null, 1 | 2, RegExp, RegExp, BugId?][] = [
      [
        'not YAML',
        'p.yml',
        'creds_enc_key: [x\n',
        2,
        /p\.yml/,
        /is not valid YAML or JSON: .*line \d+/,
      ],
      ['not JSON', 'p.json', '{"timeout": 5,}', 2, /p\.json/, /is not valid JSON/],
      ['a list', 'p.yml', '- a\n- b\n', 2, /params/, /expected a mapping of parameter names/],
      ['a scalar', 'p.yml', 'hello\n', 2, /params/, /expected a mapping of parameter names/],
      [
        'empty',
        'p.yml',
        '',
        1,
        /"ID" \(creds_auth_id\), "Token" \(creds_tenant_id\), "Key" \(creds_enc_key\)/,
        /fill in these fields/,
      ],
      ['a duplicated key', 'p.yml', 'timeout: 1\ntimeout: 2\n', 2, /p\.yml/, /keys must be unique/],
      [
        'two YAML documents',
        'p.yml',
        'timeout: 1\n---\ntimeout: 2\n',
        2,
        /p\.yml/,
        /multiple documents/,
      ],
      ['a YAML alias bomb', 'p.yml', ALIAS_BOMB, 2, /p\.yml/, /not valid YAML/],
      [
        'an unknown parameter',
        'p.yml',
        { ...base, colour: 'blue' },
        2,
        /"colour"/,
        /Valid parameters: creds_auth_id/,
      ],
      [
        'an unknown cloud',
        'p.yml',
        { ...base, azure_cloud: 'Mars' },
        2,
        /"azure_cloud"/,
        /must be one of: Worldwide/,
      ],
      [
        'a checkbox set to maybe',
        'p.yml',
        { ...base, self_deployed: 'maybe' },
        2,
        /"self_deployed"/,
        /true or false/,
      ],
      ['a checkbox set to 1', 'p.json', { ...base, insecure: 1 }, 2, /"insecure"/, /true or false/],
      ['a text timeout', 'p.yml', { ...base, timeout: 'soon' }, 2, /"timeout"/, /must be a number/],
      [
        'a list for a credential',
        'p.yml',
        { ...base, creds_enc_key: ['a'] },
        2,
        /"creds_enc_key"/,
        /a string or \{identifier, password\}/,
      ],
      [
        'a credential with an extra key',
        'p.yml',
        { ...base, creds_enc_key: { password: 'x', colour: 'y' } },
        2,
        /"creds_enc_key"/,
        /only identifier and password/,
      ],
      [
        'a list for a text parameter',
        'p.yml',
        { ...base, redirect_uri: ['a'] },
        2,
        /"redirect_uri"/,
        /must be text/,
      ],
      [
        'a Custom cloud with a host that is no URL',
        'p.yml',
        { ...base, azure_cloud: 'Custom', host: 'not a url' },
        1,
        /\(host\)/,
        /must be an https:\/\/ URL/,
      ],
      [
        'a Custom cloud with an http host',
        'p.yml',
        { ...base, azure_cloud: 'Custom', host: 'http://graph.example' },
        1,
        /\(host\)/,
        /must use https:\/\//,
      ],
      [
        'a self-deployed app without its key',
        'p.yml',
        { ...base, creds_enc_key: null },
        1,
        /"Key/,
        /fill in th(is|ese) fields?/,
      ],
      ['a directory', 'p.yml', null, 2, /p\.yml/, /it is a directory/],
      [
        'a negative timeout',
        'p.yml',
        { ...base, timeout: -5 },
        2,
        /"timeout"/,
        /positive|greater than 0|at least/,
      ],
      [
        'a zero timeout',
        'p.yml',
        { ...base, timeout: 0 },
        2,
        /"timeout"/,
        /positive|greater than 0|at least/,
      ],
      [
        'a timeout of 2,147,484 s (was: every request timed out after 1 ms, a timer overflow)',
        'p.yml',
        { ...base, timeout: 2_147_484 },
        2,
        /"timeout"/,
        /must be at most 3600 seconds \(got 2147484\)/,
      ],
    ];
    cases.forEach(([title, name, content, code, names, says, bug], i) => {
      itUnlessOpen(bug)(`${title}: exit ${code}, one line naming it, no request`, async () => {
        const path = join(dir, `params-${i}`, name);
        if (content === null) await mkdir(path, { recursive: true });
        else await write(path, content);
        const state = join(dir, `state-${i}`);
        const result = await runInProcess([
          'msgraph-user-get',
          'user=a',
          '--params',
          path,
          '--state-dir',
          state,
        ]);
        expect(result.code, result.stderr).to.equal(code);
        expect(result.stdout).to.equal('');
        expect(lines(result.stderr), result.stderr).to.have.length(1);
        expect(result.stderr).to.match(names).and.to.match(says).and.not.to.match(STACK_LINE);
        expect(recorder.take()).to.deep.equal([]);
      });
    });

    it('a missing file, and AZURE_* variables only half set: exit 2, one line each', async () => {
      const missing = await runInProcess([
        'msgraph-user-get',
        'user=a',
        '--params',
        join(dir, 'nope.yml'),
      ]);
      const partial = await runInProcess(['msgraph-user-get', 'user=a'], {
        AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
        AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      });
      for (const [result, says] of [
        [missing, /nope\.yml: no such file/],
        [partial, /Set AZURE_CLIENT_SECRET too/],
      ] as const) {
        expect(result.code).to.equal(2);
        expect(lines(result.stderr)).to.have.length(1);
        expect(result.stderr).to.match(says).and.not.to.match(STACK_LINE);
      }
      expect(recorder.take()).to.deep.equal([]);
    });
  });

  describe('manifests, through the loader', () => {
    let real: string;
    before(async () => {
      real = await readFile(join(REPO_ROOT, 'integration.yml'), 'utf8');
    });
    const once = (text: string, from: string | RegExp, to: string) => {
      const out = text.replace(from, to);
      if (out === text) throw new Error(`the manifest no longer contains ${String(from)}`);
      return out;
    };
    // [title, edit of integration.yml, what the problem line must say, bug]
    const cases: [string, (t: string) => string, RegExp, BugId?][] = [
      [
        'not YAML (a tab)',
        (t) => once(t, 'sectionorder:\n  - Connect', 'sectionorder:\n\t- Connect'),
        /:\d+:\d+: YAML syntax error: Tabs/,
      ],
      ['empty', () => '', /: must be object/],
      ['a list', () => '- a\n', /:1:1: must be object/],
      ['an unknown top-level key', (t) => `colour: red\n${t}`, /:1:1: unknown key "colour"/],
      [
        'a command without a name',
        (t) => once(t, '    - name: msgraph-user-unblock\n', '    - hidden: false\n'),
        /script\.commands\[\d+\]: .*missing required key "name"/,
      ],
      [
        'an argument of type float',
        (t) => once(t, 'type: integer', 'type: float'),
        /arguments\[\d+\]\.type: \(msgraph-user-list\) must be one of: string/,
      ],
      [
        'required: maybe',
        (t) => once(t, 'required: true', 'required: maybe'),
        /arguments\[0\]\.required: \(msgraph-user-terminate-session\) must be boolean/,
      ],
      [
        'a duplicate command',
        (t) => once(t, '- name: msgraph-user-unblock', '- name: msgraph-user-account-disable'),
        /duplicate command "msgraph-user-account-disable"/,
      ],
      [
        'a duplicate argument',
        (t) => once(t, '- name: updated_fields\n', '- name: user\n'),
        /\(msgraph-user-update\) duplicate argument "user"/,
      ],
      [
        'x-minimum that is text',
        (t) => once(t, 'x-minimum: 10', 'x-minimum: ten'),
        /x-minimum: \(msgraph-user-tap-policy-create\) must be number/,
      ],
      [
        'x-minimum above x-maximum',
        (t) => once(t, 'x-minimum: 10', 'x-minimum: 100000'),
        /has x-minimum greater than x-maximum/,
      ],
      [
        'a default outside the predefined values',
        (t) => once(t, "defaultValue: 'true'", "defaultValue: 'yes'"),
        /default "yes" of "account_enabled" is not one of its predefined values/,
      ],
      [
        'x-requires-param naming no parameter',
        (t) => once(t, 'x-requires-param: allow_secret_generators', 'x-requires-param: nope'),
        /names an unknown parameter "nope"/,
      ],
      [
        'a parameter of type 99',
        (t) => once(t, /(- name: azure_cloud\n(?:.*\n)*?\s+type: )15/, '$199'),
        /configuration\[\d+\]\.type: must be one of/,
      ],
      [
        'a select parameter without options',
        (t) => once(t, /(- name: azure_cloud\n(?:.*\n){2}) {4}options:\n(?: {6}- .*\n)+/, '$1'),
        /is a select \(type 15\) without options/,
      ],
      [
        'a null command',
        (t) => once(t, '  commands:\n', '  commands:\n    - null\n'),
        /script\.commands\[0\]: must be object/,
      ],
      ['a YAML alias bomb', () => ALIAS_BOMB, /alias/i],
    ];
    for (const [title, edit, says, bug] of cases) {
      itUnlessOpen(bug)(`${title}: a ManifestError, one located line per problem`, () => {
        let error: unknown;
        try {
          parseManifest(edit(real), 'broken.yml');
        } catch (err) {
          error = err;
        }
        expect(error, String(error)).to.be.instanceOf(ManifestError);
        const [head, ...problems] = (error as ManifestError).message.split('\n');
        const count = (error as ManifestError).problems.length;
        expect(head).to.equal(
          `broken.yml is not a valid integration manifest (${count} problem${count === 1 ? '' : 's'}):`,
        );
        expect(problems).to.have.length(count);
        for (const line of problems) expect(line).to.match(/^broken\.yml(:\d+:\d+)?: \S/);
        expect(problems.join('\n')).to.match(says).and.not.to.match(STACK_LINE);
      });
    }

    it('a broken manifest given to createRuntime is refused with the same error', async () => {
      const path = await write(
        join(dir, 'broken-manifest.yml'),
        real.replace('type: integer', 'type: float'),
      );
      const error = await createRuntime({ manifestPath: path }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ManifestError);
      expect((error as Error).message).to.match(/broken-manifest\.yml:\d+:\d+: .*must be one of/);
    });
  });
});
