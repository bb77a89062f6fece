/**
 * Replay: an HttpClient that answers from a recording and never touches the network (it takes the
 * transport's place under the retry decorator, so retries, Retry-After waits and token handling run
 * as they did when recorded). A request is scrubbed and normalised exactly as the recorded ones
 * were, then matched on method, origin, path, sorted query and body (headers are ignored).
 * Recorded exchanges with the same key are served once each, in recorded order (FIFO, like
 * mitmproxy's server replay). A request with no exchange left is answered 421 and reported: the
 * task that made it fails with a message naming the request and the nearest recorded exchange.
 * Exchanges never served are listed at the end. Each replay is its own client, so any number can
 * run in one process at once.
 */
import { encodeBody } from '../http/client.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/types.js';
import {
  describeRequest,
  originOf,
  parseBody,
  responseText,
  splitPathAndQuery,
  type Fixture,
  type RecordedExchange,
  type RecordedRequest,
} from './fixture.js';
import { describeDifferences, nearestExchange } from './nearest.js';
import { matchKey, normaliseRequest } from './normalise.js';
import type { GeneratedValueTable, Scrubber } from './scrub.js';
import type { NetworkMonitor } from './types.js';

const BODY_PREVIEW = 400;

export interface UnmatchedRequest {
  task?: string;
  /** Scrubbed and normalised: safe to print. */
  request: RecordedRequest;
  message: string;
}

export interface ReplaySession extends NetworkMonitor {
  readonly unmatched: UnmatchedRequest[];
  /** The client that answers from the recording (it ignores the transport it is given). */
  readonly client: HttpClient;
  /** Recorded exchanges never served, with their 1-based numbers. */
  unused(): { number: number; exchange: RecordedExchange }[];
}

/** `#3 GET https://host/path (recorded during task "2 Get user")` */
export function describeExchange(number: number, exchange: RecordedExchange): string {
  const during = exchange.task ? ` (recorded during task "${exchange.task}")` : '';
  return `#${number} ${describeRequest(exchange.request)}${during}`;
}

function bodyPreview(request: RecordedRequest): string {
  if (request.body === undefined) return '';
  const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  return `\n  body: ${text.length > BODY_PREVIEW ? `${text.slice(0, BODY_PREVIEW)}...` : text}`;
}

/** Puts the live run's generated values back where the recording has their placeholders. */
function restoreGenerated(text: string, generated: GeneratedValueTable): string {
  return text.replace(/<generated_[a-z0-9_]*:\d+>/g, (p) => generated.valueOf(p) ?? p);
}

export function startReplay(
  fixture: Fixture,
  scrubber: Scrubber,
  generated: GeneratedValueTable,
): ReplaySession {
  const volatile = fixture.volatile ?? [];
  const normalise = (r: RecordedRequest) => normaliseRequest(scrubber.request(r), volatile);
  const queues = new Map<string, number[]>();
  fixture.exchanges.forEach((exchange, index) => {
    const key = matchKey(normalise(exchange.request));
    queues.set(key, [...(queues.get(key) ?? []), index]);
  });
  const used = new Set<number>();
  const unmatched: UnmatchedRequest[] = [];
  let task: string | undefined;
  let problemsFrom = 0;

  const explain = (live: RecordedRequest, key: string): string => {
    const head = `${task ? `task ${task}: ` : ''}no recorded exchange left for ${describeRequest(live)}${bodyPreview(live)}`;
    const exhausted = [...queues.entries()].some(([k, q]) => k === key && q.length === 0);
    const index = nearestExchange(live, fixture.exchanges, used);
    if (index === undefined) return `${head}\n  the recording has no exchanges.`;
    const nearest = describeExchange(index + 1, fixture.exchanges[index]!);
    if (exhausted) {
      return `${head}\n  it was recorded, but every recorded copy was already used (nearest: ${nearest}): the playbook now makes this request more often than when it was recorded.`;
    }
    const diff = describeDifferences(live, normalise(fixture.exchanges[index]!.request));
    return `${head}\n  nearest recorded: ${nearest}${used.has(index) ? ' (already used)' : ''}\n  differs in ${diff}`;
  };

  const answer = (request: HttpRequest): HttpResponse => {
    const url = new URL(request.url);
    const body = encodeBody(request.body, { ...request.headers });
    const live = normalise({
      method: request.method.toUpperCase(),
      origin: originOf(url.href),
      ...splitPathAndQuery(`${url.pathname}${url.search}`),
      ...parseBody(body?.toString('utf8')),
    });
    const key = matchKey(live);
    const index = queues.get(key)?.shift();
    if (index === undefined) {
      const message = explain(live, key);
      unmatched.push({ ...(task ? { task } : {}), request: live, message });
      const error = {
        error: {
          code: 'ReplayUnmatched',
          message: `The recording has no exchange left for ${describeRequest(live)}.`,
        },
      };
      return {
        status: 421,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(error),
        retries: 0,
      };
    }
    used.add(index);
    const { response } = fixture.exchanges[index]!;
    return {
      status: response.status,
      headers: { ...response.headers },
      body: restoreGenerated(responseText(response), generated),
      retries: 0,
    };
  };

  return {
    unmatched,
    client: { send: async (request) => answer(request) },
    beginTask(t) {
      task = `${t.id}${t.name ? ` (${t.name})` : ''}`;
      problemsFrom = unmatched.length;
    },
    async endTask() {
      const problems = unmatched.slice(problemsFrom).map((u) => u.message);
      task = undefined;
      return problems;
    },
    unused() {
      return fixture.exchanges
        .map((exchange, index) => ({ number: index + 1, exchange, index }))
        .filter(({ index }) => !used.has(index))
        .map(({ number, exchange }) => ({ number, exchange }));
    },
  };
}
