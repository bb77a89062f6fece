/**
 * Recording: a decorator on the HttpClient below retries. Real requests pass through; every
 * exchange (identity requests included, and the 429s a retry absorbs) is captured as it completes,
 * labelled with the task that made it; when the recording is taken, each is scrubbed (scrub.ts)
 * and its request normalised (normalise.ts). Only selected response headers are kept; no request header is. A request that
 * fails below HTTP (a timeout, a refused connection) has no response to record: the error goes to
 * the caller as it would without recording.
 */
import type { Clock } from '../base/clock.js';
import { encodeBody } from '../http/client.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/types.js';
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

export interface RecordingSession extends NetworkMonitor {
  /** When the recording started (epoch ms): replays run their clock from here. */
  readonly startedAt: number;
  /** The transport, recording: give it to the runtime's HTTP stack. */
  readonly client: HttpClient;
  /** Every exchange so far, in the order they completed, scrubbed and normalised. */
  exchanges(scrubber: Scrubber, volatile: readonly string[]): RecordedExchange[];
}

interface RawExchange {
  request: HttpRequest;
  response: HttpResponse;
  task?: string;
}

function recordedResponse(response: HttpResponse): RecordedResponse {
  const headers: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) {
    if (response.headers[name] !== undefined) headers[name] = response.headers[name];
  }
  return {
    status: response.status,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...parseBody(response.body),
  };
}

/** One exchange as stored: scrubbed, request normalised. */
export function toExchange(
  request: HttpRequest,
  response: HttpResponse,
  scrubber: Scrubber,
  volatile: readonly string[],
  task?: string,
): RecordedExchange {
  const url = new URL(request.url);
  const body = encodeBody(request.body, { ...request.headers });
  const recorded = scrubber.request({
    method: request.method.toUpperCase(),
    origin: originOf(url.href),
    ...splitPathAndQuery(`${url.pathname}${url.search}`),
    ...parseBody(body?.toString('utf8')),
  });
  return {
    ...(task ? { task } : {}),
    request: normaliseRequest(recorded, volatile),
    response: scrubber.response(recordedResponse(response)),
  };
}

/**
 * Starts recording what passes through `transport`. Exchanges are kept as they were and scrubbed
 * when taken (the scrubber needs the runtime this client becomes part of).
 */
export function startRecording(transport: HttpClient, clock: Clock): RecordingSession {
  const recorded: RawExchange[] = [];
  let task: string | undefined;
  return {
    startedAt: clock.now(),
    client: {
      async send(request) {
        // The task is the one running when the request was sent, not when its answer came.
        const during = task;
        const response = await transport.send(request);
        recorded.push({ request, response, task: during });
        return response;
      },
    },
    beginTask(t) {
      task = `${t.id}${t.name ? ` ${t.name}` : ''}`;
    },
    async endTask() {
      task = undefined;
      return [];
    },
    exchanges: (scrubber, volatile) =>
      recorded.map((r) => toExchange(r.request, r.response, scrubber, volatile, r.task)),
  };
}
