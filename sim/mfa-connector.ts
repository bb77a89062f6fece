import { randomUUID } from 'node:crypto';
import type { SimState } from './state.js';
import type { SimRequest, SimResponse } from './types.js';

const XML = { 'content-type': 'application/xml; charset=utf-8' };

const unescapeXml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(
    xml,
  );
  return match ? unescapeXml(match[1] as string).trim() : undefined;
}

function answer(
  upn: string,
  value: string,
  message: string | null,
  approved: boolean,
): SimResponse {
  const messageXml =
    message === null ? '<Message i:nil="true"/>' : `<Message>${escapeXml(message)}</Message>`;
  return {
    status: 200,
    headers: XML,
    text:
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<BeginTwoWayAuthenticationResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
      `<Result><Value>${value}</Value>${messageXml}</Result>` +
      `<SessionId>${randomUUID()}</SessionId>` +
      `<UserPrincipalName>${escapeXml(upn)}</UserPrincipalName>` +
      `<AuthenticationResult>${approved}</AuthenticationResult>` +
      '</BeginTwoWayAuthenticationResponse>',
  };
}

/**
 * POST /StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication: the MFA push the
 * MFA commands trigger. Approves by default; UPNs starting with "deny" are denied and those
 * starting with "timeout" get no answer from the phone (PhoneAppNoResponse).
 */
export function beginTwoWayAuthentication(state: SimState, req: SimRequest): SimResponse {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
  const found = token ? state.tokens.lookup(token) : undefined;
  if (!found || found.expired || found.record.audience !== 'mfa') {
    return {
      status: 401,
      headers: XML,
      text: '<Error><Code>Unauthorized</Code><Message>The access token is missing, expired or not issued for the MFA connector.</Message></Error>',
    };
  }
  const xml = req.body.toString('utf8');
  const upn = element(xml, 'UserPrincipalName');
  if (!upn) return answer('', 'InvalidRequest', 'UserPrincipalName is required.', false);
  const lower = upn.toLowerCase();
  if (lower.startsWith('deny')) {
    return answer(upn, 'PhoneAppDenied', 'The user denied the authentication request.', false);
  }
  if (lower.startsWith('timeout')) {
    return answer(
      upn,
      'PhoneAppNoResponse',
      'The user did not respond to the authentication request.',
      false,
    );
  }
  return answer(upn, 'Success', null, true);
}
