import { TENANT } from '../data/tenant.js';
import type { SimState } from '../state.js';
import type { SimRequest, SimResponse } from '../types.js';
import { AadError, aad, aadErrorResponse } from './errors.js';

/** What identity-platform handlers see. */
export interface IdentityContext {
  state: SimState;
  req: SimRequest;
  params: Record<string, string>;
}

export type IdentityHandler = (ctx: IdentityContext) => SimResponse | Promise<SimResponse>;

/** Accepts the tenant GUID, its domain name, or the multi-tenant aliases msal may use. */
export function knownTenant(segment: string): boolean {
  const value = segment.toLowerCase();
  return [TENANT.id, TENANT.domain, 'common', 'organizations'].includes(value);
}

export function requireTenant(ctx: IdentityContext): void {
  const tenant = ctx.params.tenant ?? '';
  if (!knownTenant(tenant)) throw aad.tenantNotFound(tenant);
}

export function json(
  status: number,
  body: SimResponse['json'],
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    json: body,
  };
}

/** Runs an identity handler, rendering AadErrors in the platform's error shape. */
export function withAadErrors(handler: IdentityHandler): IdentityHandler {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (err) {
      if (err instanceof AadError) {
        return aadErrorResponse(err, ctx.state.clock.now(), ctx.req.headers['client-request-id']);
      }
      throw err;
    }
  };
}

/** Parses an application/x-www-form-urlencoded body. */
export const formBody = (ctx: IdentityContext): URLSearchParams =>
  new URLSearchParams(ctx.req.body.toString('utf8'));
