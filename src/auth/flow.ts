/**
 * Flow selection: which of the five authentication flows the parameters configure, with the
 * values that flow uses. Pure (no I/O), so the dispatcher can refuse a command before any request,
 * and table-driven tests can pin every combination. Missing or contradictory fields produce one
 * message naming exactly the fields to fill for the chosen flow.
 */
import { ConfigurationError } from '../base/errors.js';
import {
  boolParam,
  credentialIdentifier,
  credentialSecret,
  textParam,
  type InstanceParams,
} from '../base/params.js';

export type AuthFlow =
  | 'xsoar-app'
  | 'client-credentials'
  | 'client-certificate'
  | 'authorization-code'
  | 'managed-identity';

export const FLOW_LABELS: Record<AuthFlow, string> = {
  'xsoar-app': 'Cortex XSOAR Azure app',
  'client-credentials': 'self-deployed app, client credentials (secret)',
  'client-certificate': 'self-deployed app, client credentials (certificate)',
  'authorization-code': 'self-deployed app, authorization code',
  'managed-identity': 'Azure managed identity',
};

export const DEFAULT_XSOAR_TOKEN_URL = 'https://oproxy.demisto.ninja/obtain-token';
export const XSOAR_AUTH_GUIDE = 'https://oproxy.demisto.ninja/ms-graph-user';

export interface CertificateCredential {
  /** Hex SHA-1 (40) or SHA-256 (64) thumbprint, upper case, no separators. */
  thumbprint: string;
  privateKey: string;
}

export interface AuthConfig {
  flow: AuthFlow;
  clientId?: string;
  tenantId?: string;
  clientSecret?: string;
  certificate?: CertificateCredential;
  /** The pasted one-time code (authorization-code flow; `msgraph-user login` can obtain one instead). */
  authCode?: string;
  redirectUri?: string;
  xsoarApp?: { registrationId: string; tokenUrl: string; tenantToken: string; key: string };
  /** User-assigned identity's client ID; undefined means system-assigned. */
  managedIdentityClientId?: string;
}

/** The params-file key of each field label, so a message names both (`"ID" (creds_auth_id)`). */
const PARAM_KEYS: Record<string, string> = {
  ID: 'creds_auth_id',
  Token: 'creds_tenant_id',
  Key: 'creds_enc_key',
  'Redirect URI': 'redirect_uri',
  'Authorization Code': 'creds_auth_code',
  'Certificate Thumbprint': 'creds_certificate.identifier',
  'Private Key': 'creds_certificate.password',
  'Use a self-deployed Azure application': 'self_deployed',
  'Azure Managed Identities Client ID': 'managed_identities_client_id',
};

const fields = (names: string[]) =>
  names.map((n) => `"${n}"${PARAM_KEYS[n] ? ` (${PARAM_KEYS[n]})` : ''}`).join(', ');

function missing(flow: AuthFlow, names: string[], extra = ''): ConfigurationError {
  return new ConfigurationError(
    `The ${FLOW_LABELS[flow]} flow needs ${fields(names)}: fill in ${names.length === 1 ? 'this field' : 'these fields'}.${extra}`,
  );
}

// XSOAR's UI turns the newlines of a pasted PEM into spaces; put them back.
export function repairPem(key: string): string {
  const match = /^(-----BEGIN [A-Z ]+-----)\s*([\s\S]*?)\s*(-----END [A-Z ]+-----)\s*$/.exec(
    key.trim(),
  );
  if (!match) return key.trim();
  const body = match[2]!.replace(/\s+/g, '');
  return `${match[1]}\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n${match[3]}\n`;
}

function certificate(params: InstanceParams): CertificateCredential | undefined {
  const thumbprint = credentialIdentifier(params, 'creds_certificate', 'certificate_thumbprint');
  const privateKey = credentialSecret(params, 'creds_certificate', 'private_key');
  if (!thumbprint && !privateKey) return undefined;
  if (!thumbprint || !privateKey) {
    throw new ConfigurationError(
      'Certificate authentication needs both "Certificate Thumbprint" and "Private Key": fill in the one that is empty, or clear both to use the client secret ("Key").',
    );
  }
  const hex = thumbprint.replace(/[\s:]/g, '').toUpperCase();
  if (!/^([0-9A-F]{40}|[0-9A-F]{64})$/.test(hex)) {
    throw new ConfigurationError(
      '"Certificate Thumbprint" must be the certificate\'s SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.',
    );
  }
  const pem = repairPem(privateKey);
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new ConfigurationError(
      '"Private Key" must be a PEM private key (-----BEGIN PRIVATE KEY----- ...).',
    );
  }
  return { thumbprint: hex, privateKey: pem };
}

function checkAuthCode(code: string): void {
  if (/(^|[?&\s])code=/.test(code) || code.includes('session_state')) {
    throw new ConfigurationError(
      '"Authorization Code" must hold only the code: from the redirect address REDIRECT_URI?code=AUTH_CODE&session_state=..., paste just AUTH_CODE, without "code=" and without "&session_state=..." (or run "msgraph-user login", which needs no copy and paste).',
    );
  }
}

const GENERIC_TENANTS = ['common', 'organizations', 'consumers'];

function selfDeployed(params: InstanceParams): AuthConfig {
  const clientId = credentialSecret(params, 'creds_auth_id', 'auth_id');
  const tenantId = credentialSecret(params, 'creds_tenant_id', 'tenant_id');
  const clientSecret = credentialSecret(params, 'creds_enc_key', 'enc_key');
  const authCode = credentialSecret(params, 'creds_auth_code', 'auth_code');
  const redirectUri = textParam(params, 'redirect_uri');
  const cert = certificate(params);
  const flow: AuthFlow =
    redirectUri || authCode
      ? 'authorization-code'
      : cert
        ? 'client-certificate'
        : 'client-credentials';

  const needed: string[] = [];
  if (!clientId) needed.push('ID');
  if (!tenantId) needed.push('Token');
  if (flow === 'authorization-code' && !redirectUri) needed.push('Redirect URI');
  if (!clientSecret && !cert) {
    needed.push(
      flow === 'authorization-code' ? 'Key' : 'Key (or Certificate Thumbprint and Private Key)',
    );
  }
  if (needed.length > 0) {
    const tip =
      flow === 'authorization-code'
        ? ''
        : ' (ID = application (client) ID, Token = tenant ID, Key = client secret.)';
    throw missing(flow, needed, tip);
  }
  if (GENERIC_TENANTS.includes(tenantId.toLowerCase())) {
    throw new ConfigurationError(
      `"Token" must be your tenant ID (a GUID or a domain), not "${tenantId}".`,
    );
  }
  if (authCode) checkAuthCode(authCode);
  return {
    flow,
    clientId,
    tenantId,
    clientSecret: cert ? undefined : clientSecret,
    certificate: cert,
    authCode: authCode || undefined,
    redirectUri: redirectUri || undefined,
  };
}

function xsoarApp(params: InstanceParams): AuthConfig {
  const id = credentialSecret(params, 'creds_auth_id', 'auth_id');
  const tenantToken = credentialSecret(params, 'creds_tenant_id', 'tenant_id');
  const key = credentialSecret(params, 'creds_enc_key', 'enc_key');
  const contradictions: string[] = [];
  if (credentialSecret(params, 'creds_auth_code', 'auth_code')) {
    contradictions.push('Authorization Code');
  }
  if (textParam(params, 'redirect_uri')) contradictions.push('Redirect URI');
  if (contradictions.length > 0) {
    throw new ConfigurationError(
      `${fields(contradictions)} ${contradictions.length === 1 ? 'is' : 'are'} only used by a self-deployed application: select "Use a self-deployed Azure application", or clear ${contradictions.length === 1 ? 'it' : 'them'} to use the Cortex XSOAR Azure app.`,
    );
  }
  const needed = [!id && 'ID', !tenantToken && 'Token', !key && 'Key'].filter((n): n is string =>
    Boolean(n),
  );
  if (needed.length > 0) {
    throw missing(
      'xsoar-app',
      needed,
      ` Get ID, Token and Key from the authorization flow at ${XSOAR_AUTH_GUIDE}, or select "Use a self-deployed Azure application".`,
    );
  }
  const at = id.indexOf('@');
  const registrationId = at >= 0 ? id.slice(0, at) : id;
  const tokenUrl = at >= 0 ? id.slice(at + 1) : DEFAULT_XSOAR_TOKEN_URL;
  if (!/^https:\/\/[^\s]+$/.test(tokenUrl)) {
    throw new ConfigurationError(
      `"ID" may end with @<token URL>, and that URL must start with https:// (got "${tokenUrl}").`,
    );
  }
  return { flow: 'xsoar-app', xsoarApp: { registrationId, tokenUrl, tenantToken, key } };
}

/** The flow the parameters configure, or a ConfigurationError saying what to fill in. */
export function selectFlow(params: InstanceParams): AuthConfig {
  if (boolParam(params, 'use_managed_identities')) {
    const clientId = credentialSecret(params, 'managed_identities_client_id');
    return { flow: 'managed-identity', managedIdentityClientId: clientId || undefined };
  }
  return boolParam(params, 'self_deployed') ? selfDeployed(params) : xsoarApp(params);
}

/** The flow the parameters select, decided once per runtime, or why they select none. */
export type FlowSelection = { config: AuthConfig } | { problem: ConfigurationError };

export function chooseFlow(params: InstanceParams): FlowSelection {
  try {
    return { config: selectFlow(params) };
  } catch (err) {
    if (err instanceof ConfigurationError) return { problem: err };
    throw err;
  }
}

/** Values of the configuration that are secrets (to redact everywhere). */
export function configSecrets(config: AuthConfig): string[] {
  return [
    config.clientSecret,
    config.certificate?.privateKey,
    config.authCode,
    config.xsoarApp?.tenantToken,
    config.xsoarApp?.key,
  ].filter((v): v is string => Boolean(v));
}

/**
 * Which secret-typed parameter values are public identifiers rather than secrets: they appear in
 * authorize URLs and in messages users need, so the redactor and the recording scrubber keep them
 * readable. ID is the client or registration ID in every flow; Token is the tenant ID except for
 * the Cortex XSOAR app, where it is a real secret. Decided from the parameters alone, so an
 * incomplete configuration is treated the same way.
 */
export function publicIdentifiers(params: InstanceParams): string[] {
  const tokenIsTenant =
    boolParam(params, 'self_deployed') || boolParam(params, 'use_managed_identities');
  return [
    credentialSecret(params, 'creds_auth_id', 'auth_id'),
    tokenIsTenant ? credentialSecret(params, 'creds_tenant_id', 'tenant_id') : '',
    credentialSecret(params, 'managed_identities_client_id'),
    credentialIdentifier(params, 'creds_certificate', 'certificate_thumbprint'),
  ].filter(Boolean);
}
