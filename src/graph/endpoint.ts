/**
 * Where a Graph request goes. Relative paths hang off the version root of the configured Graph
 * host; absolute URLs (an `@odata.nextLink` handed back as `next_page`) are accepted only on that
 * host and under its root, because the request carries the bearer token. A relative path may not
 * climb out of the root either (`../../x` with a Server URL that has a path).
 */
import { UserError } from '../base/errors.js';
import type { GraphRequest, GraphVersion } from './types.js';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

export const isAbsoluteUrl = (path: string): boolean => ABSOLUTE.test(path);

/**
 * `$select=id,displayName&$filter=...`: OData option names keep their `$`; values are encoded
 * (`&`, `=`, `+`, `#`, `%` included) but `$ , : @ /` stay readable, which RFC 3986 allows in a query.
 */
export function encodeQuery(query: GraphRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encoded = encodeURIComponent(String(value)).replace(/%(24|2C|3A|40|2F)/g, (m) =>
      decodeURIComponent(m),
    );
    parts.push(`${name.startsWith('$') ? name : encodeURIComponent(name)}=${encoded}`);
  }
  return parts.join('&');
}

export interface GraphEndpoint {
  /** `https://graph.microsoft.com/v1.0/` */
  root(version?: GraphVersion): string;
  /** The absolute URL to send `request` to; a UserError (and no request) for a foreign URL. */
  url(request: Pick<GraphRequest, 'path' | 'query' | 'version'>): string;
  /** The URL relative to the version root, for a $batch item (`/users/x?$select=id`). */
  relative(request: Pick<GraphRequest, 'path' | 'query'>): string;
}

export function createEndpoint(graphUrl: string): GraphEndpoint {
  const base = new URL(graphUrl.replace(/\/+$/, '') + '/');
  const root = (version: GraphVersion = 'v1.0') => `${base.href}${version}/`;
  const relative = (request: Pick<GraphRequest, 'path' | 'query'>) => {
    const query = encodeQuery(request.query);
    return `/${request.path.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
  };

  function checkedAbsolute(path: string): string {
    let parsed: URL | undefined;
    try {
      parsed = new URL(path);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== base.origin || !parsed.pathname.startsWith(base.pathname)) {
      const shown = parsed ? parsed.origin : 'an unreadable URL';
      throw new UserError(
        `Refusing to send the Graph access token to ${shown}: the link is not on the configured Graph host ${base.origin}.`,
        'Pass back the next_page value exactly as a previous command returned it, with the same Azure cloud / Server URL.',
      );
    }
    return path;
  }

  /** A URL built from a relative path (a next_page given as a path) that `..` took above the base. */
  function checkedUnderBase(url: string): string {
    const parsed = new URL(url);
    if (parsed.pathname.startsWith(base.pathname)) return url;
    throw new UserError(
      `Refusing to send the Graph access token to ${parsed.origin}${parsed.pathname}: the path leaves the configured Graph base ${base.href}.`,
      'Pass back the next_page value exactly as a previous command returned it.',
    );
  }

  return {
    root,
    relative,
    url(request) {
      // A nextLink already carries every original query option; Graph rejects repeated ones.
      if (isAbsoluteUrl(request.path)) return checkedAbsolute(request.path);
      return checkedUnderBase(root(request.version) + relative(request).slice(1));
    },
  };
}
