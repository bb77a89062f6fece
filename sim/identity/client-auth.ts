import { TENANT } from '../data/tenant.js';
import type { RegisteredApp } from './apps.js';
import type { IdentityContext } from './context.js';
import { AadError, aad } from './errors.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Allowed clock skew for client assertions. */
const SKEW_SECONDS = 300;

export interface AuthenticatedClient {
  app: RegisteredApp;
  method: 'secret' | 'certificate';
}

/** client_id and client_secret from the form or from HTTP Basic (RFC 6749 §2.3.1). */
export function clientCredentials(
  ctx: IdentityContext,
  form: URLSearchParams,
): { clientId?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId ??= decodeURIComponent(decoded.slice(0, colon));
    secret ??= decodeURIComponent(decoded.slice(colon + 1));
  }
  return { ...(clientId ? { clientId } : {}), ...(secret ? { secret } : {}) };
}

/** Token endpoint URLs an assertion may name as its audience (v1/v2, GUID or domain, sim or login host). */
function validAudience(aud: string, simUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(aud);
  } catch {
    return false;
  }
  const sim = new URL(simUrl);
  const hostOk =
    url.host.toLowerCase() === 'login.microsoftonline.com' ||
    (url.port === sim.port && ['127.0.0.1', 'localhost'].includes(url.hostname.toLowerCase()));
  const path = url.pathname.toLowerCase().replace(/\/$/, '');
  const tenants = [TENANT.id, TENANT.domain];
  return (
    hostOk &&
    tenants.some((t) => path === `/${t}/oauth2/v2.0/token` || path === `/${t}/oauth2/token`)
  );
}

const thumbprintHeader = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

/** Verifies a private_key_jwt client assertion against the app's registered certificate. */
export function verifyAssertion(ctx: IdentityContext, app: RegisteredApp, assertion: string): void {
  const jwt = decodeJwt(assertion);
  if (!jwt) throw aad.assertionInvalid('The client assertion is not a valid JWT.');
  const cert = app.certificate;
  const x5t = jwt.header.x5t;
  const x5tS256 = jwt.header['x5t#S256'];
  const matches =
    cert !== undefined &&
    ((typeof x5t === 'string' && x5t === thumbprintHeader(cert.thumbprintSha1)) ||
      (typeof x5tS256 === 'string' && x5tS256 === thumbprintHeader(cert.thumbprintSha256)));
  if (!cert || !matches) {
    const used =
      typeof x5t === 'string'
        ? Buffer.from(x5t, 'base64url').toString('hex').toUpperCase()
        : String(x5tS256 ?? '');
    throw aad.assertionInvalid(
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${used}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
    );
  }
  if (!verifyJwtSignature(jwt, cert.pem)) {
    throw aad.assertionInvalid('Client assertion failed signature validation.');
  }
  const { iss, sub, aud, exp, nbf } = jwt.payload;
  if (iss !== app.clientId || sub !== app.clientId) {
    throw new AadError(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    );
  }
  if (typeof aud !== 'string' || !validAudience(aud, ctx.state.url)) {
    throw aad.assertionInvalid(
      `The audience '${String(aud)}' of the client assertion is not a token endpoint of this tenant.`,
    );
  }
  const now = ctx.state.clock.nowSeconds();
  if (typeof exp !== 'number') {
    throw aad.assertionInvalid("The client assertion has no 'exp' claim.");
  }
  const notBefore = typeof nbf === 'number' ? nbf : now;
  if (now > exp + SKEW_SECONDS || notBefore > now + SKEW_SECONDS) {
    throw aad.assertionTime(now, notBefore, exp);
  }
}

/** Authenticates the client of a token request: secret, or certificate assertion. */
export function authenticateClient(
  ctx: IdentityContext,
  form: URLSearchParams,
  lookup: (clientId: string) => RegisteredApp | undefined,
): AuthenticatedClient {
  const { clientId, secret } = clientCredentials(ctx, form);
  if (!clientId) throw aad.missingParameter('client_id');
  const app = lookup(clientId);
  if (!app) throw aad.unknownClient(clientId, TENANT.displayName);
  const assertion = form.get('client_assertion');
  if (secret !== undefined) {
    if (!app.secrets.includes(secret)) throw aad.badSecret(app.clientId);
    return { app, method: 'secret' };
  }
  if (assertion) {
    const type = form.get('client_assertion_type');
    if (type !== JWT_BEARER) {
      throw aad.assertionInvalid(
        `The client_assertion_type '${type ?? ''}' is not supported; use '${JWT_BEARER}'.`,
      );
    }
    verifyAssertion(ctx, app, assertion);
    return { app, method: 'certificate' };
  }
  throw aad.missingCredential();
}
