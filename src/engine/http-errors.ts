/**
 * How the HTTP face answers a refusal or an error: `{"error": {"code", "message"}}`, with
 * `Retry-After` when trying again later helps.
 */
import type { FastifyReply } from 'fastify';
import type { Refusal } from './refusal.js';

/** A refusal raised inside fastify's lifecycle (the validation step). */
export class RefusalError extends Error {
  readonly statusCode: number;
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.statusCode = refusal.status;
  }
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  retryAfterSeconds?: number,
): FastifyReply {
  if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds));
  return reply.code(status).send({ error: { code, message } });
}

export const sendRefusal = (reply: FastifyReply, refusal: Refusal): FastifyReply => {
  reply.request.call.outcome = refusal.code;
  return sendError(reply, refusal.status, refusal.code, refusal.message, refusal.retryAfterSeconds);
};
