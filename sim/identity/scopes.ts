import { aad } from './errors.js';
import { graphResources, resourceOf } from './tokens.js';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Delegated Graph permissions the sim's apps are consented for. */
const DELEGATED = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'User-PasswordProfile.ReadWrite.All',
  'User.EnableDisableAccount.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
  'UserAuthenticationMethod.Read',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite',
  'UserAuthenticationMethod.ReadWrite.All',
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'Device.Read.All',
];
const DELEGATED_BY_LOWER = new Map(DELEGATED.map((s) => [s.toLowerCase(), s]));

/** What ".default" expands to in a delegated token's scp claim. */
export const DEFAULT_DELEGATED_SCOPES = [
  'Directory.AccessAsUser.All',
  'User.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'Application.ReadWrite.All',
  'openid',
  'profile',
  'email',
];

const GRAPH = 'https://graph.microsoft.com';

/**
 * Parses delegated scopes ("offline_access https://graph.microsoft.com/User.Read Directory.AccessAsUser.All")
 * into a normalised list: OIDC scopes lower-case, Graph scopes qualified with the Graph resource.
 */
export function parseDelegatedScopes(raw: string, simUrl: string): string[] {
  const resources = graphResources(simUrl);
  const result: string[] = [];
  for (const scope of raw.split(/\s+/).filter(Boolean)) {
    const lower = scope.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      if (!result.includes(lower)) result.push(lower);
      continue;
    }
    const slash = scope.lastIndexOf('/');
    const resource = slash >= 0 ? resourceOf(scope.slice(0, slash)) : GRAPH;
    const name = slash >= 0 ? scope.slice(slash + 1) : scope;
    if (!resources.has(resource)) throw aad.invalidScope(scope);
    const canonical = name === '.default' ? '.default' : DELEGATED_BY_LOWER.get(name.toLowerCase());
    if (!canonical) throw aad.invalidScope(scope);
    const qualified = `${GRAPH}/${canonical}`;
    if (!result.includes(qualified)) result.push(qualified);
  }
  return result;
}

/** The scp claim for normalised scopes: bare permission names, ".default" expanded. */
export function scpClaim(scopes: string[]): string[] {
  const names = scopes.filter((s) => s.startsWith(GRAPH)).map((s) => s.slice(GRAPH.length + 1));
  const expanded = names.flatMap((n) => (n === '.default' ? DEFAULT_DELEGATED_SCOPES : [n]));
  return [
    ...new Set([
      ...expanded,
      ...scopes.filter((s) => OIDC_SCOPES.has(s) && s !== 'offline_access'),
    ]),
  ];
}

/** client_credentials accepts exactly one "<graph>/.default" scope. */
export function checkAppScope(raw: string, simUrl: string): void {
  const scopes = raw.split(/\s+/).filter(Boolean);
  const [scope] = scopes;
  if (
    scopes.length !== 1 ||
    !scope ||
    !/\/\.default$/i.test(scope) ||
    !graphResources(simUrl).has(resourceOf(scope))
  ) {
    throw aad.invalidScope(raw);
  }
}
