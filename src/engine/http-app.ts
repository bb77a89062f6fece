/**
 * The engine over HTTP (fastify). Every request but the health probes needs
 * `Authorization: Bearer <key>`; each answer carries its request id (`X-Request-Id`, taken from
 * the caller when it is a plain token) and leaves one JSON access-log line. For a command, the
 * fastify lifecycle runs the engine's steps in order, so each refusal happens before anything is
 * sent to Graph:
 *
 *   onRequest: the key (401) -> preValidation: instance, command, grant (404, 403)
 *   -> validation: the manifest's argument validators (400) -> handler: queue and run (503, 200)
 *
 * Errors answer `{"error": {"code", "message"}}`; an unexpected one says only its request id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Grant } from './api-keys.js';
import type { Engine } from './engine.js';
import { RefusalError, sendError, sendRefusal } from './http-errors.js';
import { commandRoutes, engineRoutes } from './http-routes.js';

export interface HttpAppOptions {
  tls?: { cert: string; key: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    grant: Grant | null;
    /** What the access log says about the call (instance, command, outcome, command_ms). */
    call: Record<string, string | number>;
  }
  interface FastifyContextConfig {
    /** Answered without a key (health probes). */
    open?: boolean;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Fastify's own parsing errors (media type, malformed JSON, size) as our error shape. */
function clientError(error: { code?: string; statusCode?: number; message: string }) {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : undefined;
  if (!status || !error.code?.startsWith('FST_')) return undefined;
  return { status, code: 'bad_request', message: error.message };
}

/** Every request but the open ones (health probes) needs a known key: 401 before anything runs. */
function authentication(app: FastifyInstance, engine: Engine): void {
  app.addHook('onRequest', async (request, reply) => {
    request.call = {};
    reply.header('x-request-id', request.id);
    if (request.routeOptions.config.open) return;
    const key = bearerKey(request);
    const grant = key === undefined ? undefined : engine.keys.find(key);
    if (!grant) {
      request.call.outcome = 'unauthorized';
      reply.header('www-authenticate', 'Bearer');
      const message =
        key === undefined
          ? 'Missing API key: send "Authorization: Bearer <key>".'
          : 'Unknown API key.';
      return sendError(reply, 401, 'unauthorized', message);
    }
    request.grant = grant;
  });
}

/** One JSON line per request, redacted like every log line. */
function accessLog(app: FastifyInstance, engine: Engine): void {
  app.addHook('onResponse', async (request, reply) => {
    engine.log.event('info', 'request', {
      request_id: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(request.grant ? { key: request.grant.name } : {}),
      ...request.call,
    });
  });
}

/** Errors and unknown paths in the engine's error shape; an unexpected error only by its id. */
function errorAnswers(app: FastifyInstance, engine: Engine): void {
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof RefusalError) return sendRefusal(reply, error.refusal);
    const known = clientError(error as { code?: string; statusCode?: number; message: string });
    if (known) return sendError(reply, known.status, known.code, known.message);
    engine.log.event('error', 'request failed', {
      request_id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return sendError(reply, 500, 'internal', `Internal error (request id ${request.id}).`);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const command = /^\/v1\/(?:instances\/([^/]+)\/)?commands\/([^/]+)$/.exec(path);
    // The router has already refused a path whose percent-encoding is malformed.
    if (command && request.method === 'POST') {
      const instance = command[1] === undefined ? undefined : decodeURIComponent(command[1]);
      const target = engine.target(instance, decodeURIComponent(command[2]!));
      if ('refused' in target) return sendRefusal(reply, target);
    }
    return sendError(reply, 404, 'not_found', `No such endpoint: ${request.method} ${path}.`);
  });
}

export async function createHttpApp(engine: Engine, options: HttpAppOptions = {}) {
  const app = Fastify({
    logger: false,
    genReqId: requestId,
    ...(options.tls ? { https: options.tls } : {}),
  });
  let stopping = false;
  // Declared up front (fastify keeps one object shape for every request).
  app.decorateRequest('grant', null as unknown as Grant);
  app.decorateRequest('call', null as unknown as Record<string, string | number>);
  // An empty body is no arguments (a command like msgraph-user-test needs none).
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : json(request, body as string, done),
  );
  authentication(app, engine);
  accessLog(app, engine);
  errorAnswers(app, engine);
  const isStopping = () => stopping;
  engineRoutes(app, engine, isStopping);
  commandRoutes(app, engine, isStopping);
  await app.ready();
  return {
    app,
    /** Stops admitting commands and answering new requests; `app.close()` then drains. */
    stop() {
      stopping = true;
      engine.stop();
    },
  };
}

export type HttpApp = Awaited<ReturnType<typeof createHttpApp>>;
