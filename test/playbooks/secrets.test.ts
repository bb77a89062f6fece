/**
 * No secret used while recording reaches a recording. The tenant's secrets differ at every start
 * and are not known here (npm run record checks those values themselves before writing), so this
 * searches every fixture for what they look like, and for the literal passwords the playbooks use:
 *  - the simulated tenant's client secret (Entra's "xxx8Q~..." form), a PEM private key, the
 *    Cortex XSOAR app's key (base64 of 32 bytes) and tenant token ("<tenant ID>:..."), signed JWTs
 *    (access tokens, client assertions; ID tokens keep their claims but never their signature),
 *    refresh tokens and authorization codes ("1.ASIM..."), and any "Bearer" credential;
 *  - every credential field (tokens, secrets, passwords, codes, passes) holds a placeholder;
 *  - the passwords and zip passwords the playbooks pass as inputs.
 */
import { expect } from 'chai';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialKind } from '../../src/playbook/scrub.js';
import { FIXTURES, RECORDINGS, ROOT } from './catalog.js';
import { playbookOf } from './support.js';

const PLACEHOLDER = /^<[a-z][a-z0-9_]*(?::\d+)?>$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCRUBBED_JWT = /^[\w-]+\.[\w-]+\.<id_token:\d+>$/;

const SHAPES: [string, RegExp][] = [
  ['a client secret', /[A-Za-z0-9]{3}8Q~[A-Za-z0-9]{34}/],
  ['a private key', /PRIVATE KEY/],
  ['an XSOAR app key', /(?<![\w+/])[A-Za-z0-9+/]{43}=(?![\w+/=])/],
  ['a signed JWT', /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/],
  ['a refresh token or authorization code', /\d\.ASIM[\w-]{16,}/],
  ['a bearer credential', /Bearer\s+(?!<)\S/],
];

async function fixtureFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? fixtureFiles(join(dir, e.name))
        : Promise.resolve(e.name.endsWith('.json') ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat();
}

/** Every string under a credential key, with its path. */
function credentialValues(
  value: unknown,
  path: string,
  form: boolean,
  out: [string, string][],
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => credentialValues(v, `${path}[${i}]`, form, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const where = `${path}.${key}`;
    if (typeof v === 'string' && v !== '' && credentialKind(key, form ? 'form' : 'json')) {
      out.push([where, v]);
    } else {
      credentialValues(v, where, form, out);
    }
  }
}

/** Playbook inputs that hold passwords (their defaults are what the recordings were made with). */
async function playbookPasswords(): Promise<string[]> {
  const passwords = new Set<string>();
  for (const { playbook } of RECORDINGS) {
    for (const input of (await playbookOf(playbook)).inputs ?? []) {
      const value = input.value?.simple;
      if (/password|secret/i.test(input.key) && typeof value === 'string') passwords.add(value);
    }
  }
  return [...passwords];
}

describe('sample playbooks: no secret reaches a recording', () => {
  let files: [string, string][];
  before(async () => {
    const paths = await fixtureFiles(join(ROOT, FIXTURES));
    files = await Promise.all(
      paths.map(async (p): Promise<[string, string]> => [
        p.slice(ROOT.length),
        await readFile(p, 'utf8'),
      ]),
    );
  });

  it('has one recording per catalog entry, and nothing else', () => {
    expect(files).to.have.length(RECORDINGS.length);
  });

  it('holds nothing shaped like a credential of the simulated tenant', () => {
    const found: string[] = [];
    for (const [file, text] of files) {
      for (const [what, shape] of SHAPES) {
        const match = shape.exec(text);
        if (match) found.push(`${file}: ${what} (${match[0].slice(0, 12)}...)`);
      }
      const tenant = /"creds_tenant_id":\s*{[^}]*"password":\s*"([\w-]+)"/.exec(text)?.[1];
      if (tenant && new RegExp(`${tenant}:[\\w-]{16,}`).test(text)) {
        found.push(`${file}: an XSOAR app tenant token`);
      }
    }
    expect(found).to.deep.equal([]);
  });

  it('keeps a placeholder in every credential field', () => {
    const exposed: string[] = [];
    for (const [file, text] of files) {
      const fixture = JSON.parse(text) as { exchanges: { request: Record<string, unknown> }[] };
      const values: [string, string][] = [];
      credentialValues(fixture, file, false, values);
      fixture.exchanges.forEach((e, i) => {
        credentialValues(e.request.query, `${file} #${i + 1} query`, true, values);
        if (e.request.bodyType === 'form') {
          credentialValues(e.request.body, `${file} #${i + 1} form`, true, values);
        }
      });
      for (const [where, value] of values) {
        if (PLACEHOLDER.test(value) || SCRUBBED_JWT.test(value)) continue;
        // The ID parameters are identifiers (client or registration ID, tenant ID), not secrets.
        if (where.endsWith('.params.creds_auth_id.password')) continue;
        if (where.endsWith('.params.creds_tenant_id.password') && GUID.test(value)) continue;
        exposed.push(where);
      }
    }
    expect(exposed).to.deep.equal([]);
  });

  it('never holds a password the playbooks use', async () => {
    const passwords = await playbookPasswords();
    expect(passwords).to.have.length.at.least(5);
    const found = files.flatMap(([file, text]) =>
      passwords.filter((p) => text.includes(p)).map((p) => `${file}: ${p}`),
    );
    expect(found).to.deep.equal([]);
  });
});
