/**
 * Collections page by page. Pages are yielded as they arrive, so listing every user of a large
 * tenant holds one page in memory. Graph does not carry request headers into the next page
 * (ConsistencyLevel: eventual must be resent, docs: concepts/paging.md; the Java SDK forgot, see
 * msgraph-sdk-java-core#203), so every page repeats the first request's headers.
 */
import { UserError } from '../base/errors.js';
import type { Progress } from '../base/progress.js';
import type { GraphPage, GraphRequest, GraphResponse, PageOptions } from './types.js';

type Send = (request: GraphRequest) => Promise<GraphResponse<unknown>>;

const PAGE_KEYS = new Set(['value', '@odata.nextLink', '@odata.deltaLink', '@odata.count']);

export function toPage<T>(body: unknown): GraphPage<T> {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { value?: unknown }).value)
  ) {
    throw new UserError(
      'Microsoft Graph answered a collection request without a "value" list.',
      'The path may name a single object rather than a collection.',
    );
  }
  const record = body as Record<string, unknown>;
  const annotations: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!PAGE_KEYS.has(key)) annotations[key] = value;
  }
  const link = (key: string) =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  const count = record['@odata.count'];
  return {
    items: record.value as T[],
    nextLink: link('@odata.nextLink'),
    deltaLink: link('@odata.deltaLink'),
    count: typeof count === 'number' ? count : undefined,
    annotations,
  };
}

/** Only GET and the headers carry over: the link holds the query, and a body makes no sense. */
const nextRequest = (request: GraphRequest, link: string): GraphRequest => ({
  method: 'GET',
  path: link,
  version: request.version,
  headers: request.headers,
  okStatuses: request.okStatuses,
});

export async function* iteratePages<T>(
  send: Send,
  progress: Progress,
  request: GraphRequest,
  options: PageOptions = {},
): AsyncGenerator<GraphPage<T>> {
  const task = progress.begin(options.label ?? 'Fetching pages');
  const followed = new Set<string>();
  let next: GraphRequest = request;
  let pageNumber = 0;
  try {
    let pending: Promise<GraphResponse<unknown>> | undefined;
    for (;;) {
      const page = toPage<T>((await (pending ?? send(next))).body);
      pending = undefined;
      pageNumber += 1;
      if (pageNumber === 1 && page.count !== undefined) task.total?.(page.count);
      task.advance(page.items.length, `page ${pageNumber}`);
      // With `all`, the next page is requested before this one is handed over, so the network
      // wait overlaps the caller's work on this page (one page in flight, one being processed).
      const prefetch = options.all && page.nextLink && !followed.has(page.nextLink);
      if (prefetch) {
        pending = send(nextRequest(request, page.nextLink as string));
        pending.catch(() => undefined);
      }
      yield page;
      if (!options.all || !page.nextLink) return;
      if (followed.has(page.nextLink)) {
        throw new UserError(
          `Microsoft Graph returned the same next-page link twice (after page ${pageNumber}); stopped to avoid a loop.`,
          'Run the command again; if it repeats, narrow the query with a filter or a limit.',
        );
      }
      followed.add(page.nextLink);
      next = nextRequest(request, page.nextLink);
    }
  } finally {
    task.end();
  }
}
