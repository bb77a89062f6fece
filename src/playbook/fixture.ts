/**
 * The recording format: one pretty-printed JSON file per playbook, `DIR/<clean playbook id>.json`,
 * meant to be read in a diff and committed. Requests are stored scrubbed and normalised (so a
 * re-recording changes only what really changed); responses are stored scrubbed.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../base/errors.js';
import { readUserFile } from '../base/user-files.js';
import { cleanFilename } from './load.js';

export const FIXTURE_FORMAT = 'msgraph-user/playbook-recording@2';
/** The first format, without `recordedAt`; still read (its recording time is inferred). */
const FIXTURE_FORMAT_1 = 'msgraph-user/playbook-recording@1';

export type BodyType = 'json' | 'form' | 'text' | 'hex';

export interface RecordedRequest {
  method: string;
  /** `https://graph.microsoft.com` (default ports omitted). */
  origin: string;
  /** The path as sent, without the query. */
  path: string;
  /** Decoded query parameters, keys sorted; a repeated key holds a list. */
  query?: Record<string, string | string[]>;
  /** JSON as parsed, a form as an object of fields, else text. */
  body?: unknown;
  bodyType?: BodyType;
}

export interface RecordedResponse {
  status: number;
  /** Only content-type, location and retry-after. */
  headers?: Record<string, string>;
  body?: unknown;
  bodyType?: BodyType;
}

export interface RecordedExchange {
  /** The task that made the request: `3 Get the user`. */
  task?: string;
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface Fixture {
  format: typeof FIXTURE_FORMAT;
  playbook: { id: string; name: string };
  /**
   * When it was recorded (ISO 8601). A replay runs its clock from this moment, so tokens, expiries
   * and dates in the recording stay as valid as they were then, whatever today's date.
   */
  recordedAt?: string;
  /** The instance parameters recorded with, secrets as placeholders; replays run with them. */
  params?: Record<string, unknown>;
  /**
   * Extra request fields (query, form or JSON keys) whose values vary between runs and are
   * normalised before matching; edited by hand, kept when re-recording.
   */
  volatile?: string[];
  exchanges: RecordedExchange[];
}

export const KEPT_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after'];

export const fixtureFile = (dir: string, playbookId: string): string =>
  join(dir, `${cleanFilename(playbookId)}.json`);

const FORM = /^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/;

/** Decoded `a=1&b=2&b=3` -> `{a: '1', b: ['2', '3']}`, keys sorted. */
export function formFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  const params = new URLSearchParams(text);
  for (const key of [...new Set(params.keys())].sort()) {
    const values = params.getAll(key);
    fields[key] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}

/** A body as sent or received (text, or already-parsed JSON) -> its stored form. */
export function parseBody(raw: unknown): { body?: unknown; bodyType?: BodyType } {
  if (raw === undefined || raw === null || raw === '') return {};
  if (Buffer.isBuffer(raw)) return parseBody(raw.toString('utf8'));
  if (typeof raw !== 'string') return { body: raw, bodyType: 'json' };
  const text = raw.trim();
  if (/^[[{"]/.test(text)) {
    try {
      return { body: JSON.parse(text) as unknown, bodyType: 'json' };
    } catch {
      // not JSON after all: text
    }
  }
  if (FORM.test(text)) return { body: formFields(text), bodyType: 'form' };
  return { body: raw, bodyType: 'text' };
}

/** Splits `/v1.0/users?$top=5` into its path and sorted, decoded query. */
export function splitPathAndQuery(pathWithQuery: string): Pick<RecordedRequest, 'path' | 'query'> {
  const at = pathWithQuery.indexOf('?');
  if (at < 0) return { path: pathWithQuery };
  const query = formFields(pathWithQuery.slice(at + 1));
  return {
    path: pathWithQuery.slice(0, at),
    ...(Object.keys(query).length > 0 ? { query } : {}),
  };
}

export const originOf = (url: string): string => new URL(url).origin;

/** `GET https://host/path?query` for messages. */
export function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(request.query ?? {})) {
    for (const value of [v].flat()) query.append(k, value);
  }
  const qs = query.toString();
  return `${request.method} ${request.origin}${request.path}${qs ? `?${qs}` : ''}`;
}

/** The text a replay serves for a recorded response body. */
export function responseText(response: RecordedResponse): string {
  const { body, bodyType } = response;
  if (body === undefined) return '';
  if (bodyType === 'hex' && typeof body === 'string') {
    return Buffer.from(body, 'hex').toString('utf8');
  }
  if (bodyType === 'text' && typeof body === 'string') return body;
  return JSON.stringify(body);
}

const BODY_TYPES = ['json', 'form', 'text', 'hex'];
/** The shape replay relies on; a hand-edited recording is checked before anything runs. */
const fixtureSchema = {
  type: 'object',
  required: ['format', 'exchanges'],
  properties: {
    playbook: { type: 'object' },
    recordedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T' },
    params: { type: 'object' },
    volatile: { type: 'array', items: { type: 'string' } },
    exchanges: {
      type: 'array',
      items: {
        type: 'object',
        required: ['request', 'response'],
        properties: {
          task: { type: 'string' },
          request: {
            type: 'object',
            required: ['method', 'origin', 'path'],
            properties: {
              method: { type: 'string', minLength: 1 },
              origin: { type: 'string', minLength: 1 },
              path: { type: 'string' },
              query: { type: 'object' },
              bodyType: { enum: BODY_TYPES },
            },
          },
          response: {
            type: 'object',
            required: ['status'],
            properties: {
              status: { type: 'integer', minimum: 100, maximum: 599 },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              bodyType: { enum: BODY_TYPES },
            },
          },
        },
      },
    },
  },
};
let validateFixture: ReturnType<Ajv['compile']> | undefined;

function fixtureProblem(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).join('.') || '(top level)';
  const what =
    error.keyword === 'required'
      ? `needs "${String(error.params.missingProperty)}"`
      : (error.message ?? error.keyword);
  return `${path}: ${what}`;
}

export async function readFixture(file: string): Promise<Fixture> {
  const text = await readUserFile(file, 'the recording', {
    missing: `No recording at ${file}: record one with --record DIR.`,
  });
  let fixture: Fixture;
  try {
    fixture = JSON.parse(text) as Fixture;
  } catch (err) {
    throw new UsageError(`The recording ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const format = (fixture as { format?: unknown } | null)?.format;
  if (format === FIXTURE_FORMAT_1) fixture = migrateFormat1(fixture);
  if (fixture?.format !== FIXTURE_FORMAT || !Array.isArray(fixture.exchanges)) {
    throw new UsageError(`${file} is not a playbook recording (format "${FIXTURE_FORMAT}").`);
  }
  validateFixture ??= new Ajv({ allErrors: true }).compile(fixtureSchema);
  if (!validateFixture(fixture)) {
    const problems = [...new Set((validateFixture.errors ?? []).map(fixtureProblem))];
    throw new UsageError(
      `${file} is not a valid playbook recording:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return fixture;
}

/**
 * When a recording was made, from what it holds: a token response's `expires_on` (absolute) minus
 * its `expires_in` (relative) is the moment it was issued. Undefined when it holds neither.
 */
export function inferRecordingTime(fixture: Pick<Fixture, 'exchanges'>): number | undefined {
  let earliest: number | undefined;
  for (const { response } of fixture.exchanges) {
    const body = response.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null) continue;
    const expiresOn = Number(body.expires_on);
    const expiresIn = Number(body.expires_in);
    if (!Number.isFinite(expiresOn) || !Number.isFinite(expiresIn) || expiresOn <= 0) continue;
    const issued = (expiresOn - expiresIn) * 1000;
    earliest = earliest === undefined ? issued : Math.min(earliest, issued);
  }
  return earliest;
}

/** A format-1 recording as format 2: its recording time inferred where it shows. */
function migrateFormat1(fixture: Fixture): Fixture {
  const at = Array.isArray(fixture.exchanges) ? inferRecordingTime(fixture) : undefined;
  return {
    ...fixture,
    format: FIXTURE_FORMAT,
    ...(at !== undefined ? { recordedAt: new Date(at).toISOString() } : {}),
  };
}

/** Writes atomically (a partial file never replaces a good one). */
export async function writeFixture(file: string, fixture: Fixture): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(fixture, null, 2)}\n`);
  await rename(temp, file);
}
