/**
 * Route tables in the Octokit style: "METHOD /path/{param}" templates mapped to handlers. The
 * template doubles as the stats key, so counters read like the docs.
 */

export interface Route<H> {
  method: string;
  template: string;
  handler: H;
}

export interface RouteMatch<H> {
  route: Route<H>;
  params: Record<string, string>;
}

/** Builds routes from a "METHOD /template" → handler table. */
export function routeTable<H>(table: Record<string, H>, prefix = ''): Route<H>[] {
  return Object.entries(table).map(([key, handler]) => {
    const space = key.indexOf(' ');
    return { method: key.slice(0, space), template: prefix + key.slice(space + 1), handler };
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Splits a raw path into decoded segments. OData key syntax `users('a''b@x')` becomes
 * `users` + `a'b@x`, so both URL forms reach the same handler.
 */
export function splitPath(rawPath: string): string[] {
  const segments: string[] = [];
  const parts = rawPath.split('/').slice(1);
  // A trailing slash is ignored (msal normalises the IMDS URL to ".../token/").
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  for (const raw of parts) {
    const segment = decodeSegment(raw);
    const key = /^([A-Za-z]+)\('(.*)'\)$/s.exec(segment);
    if (key) segments.push(key[1] as string, (key[2] as string).replace(/''/g, "'"));
    else segments.push(segment);
  }
  return segments;
}

function templateSegments(template: string): string[] {
  return template.split('/').slice(1);
}

/**
 * Finds the route for a method and decoded segments. Literal segments win over parameters
 * (`/users/delta` before `/users/{id}`), whatever the table order.
 */
export function matchRoute<H>(
  routes: Route<H>[],
  method: string,
  segments: string[],
): { match?: RouteMatch<H>; methodNotAllowed: boolean } {
  let best: { match: RouteMatch<H>; literals: number } | undefined;
  let pathMatched = false;
  for (const route of routes) {
    const parts = templateSegments(route.template);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i] as string;
      const segment = segments[i] as string;
      if (part.startsWith('{') && part.endsWith('}')) {
        if (segment === '') ok = false;
        else params[part.slice(1, -1)] = segment;
      } else if (part.toLowerCase() === segment.toLowerCase()) {
        literals++;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    if (!best || literals > best.literals) best = { match: { route, params }, literals };
  }
  return best ? { match: best.match, methodNotAllowed: false } : { methodNotAllowed: pathMatched };
}
