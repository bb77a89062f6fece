/**
 * Scrubbing: what a recording writes never holds a secret. Every secret value becomes a stable
 * placeholder, the same one wherever the value appears in the file, so the token a response
 * issued and the later request that presents it still line up:
 *  - values of credential fields (query, form and JSON keys): access_token, refresh_token,
 *    id_token, client_secret, client_assertion, assertion, code_verifier, encrypted_token,
 *    device_code, secretText, temporaryAccessPass, any key ending in "password" or "secret", and
 *    `code` in forms and query strings (the OAuth code; in JSON it is an error code);
 *  - in any text: `Bearer <token>`, `field=value` and `"field": "value"` for those fields;
 *  - the instance's secrets by value (client secret, private key, authorization code, XSOAR app
 *    tenant token and key, other secret parameters, extra secrets such as test canaries);
 *  - anything else the runtime's Redactor recognises (secret arguments, generated passwords).
 * Values made up during the run (GenerateUUID) become `<generated_uuid:N>` in order of creation.
 *
 * Placeholder names: `<kind>` for the first value of a kind and `<kind:2>`, `<kind:3>` for further
 * distinct values; tokens and client assertions are always numbered (`<access_token:1>`). An ID
 * token keeps its header and claims, its signature becoming the placeholder (`eyJ...eyJ...<id_token:1>`),
 * since the identity library reads its claims on replay.
 * Authorization headers are never stored at all (the format keeps no request headers).
 */
import { REDACTED, type Redactor } from '../base/redact.js';
import type { RecordedRequest, RecordedResponse } from './fixture.js';
import type { GeneratedValues } from './types.js';

export const PLACEHOLDER = /<[a-z][a-z0-9_]*(?::\d+)?>/g;
const WHOLE_PLACEHOLDER = /^<[a-z][a-z0-9_]*(?::\d+)?>$/;
const SCRUBBED_JWT = /^[\w-]+\.[\w-]+\.<[a-z_]+(?::\d+)?>$/;
const ALWAYS_NUMBERED = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_assertion',
  'generated_uuid',
]);
const CREDENTIAL_FIELDS: Record<string, string> = {
  access_token: 'access_token',
  refresh_token: 'refresh_token',
  id_token: 'id_token',
  client_secret: 'client_secret',
  client_assertion: 'client_assertion',
  assertion: 'assertion',
  code_verifier: 'code_verifier',
  encrypted_token: 'encrypted_token',
  device_code: 'device_code',
  secrettext: 'secret_text',
  temporaryaccesspass: 'temporary_access_pass',
};
/** Shortest value replaced wherever it appears in text (shorter ones would shred prose). */
const MIN_TEXT_SECRET = 6;

export type Encoding = 'json' | 'form';

/** The placeholder kind of a credential field, or undefined for an ordinary one. */
export function credentialKind(key: string, encoding: Encoding): string | undefined {
  const lower = key.toLowerCase();
  if (CREDENTIAL_FIELDS[lower]) return CREDENTIAL_FIELDS[lower];
  if (lower === 'code') return encoding === 'form' ? 'code' : undefined;
  const suffix = /(password|secret)$/.exec(lower);
  return suffix ? suffix[1] : undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Run-time values (GenerateUUID) by kind, in order of creation. */
export class GeneratedValueTable implements GeneratedValues {
  readonly values = new Map<string, string>();

  register(kind: string, value: string): string {
    const count = [...this.values.values()].filter((p) => p.startsWith(`<${kind}:`)).length;
    const placeholder = `<${kind}:${count + 1}>`;
    if (!this.values.has(value)) this.values.set(value, placeholder);
    return this.values.get(value)!;
  }

  /** The live value behind a placeholder, for replayed responses. */
  valueOf(placeholder: string): string | undefined {
    for (const [value, p] of this.values) if (p === placeholder) return value;
    return undefined;
  }
}

export interface KnownSecret {
  value: string;
  kind: string;
}

export class Scrubber {
  private readonly byValue = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private matcher: RegExp | undefined;
  private matcherVersion = '';

  constructor(
    private readonly redactor?: Redactor,
    private readonly generated?: GeneratedValueTable,
    known: KnownSecret[] = [],
  ) {
    for (const { value, kind } of known) this.placeholder(kind, value);
  }

  /** The placeholder for `value` (an existing placeholder is kept as it is). */
  placeholder(kind: string, value: string): string {
    if (WHOLE_PLACEHOLDER.test(value) || SCRUBBED_JWT.test(value)) return value;
    const generated = this.generated?.values.get(value);
    if (generated) return generated;
    let placeholder = this.byValue.get(value);
    if (!placeholder) {
      const n = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, n);
      placeholder = n > 1 || ALWAYS_NUMBERED.has(kind) ? `<${kind}:${n}>` : `<${kind}>`;
      // The identity library decodes ID tokens (account, tenant): keep their header and claims,
      // drop the signature, the part that made them a credential.
      const jwt = kind === 'id_token' ? /^([\w-]+)\.([\w-]+)\.[\w-]*$/.exec(value) : null;
      if (jwt) placeholder = `${jwt[1]}.${jwt[2]}.${placeholder}`;
      this.byValue.set(value, placeholder);
      if (value.trim().length >= MIN_TEXT_SECRET) {
        this.byValue.set(encodeURIComponent(value), placeholder);
        this.byValue.set(JSON.stringify(value).slice(1, -1), placeholder);
      }
    }
    return placeholder;
  }

  /** A deep copy with every secret replaced; `encoding` says how a `code` key is read. */
  value(value: unknown, encoding: Encoding, key?: string): unknown {
    if (typeof value === 'string') {
      const kind = key === undefined ? undefined : credentialKind(key, encoding);
      return kind && value !== '' ? this.placeholder(kind, value) : this.text(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.value(v, encoding, key));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.text(k)] = this.value(v, encoding, k);
      return out;
    }
    return value;
  }

  request(request: RecordedRequest): RecordedRequest {
    const out: RecordedRequest = { ...request, path: this.text(request.path) };
    if (request.query) out.query = this.value(request.query, 'form') as RecordedRequest['query'];
    if (request.body !== undefined) out.body = this.body(request.body, request.bodyType);
    return out;
  }

  response(response: RecordedResponse): RecordedResponse {
    const out: RecordedResponse = { ...response };
    if (response.headers) {
      out.headers = this.value(response.headers, 'json') as Record<string, string>;
    }
    if (response.body !== undefined) out.body = this.body(response.body, response.bodyType);
    return out;
  }

  private body(body: unknown, type: RecordedRequest['bodyType']): unknown {
    if (type === 'hex') return body;
    if (typeof body === 'string' && type !== 'json') return this.text(body);
    return this.value(body, type === 'form' ? 'form' : 'json');
  }

  text(text: string): string {
    if (!text || WHOLE_PLACEHOLDER.test(text)) return text;
    const exact = this.byValue.get(text) ?? this.generated?.values.get(text);
    if (exact) return exact;
    let out = text
      .replace(/\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)/g, (_m, p: string, token: string) =>
        token.startsWith('<') ? _m : `${p}${this.placeholder('access_token', token)}`,
      )
      .replace(
        /(^|[?&\s])([A-Za-z_]+)=([^&\s"'#<]+)/g,
        (m, lead: string, key: string, v: string) => {
          const kind = credentialKind(key, 'form');
          return kind ? `${lead}${key}=${this.placeholder(kind, safeDecode(v))}` : m;
        },
      )
      .replace(
        /"([A-Za-z_]+)"(\s*:\s*)"((?:[^"\\]|\\.)+)"/g,
        (m, key: string, sep: string, v: string) => {
          const kind = credentialKind(key, 'json');
          return kind && !v.startsWith('<') ? `"${key}"${sep}"${this.placeholder(kind, v)}"` : m;
        },
      );
    out = this.replaceKnown(out);
    return this.redactRest(out);
  }

  private replaceKnown(text: string): string {
    // Generated values arrive during the run: the matcher follows both tables' sizes.
    const version = `${this.byValue.size}:${this.generated?.values.size ?? 0}`;
    if (this.matcherVersion !== version) {
      const values = [...this.byValue.keys(), ...(this.generated?.values.keys() ?? [])]
        .filter((v) => v.trim().length >= MIN_TEXT_SECRET)
        .sort((a, b) => b.length - a.length);
      this.matcher =
        values.length > 0 ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : undefined;
      this.matcherVersion = version;
    }
    if (!this.matcher) return text;
    return text.replace(
      this.matcher,
      (v) => this.byValue.get(v) ?? this.generated?.values.get(v) ?? v,
    );
  }

  /** The Redactor's pass, run between placeholders so it cannot clobber them. */
  private redactRest(text: string): string {
    if (!this.redactor) return text;
    const redacted = this.redactor.redact(text);
    if (redacted === text) return text;
    if (redacted === REDACTED && !text.includes('<')) return this.placeholder('secret', text);
    const parts = text.split(PLACEHOLDER);
    const holders = text.match(PLACEHOLDER) ?? [];
    return parts.map((p, i) => this.redactor!.redact(p) + (holders[i] ?? '')).join('');
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
