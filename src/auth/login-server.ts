/**
 * The loopback listener `msgraph-user login` waits on: it receives the browser's redirect
 * (`?code=…&state=…`), holds the browser's request open while the code is redeemed, then answers
 * with a plain page. Only loopback redirect URIs are served, on loopback interfaces only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { UsageError } from '../base/errors.js';

export interface LoopbackTarget {
  /** Interfaces to listen on. */
  hosts: string[];
  port: number;
  path: string;
}

/** Where to listen for `redirectUri`, or a UsageError explaining which redirect URIs work. */
export function loopbackTarget(redirectUri: string): LoopbackTarget {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new UsageError(`"Redirect URI" is not a URL: ${redirectUri}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || (host !== 'localhost' && host !== '127.0.0.1')) {
    throw new UsageError(
      `msgraph-user login receives the sign-in on this computer, so "Redirect URI" must be http://localhost:<port>/<path> or http://127.0.0.1:<port>/<path> (got ${redirectUri}).`,
      'Register such a redirect URI (platform "Web") in the app registration and set "Redirect URI" to it, or use msgraph-user-generate-login-url and paste the code into "Authorization Code".',
    );
  }
  // Browsers may resolve localhost to ::1 or 127.0.0.1; listen on both.
  return {
    hosts: host === 'localhost' ? ['127.0.0.1', '::1'] : ['127.0.0.1'],
    port: Number(url.port || 80),
    path: url.pathname,
  };
}

export interface Callback {
  query: URLSearchParams;
  /** Answers the browser; resolves once the page is sent. */
  respond(status: number, title: string, text: string): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(
  response: ServerResponse,
  status: number,
  title: string,
  text: string,
): Promise<void> {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    Connection: 'close',
  });
  return new Promise((resolve) => response.end(body, () => resolve()));
}

export interface LoopbackListener {
  /** The next request to the redirect path (any page may be rejected and the next awaited). */
  next(): Promise<Callback>;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startLoopbackListener(target: LoopbackTarget): Promise<LoopbackListener> {
  // Requests to the redirect path, in arrival order, and who waits for the next one.
  const arrived: Callback[] = [];
  let waiting: ((callback: Callback) => void) | undefined;
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://loopback');
    if (request.method !== 'GET' || url.pathname !== target.path) {
      void page(response, 404, 'Not found', 'This address only receives the msgraph-user sign-in.');
      return;
    }
    const callback: Callback = {
      query: url.searchParams,
      respond: (status, title, text) => page(response, status, title, text),
    };
    if (waiting) {
      const deliver = waiting;
      waiting = undefined;
      deliver(callback);
    } else {
      arrived.push(callback);
    }
  };
  const servers: Server[] = [];
  for (const [index, host] of target.hosts.entries()) {
    const server = createServer(handle);
    try {
      await listen(server, target.port, host);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ::1 is optional (hosts without IPv6); the first interface is not.
      if (index > 0 && code !== 'EADDRINUSE') continue;
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      throw new UsageError(
        code === 'EADDRINUSE'
          ? `Port ${target.port} (from "Redirect URI") is in use: stop the program using it, or register and configure another loopback redirect URI.`
          : `Cannot listen on ${host}:${target.port} for the sign-in: ${(error as Error).message}`,
      );
    }
  }
  return {
    next: () =>
      arrived.length > 0
        ? Promise.resolve(arrived.shift()!)
        : new Promise<Callback>((resolve) => (waiting = resolve)),
    async close() {
      // Anything still queued gets an answer rather than a hanging tab.
      for (const callback of arrived.splice(0)) {
        void callback.respond(410, 'Sign-in over', 'This sign-in has ended.');
      }
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeIdleConnections();
              // A browser may hold a keep-alive connection open (favicon); do not wait for it.
              setTimeout(() => server.closeAllConnections(), 500).unref();
            }),
        ),
      );
    },
  };
}
