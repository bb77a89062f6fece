/**
 * Recording: real HTTP passes through while nock's recorder (nock 14, on @mswjs/interceptors)
 * captures every exchange made through node:http/https, identity endpoints included. After each
 * task the new exchanges are taken, labelled with the task, scrubbed (scrub.ts) and their requests
 * normalised (normalise.ts). Only selected response headers are kept; no request header is.
 *
 * nock patches `http.request` / `https.request` on the modules' objects; code that imported them
 * by name (`import { request } from 'node:https'`) keeps the original function until
 * `syncBuiltinESMExports()` copies the patched one into the named exports. We sync whenever nock's
 * patches change, so the recording sees requests however the HTTP layer imports node:https.
 */
import { syncBuiltinESMExports } from 'node:module';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import nock from 'nock';
import {
  KEPT_RESPONSE_HEADERS,
  originOf,
  parseBody,
  splitPathAndQuery,
  type RecordedExchange,
  type RecordedResponse,
} from './fixture.js';
import { normaliseRequest } from './normalise.js';
import type { Scrubber } from './scrub.js';
import type { NetworkMonitor } from './types.js';

/** What nock's recorder produces with `output_objects: true`. */
interface NockRecording {
  scope: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response?: unknown;
  rawHeaders?: Record<string, string> | string[];
  responseIsBinary?: boolean;
}

export interface RecordingSession extends NetworkMonitor {
  /** Stops recording, restores nock, and returns every exchange in order. */
  finish(): Promise<RecordedExchange[]>;
}

function headerMap(raw: NockRecording['rawHeaders']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) headers[raw[i]!.toLowerCase()] = raw[i + 1]!;
  } else {
    for (const [k, v] of Object.entries(raw ?? {})) headers[k.toLowerCase()] = String(v);
  }
  return headers;
}

/** The recorder keeps content-encoded bodies as hex chunks; decode them to text. */
function decodedBody(recording: NockRecording, encoding: string | undefined): unknown {
  const body = recording.response;
  if (!encoding || !Array.isArray(body)) return body;
  const bytes = Buffer.concat(body.map((chunk) => Buffer.from(String(chunk), 'hex')));
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .reverse();
  let data = bytes;
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') data = gunzipSync(data);
    else if (coding === 'deflate') data = inflateSync(data);
    else if (coding === 'br') data = brotliDecompressSync(data);
  }
  return data.toString('utf8');
}

function toResponse(recording: NockRecording): RecordedResponse {
  const all = headerMap(recording.rawHeaders);
  const headers: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) if (all[name] !== undefined) headers[name] = all[name];
  const response: RecordedResponse = { status: recording.status };
  if (Object.keys(headers).length > 0) response.headers = headers;
  if (recording.responseIsBinary && typeof recording.response === 'string') {
    return { ...response, body: recording.response, bodyType: 'hex' };
  }
  return { ...response, ...parseBody(decodedBody(recording, all['content-encoding'])) };
}

/** Turns one raw recording into a stored exchange: scrubbed, request normalised. */
export function toExchange(
  recording: NockRecording,
  scrubber: Scrubber,
  volatile: readonly string[],
  task?: string,
): RecordedExchange {
  const request = scrubber.request({
    method: recording.method.toUpperCase(),
    origin: originOf(recording.scope),
    ...splitPathAndQuery(recording.path),
    ...parseBody(recording.body),
  });
  return {
    ...(task ? { task } : {}),
    request: normaliseRequest(request, volatile),
    response: scrubber.response(toResponse(recording)),
  };
}

/** The recorder stores an exchange asynchronously, once the response body has been read. */
async function settle(): Promise<void> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(0);
  for (let i = 0; i < 40; i++) {
    const count = nock.recorder.play().length;
    await pause(5);
    if (nock.recorder.play().length === count) return;
  }
}

export function startRecording(
  scrubber: Scrubber,
  volatile: readonly string[] = [],
): RecordingSession {
  const wasActive = nock.isActive();
  nock.recorder.clear();
  nock.recorder.rec({ dont_print: true, output_objects: true });
  syncBuiltinESMExports();
  const exchanges: RecordedExchange[] = [];
  let taken = 0;
  let task: string | undefined;
  const take = () => {
    const all = nock.recorder.play() as unknown as NockRecording[];
    for (const recording of all.slice(taken)) {
      // nock also sees fetch() of data: URLs (zip.js loads its WebAssembly that way); they never
      // touch the network, and come through without the leading slash every HTTP path has.
      if (!recording.path.startsWith('/')) continue;
      exchanges.push(toExchange(recording, scrubber, volatile, task));
    }
    taken = all.length;
  };
  return {
    beginTask(t) {
      take();
      task = `${t.id}${t.name ? ` ${t.name}` : ''}`;
    },
    async endTask() {
      await settle();
      take();
      task = undefined;
      return [];
    },
    async finish() {
      try {
        await settle();
        take();
      } finally {
        // Stopping the recorder also switches nock's interception off; leave it as we found it.
        nock.restore();
        nock.recorder.clear();
        if (wasActive) nock.activate();
        syncBuiltinESMExports();
      }
      return exchanges;
    },
  };
}
