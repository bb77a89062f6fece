/**
 * The one redaction layer. Every byte the product writes (war-room entries, CLI output, logs,
 * errors, recorded fixtures) passes through a Redactor, which removes
 *  - registered secrets (secret parameters and arguments, tokens, codes), in the encodings they
 *    travel in (raw, URL-encoded, JSON-escaped, base64, and each line of a PEM key), and
 *  - credential-shaped text whatever its value: bearer tokens, token/secret/code fields in JSON
 *    bodies, URLs and forms, and the password in a URL (`https://user:password@host`).
 */
export const REDACTED = '<redacted>';

/** Shorter values are not treated as secrets: redacting them would shred ordinary text. */
const MIN_SECRET_LENGTH = 4;

// Field names whose values are credentials wherever they appear.
const SECRET_FIELDS = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'encrypted_token',
  'code_verifier',
  'password',
  'newPassword',
  'secretText',
  'temporaryAccessPass',
  'zip_password',
];
const SECRET_FIELD_NAMES = new Set(SECRET_FIELDS);
const FIELD_ALTERNATION = SECRET_FIELDS.join('|');
// "field": "value" in JSON (a bare `code` is left alone: Graph errors use it for error codes).
const JSON_FIELD = new RegExp(`("(?:${FIELD_ALTERNATION})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
// field=value in query strings and form bodies; here `code` is the OAuth authorization code.
const FORM_FIELD = new RegExp(`((?:^|[?&\\s])(?:${FIELD_ALTERNATION}|code)=)[^&\\s"']+`, 'gi');
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/g;
// scheme://user:password@host (a proxy or server URL): the password, or a lone token, goes.
// The user part ends at the last @ before the host (a password may contain @ itself).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]+)@/gi;
// Every string one of the patterns above can match holds one of these.
const CREDENTIAL_MARKERS = /Bearer|["=]|:\/\//;

/** `text` with the credentials of every URL in it (`user:password@`) redacted; the user stays. */
export function withoutUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon >= 0
      ? `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`
      : `${scheme}${REDACTED}@`;
  });
}

function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  out.add(encodeURIComponent(secret));
  out.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  out.add(JSON.stringify(secret).slice(1, -1));
  out.add(Buffer.from(secret, 'utf8').toString('base64'));
  // A PEM key may be printed line by line; every base64 line of it is secret on its own.
  if (secret.includes('-----BEGIN')) {
    for (const line of secret.split(/\r?\n/)) {
      if (/^[A-Za-z0-9+/=]{16,}$/.test(line.trim())) out.add(line.trim());
    }
  }
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

export class Redactor {
  /** The redactor this one was scoped from: its secrets are redacted here too. */
  private parent: Redactor | undefined;
  private readonly secrets = new Set<string>();
  /** Longest first, so a secret containing another is replaced whole. */
  private ordered: string[] | undefined;
  /** Values already passed to add(), so re-registering (every token read) costs a lookup. */
  private readonly registered = new Set<string>();
  /** Redacted object keys: the same few keys repeat in every row. */
  private readonly keys = new Map<string, string>();
  private shortest = Infinity;

  /** Registers a secret value (strings only; short or empty values are ignored). */
  add(value: unknown): void {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH || this.registered.has(value)) return;
    this.registered.add(value);
    const before = this.secrets.size;
    for (const v of variants(trimmed)) this.secrets.add(v);
    if (trimmed !== value && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
    if (this.secrets.size !== before) {
      this.ordered = undefined;
      this.shortest = Math.min(...[...this.secrets].map((v) => v.length));
      this.keys.clear();
    }
  }

  /**
   * A redactor for one command run: it redacts everything this one does, plus secrets registered
   * on it, which are forgotten with it. A long-lived process (the engine) then keeps only the
   * instance's own secrets, instead of every password argument it ever saw, and redaction does
   * not slow down as it serves.
   */
  scope(): Redactor {
    const child = new Redactor();
    child.parent = this;
    return child;
  }

  /** Registered secrets, this redactor's own (not its parent's). */
  get size(): number {
    return this.secrets.size;
  }

  private replaceSecrets(text: string): string {
    let out = this.parent ? this.parent.replaceSecrets(text) : text;
    // A string shorter than every registered secret cannot contain one.
    if (this.secrets.size > 0 && out.length >= this.shortest) {
      // Plain substring replacement, longest first: one alternation of every secret (and its
      // variants) outgrows V8's regular-expression limit once a secret is ~50 KB, and the
      // resulting error quotes them all.
      this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
      for (const secret of this.ordered) {
        if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  }

  redact(text: string): string {
    if (!text) return text;
    let out = this.replaceSecrets(text);
    // Each pattern needs text most strings lack: one scan for all of it, then each pattern only
    // when its own marker is there.
    if (!CREDENTIAL_MARKERS.test(out)) return out;
    if (out.includes('Bearer')) out = out.replace(BEARER, `$1${REDACTED}`);
    if (out.includes('"')) out = out.replace(JSON_FIELD, `$1"${REDACTED}"`);
    if (out.includes('=')) out = out.replace(FORM_FIELD, `$1${REDACTED}`);
    if (out.includes('://')) out = withoutUrlCredentials(out);
    return out;
  }

  /** `value` with every string redacted (object keys included); parts with nothing to redact are shared, not copied. */
  redactValue<T>(value: T): T {
    return this.walk(value) as T;
  }

  private redactKey(key: string): string {
    let out = this.keys.get(key);
    if (out === undefined) {
      out = this.redact(key);
      if (this.keys.size < 10_000) this.keys.set(key, out);
    }
    return out;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const done = this.walk(item);
        if (done !== item) (copy ??= value.slice())[i] = done;
      }
      return copy ?? value;
    }
    if (typeof value === 'object' && value !== null) {
      // Keys and index, not Object.entries: a listing walks 100,000 rows, and a pair array per
      // field is most of the garbage it would make.
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let out: Record<string, unknown> | undefined;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const v = record[k];
        const key = this.redactKey(k);
        const done =
          typeof v === 'string'
            ? v && SECRET_FIELD_NAMES.has(k)
              ? REDACTED
              : this.redact(v)
            : this.walk(v);
        if (!out && (key !== k || done !== v)) {
          out = {};
          for (let j = 0; j < i; j++) out[keys[j] as string] = record[keys[j] as string];
        }
        if (out) out[key] = done;
      }
      return out ?? value;
    }
    return value;
  }
}
