/**
 * Secret canaries: values made to be found. Every canary starts with CANARY, so even a partial
 * echo is caught; the simulator's own credentials and the tokens, codes and passes it issues are
 * searched for too, in the forms a leak takes (raw, URL-encoded, JSON-escaped, base64, and each
 * line of a PEM key).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { expect } from 'chai';
import { figures, listFiles } from './support.js';

export const MARKER = 'CANARY';

/** A fresh canary: `CANARY-<label>-<random>` (mixed classes, so it passes password rules). */
export const canary = (label: string): string =>
  `${MARKER}-${label}-Aa1!${randomBytes(6).toString('hex')}`;

export interface Haystack {
  where: string;
  content: string | Buffer;
}

/** Secrets to look for, each under a label that says where it came from. */
export class Needles {
  private readonly forms = new Map<string, string>();

  add(label: string, value: unknown): void {
    if (typeof value !== 'string' || value.trim().length < 8) return;
    const set = (form: string, how: string) => this.forms.set(form, `${label} (${how})`);
    set(value, 'raw');
    set(encodeURIComponent(value), 'URL-encoded');
    set(JSON.stringify(value).slice(1, -1), 'JSON-escaped');
    set(Buffer.from(value).toString('base64'), 'base64');
    if (value.includes('-----BEGIN')) {
      for (const line of value.split(/\r?\n/)) {
        if (/^[A-Za-z0-9+/=]{16,}$/.test(line.trim())) set(line.trim(), 'a line of the PEM');
      }
    }
  }

  get size(): number {
    return this.forms.size;
  }

  /** Every leak in `haystacks`: "label in where". */
  find(haystacks: Haystack[]): string[] {
    const leaks: string[] = [];
    for (const { where, content } of haystacks) {
      const text = typeof content === 'string' ? content : content.toString('latin1');
      if (text.includes(MARKER)) leaks.push(`a ${MARKER} value in ${where}`);
      for (const [form, label] of this.forms) {
        const found =
          typeof content === 'string'
            ? content.includes(form)
            : content.includes(Buffer.from(form));
        if (found) leaks.push(`${label} in ${where}`);
      }
    }
    return [...new Set(leaks)];
  }
}

/** Secrets an integration context holds: tokens, refresh tokens, MFA credentials. */
export function contextSecrets(saved: { context?: Record<string, unknown> }): string[] {
  const context = saved.context ?? {};
  const values: unknown[] = [context.access_token, context.current_refresh_token];
  for (const key of ['mfa_client_secret', 'mfa_access_token']) {
    const stored = context[key] as Record<string, unknown> | undefined;
    values.push(stored?.secret, stored?.token);
  }
  const msal = context.msal_cache;
  const cache = (typeof msal === 'string' ? JSON.parse(msal) : msal) as
    Record<string, Record<string, { secret?: unknown }>> | undefined;
  for (const section of ['AccessToken', 'RefreshToken', 'IdToken']) {
    for (const entry of Object.values(cache?.[section] ?? {})) values.push(entry.secret);
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Asserts that `needles` are in none of `haystacks`, and adds the scan to the suites' figures. */
export function expectNoLeaks(needles: Needles, haystacks: Haystack[], message?: string): void {
  const leaks = needles.find(haystacks);
  figures.scanned += haystacks.length;
  figures.leaks += leaks.length;
  expect(leaks, message).to.deep.equal([]);
}

export interface StateScan {
  /** Files other than the integration contexts: must hold no secret. */
  others: Haystack[];
  /** Paths of the contexts (instances/<id>/context.json). */
  contexts: string[];
  /** Their modes (permission bits). */
  modes: number[];
  /** The secrets the contexts hold (tokens and credentials the simulator issued). */
  secrets: string[];
}

export async function scanStateDir(stateDir: string): Promise<StateScan> {
  const scan: StateScan = { others: [], contexts: [], modes: [], secrets: [] };
  for (const file of await listFiles(stateDir)) {
    const where = `${relative(stateDir, file)} (state dir)`;
    if (basename(file) === 'context.json' && basename(join(file, '../..')) === 'instances') {
      scan.contexts.push(file);
      scan.modes.push((await stat(file)).mode & 0o777);
      scan.secrets.push(...contextSecrets(JSON.parse(await readFile(file, 'utf8'))));
    } else {
      scan.others.push({ where, content: await readFile(file) });
    }
  }
  return scan;
}

/** The Temporary Access Pass inside a TAPPolicyInfo.zip, read with its zip password. */
export async function passInZip(zip: Buffer, password: string): Promise<string> {
  const { TextWriter, Uint8ArrayReader, ZipReader } = await import('@zip.js/zip.js');
  const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(zip)), {
    password,
    useWebWorkers: false,
  });
  const [entry] = await reader.getEntries();
  const pass = entry && !entry.directory ? await entry.getData(new TextWriter()) : '';
  await reader.close();
  return pass;
}
