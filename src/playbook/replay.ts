/**
 * Replay: the network is off (`nock.disableNetConnect()`) and one persisted nock interceptor per
 * HTTP method, on every origin, answers from the recording. A live request is scrubbed and
 * normalised exactly as the recorded ones were, then matched on method, origin, path, sorted query
 * and body (headers are ignored). Recorded exchanges with the same key are served once each, in
 * recorded order (FIFO, like mitmproxy's server replay). A request with no exchange left is
 * answered 421 and reported: the task that made it fails with a message naming the request and
 * the nearest recorded exchange. Exchanges never served are listed at the end.
 */
import { syncBuiltinESMExports } from 'node:module';
import nock from 'nock';
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

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const BODY_PREVIEW = 400;

export interface UnmatchedRequest {
  task?: string;
  /** Scrubbed and normalised: safe to print. */
  request: RecordedRequest;
  message: string;
}

export interface ReplaySession extends NetworkMonitor {
  readonly unmatched: UnmatchedRequest[];
  /** Recorded exchanges never served, with their 1-based numbers. */
  unused(): { number: number; exchange: RecordedExchange }[];
  /** Removes the interceptors and turns the network back on. */
  finish(): void;
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
function restoreGenerated(text: string | Buffer, generated: GeneratedValueTable): string | Buffer {
  if (typeof text !== 'string') return text;
  return text.replace(/<generated_[a-z0-9_]*:\d+>/g, (p) => generated.valueOf(p) ?? p);
}

interface ReplyContext {
  req: { options?: { proto?: string; host?: string; hostname?: string; port?: string | number } };
}

function liveOrigin(ctx: ReplyContext): string {
  const { proto = 'https', host, hostname, port } = ctx.req.options ?? {};
  const authority = host ?? (port ? `${hostname}:${port}` : hostname);
  return originOf(`${proto}://${authority}`);
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

  const answer = (ctx: ReplyContext, method: string, uri: string, body: unknown) => {
    const live = normalise({
      method,
      origin: liveOrigin(ctx),
      ...splitPathAndQuery(uri),
      ...parseBody(body),
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
      return [421, error, { 'content-type': 'application/json' }] as const;
    }
    used.add(index);
    const { response } = fixture.exchanges[index]!;
    return [
      response.status,
      restoreGenerated(responseText(response), generated),
      response.headers ?? {},
    ] as const;
  };

  nock.disableNetConnect();
  // Named imports of node:http(s) see nock's patched request functions only once synced
  // (recording.ts explains).
  const wasActive = nock.isActive();
  if (!wasActive) nock.activate();
  syncBuiltinESMExports();
  const scope = nock(/.*/).persist();
  for (const method of METHODS) {
    scope
      .intercept(() => true, method)
      .reply(function (uri, body) {
        return answer(this as unknown as ReplyContext, method, uri, body);
      });
  }

  return {
    unmatched,
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
    finish() {
      // Leave nock as we found it: a later real TLS connection in this process (a test against
      // the simulator) must not go through an interceptor with nothing to serve.
      nock.cleanAll();
      nock.enableNetConnect();
      if (!wasActive) {
        nock.restore();
        syncBuiltinESMExports();
      }
    },
  };
}
