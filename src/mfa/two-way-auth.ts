/**
 * The StrongAuthenticationService `BeginTwoWayAuthentication` exchange: the XML request the
 * reference sends (a synchronous push, as the NPS extension's RADIUS caller) and the few fields of
 * the answer it reads. No XML library: the request is a fixed template with one escaped value, and
 * the answer is read by element name, with or without a namespace prefix.
 */

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** A character reference's character; U+FFFD for a number that names none (XML 1.0 Char). */
function referenced(code: number): string {
  const valid =
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  return valid ? String.fromCodePoint(code) : '\ufffd';
}

const unescapeXml = (text: string): string =>
  text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return referenced(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) return referenced(Number(name.slice(1)));
    return named[name.toLowerCase()] ?? entity;
  });

export function twoWayAuthenticationRequest(userPrincipalName: string, contextId: string): string {
  return [
    '<BeginTwoWayAuthenticationRequest>',
    '<Version>1.0</Version>',
    `<UserPrincipalName>${escapeXml(userPrincipalName)}</UserPrincipalName>`,
    '<Lcid>en-us</Lcid>',
    '<AuthenticationMethodProperties xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays">',
    '<a:KeyValueOfstringstring><a:Key>OverrideVoiceOtp</a:Key><a:Value>false</a:Value></a:KeyValueOfstringstring>',
    '</AuthenticationMethodProperties>',
    `<ContextId>${contextId}</ContextId>`,
    '<SyncCall>true</SyncCall>',
    '<RequireUserMatch>true</RequireUserMatch>',
    '<CallerName>radius</CallerName>',
    '<CallerIP>UNKNOWN:</CallerIP>',
    '</BeginTwoWayAuthenticationRequest>',
  ].join('');
}

interface XmlElement {
  attributes: string;
  /** Raw inner XML; undefined for a self-closing element. */
  inner?: string;
}

/** The first element named `name` (any namespace prefix) in `xml`. */
function element(xml: string, name: string): XmlElement | undefined {
  const match = new RegExp(
    `<(?:[\\w.-]+:)?${name}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>)`,
  ).exec(xml);
  if (!match) return undefined;
  return { attributes: match[1] ?? '', inner: match[2] };
}

const text = (el: XmlElement | undefined): string | undefined =>
  el?.inner === undefined ? undefined : unescapeXml(el.inner).trim();

/** `xsi:nil="true"` (whatever prefix the response binds to the XML Schema instance namespace). */
const isNil = (el: XmlElement): boolean =>
  /(?:^|\s)[\w.-]+:nil\s*=\s*["']true["']/.test(el.attributes);

export interface TwoWayAuthenticationResult {
  /** Result/Value: Success, PhoneAppDenied, PhoneAppNoResponse, ... */
  value: string;
  /** Result/Message, when not nil. */
  message?: string;
  /** AuthenticationResult is true. */
  authenticated: boolean;
}

/** The answer's fields, or undefined when the body is not a BeginTwoWayAuthentication response. */
export function parseTwoWayAuthenticationResponse(
  xml: string,
): TwoWayAuthenticationResult | undefined {
  const result = element(xml, 'Result');
  const authentication = element(xml, 'AuthenticationResult');
  if (!result || result.inner === undefined || !authentication) return undefined;
  const message = element(result.inner, 'Message');
  return {
    value: text(element(result.inner, 'Value')) ?? '',
    message: message && !isNil(message) ? text(message) || undefined : undefined,
    authenticated: text(authentication)?.toLowerCase() === 'true',
  };
}

export interface TwoWayOutcome {
  approved: boolean;
  status: string;
}

/** The reference's status texts. */
export function twoWayOutcome(result: TwoWayAuthenticationResult): TwoWayOutcome {
  if (result.value === 'Success' && result.authenticated) {
    return { approved: true, status: 'Status: User Approved MFA Request' };
  }
  if (result.value === 'PhoneAppDenied') {
    return { approved: false, status: 'Status: User Denied Request' };
  }
  if (result.value === 'PhoneAppNoResponse') {
    return { approved: false, status: 'Status: MFA Request Timed Out' };
  }
  return {
    approved: false,
    status: `Status: MFA Request Failed - ${result.message ?? 'No specific message'}`,
  };
}
