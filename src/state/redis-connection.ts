/**
 * One connection to the Redis server that holds shared instance state, and the rules every user
 * of it keeps: the URL's password never reaches a message, every wait is bounded, and a failure
 * becomes one clear error naming the server.
 *
 * While the server is away, commands fail at once (no offline queue that would hold them, and
 * the instance's lock, until it returns) and the client keeps reconnecting in the background, so
 * a long-lived engine recovers by itself. The first connection is different: a CLI run that
 * cannot reach Redis at all should say so after a few tries, not wait for ever.
 */
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ErrorReply,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
  type RedisClientType,
} from '@redis/client';
import { systemClock, type Clock, type Timer } from '../base/clock.js';
import { UsageError, UserError } from '../base/errors.js';
import { REDACTED } from '../base/redact.js';

export type RedisClient = RedisClientType;

export interface RedisTarget {
  /** The URL as given (holds the password, if any: never print it). */
  readonly url: string;
  /** The URL without its password: the form every message uses. */
  readonly display: string;
  readonly tls: boolean;
}

export interface RedisConnectionOptions {
  /** Bound on one connection attempt, in ms. */
  connectTimeoutMs?: number;
  /** Attempts before the first connection is given up. */
  connectAttempts?: number;
  /** Bound on one command's answer, in ms. */
  commandTimeoutMs?: number;
  /**
   * Times the first connection's deadline (default: the system clock; a replay's clock knows
   * nothing of a server outside the recording).
   */
  clock?: Clock;
  /** Told about background reconnections (the engine logs them). */
  onReconnecting?: (display: string) => void;
}

export interface RedisConnection {
  readonly target: RedisTarget;
  readonly client: RedisClient;
  /** Runs `fn` with the client; a Redis failure becomes a RedisUnavailableError naming `action`. */
  use<T>(action: string, fn: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Closes the connection at once (pending commands fail); safe to call twice. */
  close(): Promise<void>;
}

/** Redis could not serve a request: unreachable, timed out, or refused our credentials. */
export class RedisUnavailableError extends UserError {}

/** The server took the connection but did not answer the handshake in time. */
class HandshakeTimeout extends Error {}

const SCHEMES = new Set(['redis:', 'rediss:']);

/** Checks a `redis://` or `rediss://` URL; `origin` names where it came from (--state, an env var). */
export function parseRedisUrl(url: string, origin: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${origin}: "${displayUnparsed(url)}" is not a URL; expected redis://[user:password@]host:port/db or rediss://… for TLS.`,
    );
  }
  const display = displayUrl(parsed);
  if (!SCHEMES.has(parsed.protocol)) {
    throw new UsageError(
      `${origin}: "${display}" is not a Redis URL; expected redis://[user:password@]host:port/db or rediss://… for TLS.`,
    );
  }
  if (!parsed.hostname) {
    throw new UsageError(`${origin}: "${display}" names no host.`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) {
    throw new UsageError(
      `${origin}: "${display}" names database "${db}"; the path must be a database number (e.g. /0).`,
    );
  }
  for (const [part, value] of [
    ['user name', parsed.username],
    ['password', parsed.password],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      throw new UsageError(
        `${origin}: the ${part} in "${display}" has a "%" not followed by two hex digits; write "%" as %25 (URL encoding).`,
      );
    }
  }
  if (parsed.search || parsed.hash) {
    throw new UsageError(`${origin}: "${display}" has a query or fragment; remove it.`);
  }
  return { url, display, tls: parsed.protocol === 'rediss:' };
}

/** The URL with any password replaced, for messages. */
function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  // The redactor's own marker, so a message it passes through again reads the same.
  if (copy.password) copy.password = 'PASSWORD';
  return copy.href.replace(/\/$/, '').replace(':PASSWORD@', `:${REDACTED}@`);
}

/** Something that is not even a URL may still hold a password after a colon: show its shape only. */
function displayUnparsed(text: string): string {
  const at = text.lastIndexOf('@');
  return at >= 0 ? `${REDACTED}${text.slice(at)}` : text;
}

/** Why a Redis call failed, in words: never the library's message, which may quote what we sent. */
function reason(err: unknown): string {
  if (err instanceof ErrorReply) {
    const code = err.message.split(' ')[0] ?? '';
    if (code === 'WRONGPASS' || code === 'NOAUTH') return 'it refused the credentials in the URL';
    if (code === 'NOPERM') return 'the user in the URL lacks a permission it needs';
    return `it answered ${code || 'an error'}`;
  }
  if (err instanceof ReconnectStrategyError) return reason(err.socketError);
  if (err instanceof ConnectionTimeoutError) return 'connecting timed out';
  if (err instanceof HandshakeTimeout) return 'it took the connection but did not answer';
  if (err instanceof TimeoutError || err instanceof SocketTimeoutError) {
    return 'it did not answer in time';
  }
  if (err instanceof ClientOfflineError || err instanceof ClientClosedError) {
    return 'the connection is down';
  }
  if (err instanceof SocketClosedUnexpectedlyError || err instanceof DisconnectsClientError) {
    return 'the connection closed';
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'unknown failure';
}

/** A failure of the server or the connection to it (not a bug of ours, which stays a bug). */
export function isRedisFailure(err: unknown): boolean {
  if (
    err instanceof HandshakeTimeout ||
    err instanceof ErrorReply ||
    err instanceof ReconnectStrategyError ||
    err instanceof ConnectionTimeoutError ||
    err instanceof TimeoutError ||
    err instanceof SocketTimeoutError ||
    err instanceof ClientOfflineError ||
    err instanceof ClientClosedError ||
    err instanceof SocketClosedUnexpectedlyError ||
    err instanceof DisconnectsClientError
  ) {
    return true;
  }
  const e = err as { code?: unknown; syscall?: unknown } | undefined;
  return typeof e?.code === 'string' && typeof e?.syscall === 'string';
}

export function redisFailure(err: unknown, target: RedisTarget, action: string): unknown {
  if (!isRedisFailure(err)) return err;
  return new RedisUnavailableError(
    `Could not ${action}: Redis at ${target.display} is unavailable (${reason(err)}).`,
    'Check --state / MSGRAPH_USER_STATE and that the Redis server is running and reachable.',
  );
}

/** Connects to `target`; a server that cannot be reached fails after a bounded number of tries. */
export async function connectRedis(
  target: RedisTarget,
  options: RedisConnectionOptions = {},
): Promise<RedisConnection> {
  const attempts = options.connectAttempts ?? 3;
  let ready = false;
  const client: RedisClient = createClient({
    url: target.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? 5_000 },
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!ready && retries + 1 >= attempts) return cause;
        return Math.min(100 * 2 ** retries, 2_000);
      },
    },
  }) as RedisClient;
  // Errors also reach the command that met them; without a listener they would end the process.
  client.on('error', () => undefined);
  client.on('reconnecting', () => {
    if (ready) options.onReconnecting?.(target.display);
  });
  // The connect timeout covers the TCP connection only; a server that accepts it and never
  // answers the handshake (a stopped process, a wrong port behind a proxy) would hold the first
  // connection for ever. Every attempt and pause together get this long.
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const deadlineMs = attempts * connectTimeoutMs + (attempts - 1) * 2_000;
  let timer: Timer | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = (options.clock ?? systemClock).timer(deadlineMs, () =>
          reject(new HandshakeTimeout()),
        );
      }),
    ]);
  } catch (err) {
    client.destroy();
    throw redisFailure(err, target, 'connect to the state store');
  } finally {
    timer?.cancel();
  }
  ready = true;
  let closed = false;
  return {
    target,
    client,
    async use(action, fn) {
      try {
        return await fn(client);
      } catch (err) {
        throw redisFailure(err, target, action);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      client.destroy();
    },
  };
}
