import type { Json, JsonObject } from '../types.js';
import { indexedGuid, pick, stableGuid } from './ids.js';
import {
  CITIES,
  DEPARTMENTS,
  FIRST,
  JOBS,
  LAST,
  NAMED_USERS,
  type NamedUserSeed,
} from './seed-users.js';
import { SEED_EPOCH, TENANT } from './tenant.js';

export { NAMED_USERS, type NamedUserSeed } from './seed-users.js';

export const userUpn = (local: string): string => `${local}@${TENANT.domain}`;
export const proceduralUpn = (n: number): string => userUpn(`user${n}`);
export const proceduralUserId = (n: number): string => indexedGuid('user', n);
export const namedUserId = (key: string): string => stableGuid(`user:${key}`);

interface UserCore {
  id: string;
  n: number;
  givenName: string | null;
  surname: string | null;
  displayName: string;
  upn: string;
  mail: string | null;
  mailNickname: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  createdMs: number;
}

// Shared by every generated user: read-only, and patches replace whole values, never mutate them.
const EXTENSION_ATTRIBUTES: JsonObject = Object.freeze(
  Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])),
) as JsonObject;

/** ISO 8601 without milliseconds; slicing is much cheaper than a regex on hot paths. */
const isoNoMillis = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The desk phone next to a mobile number ("... 0101" → "... 0102"). */
function deskPhone(mobile: string | null): Json[] {
  if (!mobile) return [];
  const last = Number(mobile.slice(-4));
  return [`${mobile.slice(0, -4)}${String((last + 1) % 10000).padStart(4, '0')}`];
}

/**
 * Expands the core facts of a user into every property Graph knows, in schema order (a test
 * pins the order to USER_SCHEMA). Written as one literal because it runs for every user a
 * 100,000-user listing or $count touches.
 */
function expand(core: UserCore): JsonObject {
  const city = CITIES[core.n % CITIES.length] as [string, string, string, string];
  const guest = core.userType === 'Guest';
  const created = isoNoMillis(core.createdMs);
  const mail = core.mail;
  return {
    id: core.id,
    deletedDateTime: null,
    accountEnabled: core.accountEnabled,
    ageGroup: null,
    assignedLicenses: [],
    assignedPlans: [],
    businessPhones: deskPhone(core.mobilePhone),
    city: guest ? null : city[0],
    companyName: guest ? 'Fabrikam' : TENANT.displayName,
    consentProvidedForMinor: null,
    country: guest ? null : city[2],
    createdDateTime: created,
    creationType: guest ? 'Invitation' : null,
    department: core.department,
    displayName: core.displayName,
    employeeHireDate: null,
    employeeId: guest ? null : `E${String(core.n).padStart(6, '0')}`,
    employeeType: guest ? null : 'Employee',
    externalUserState: guest ? 'Accepted' : null,
    externalUserStateChangeDateTime: guest ? created : null,
    faxNumber: null,
    givenName: core.givenName,
    identities: [
      { signInType: 'userPrincipalName', issuer: TENANT.domain, issuerAssignedId: core.upn },
    ],
    imAddresses: mail ? [mail.toLowerCase()] : [],
    isResourceAccount: null,
    jobTitle: core.jobTitle,
    lastPasswordChangeDateTime: created,
    legalAgeGroupClassification: null,
    mail,
    mailNickname: core.mailNickname,
    mobilePhone: core.mobilePhone,
    officeLocation: core.officeLocation,
    onPremisesDistinguishedName: null,
    onPremisesDomainName: null,
    onPremisesExtensionAttributes: EXTENSION_ATTRIBUTES,
    onPremisesImmutableId: null,
    onPremisesLastSyncDateTime: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    onPremisesUserPrincipalName: null,
    otherMails: guest && mail ? [mail] : [],
    passwordPolicies: null,
    passwordProfile: null,
    postalCode: guest ? null : city[3],
    preferredDataLocation: null,
    preferredLanguage: guest ? null : 'en-US',
    provisionedPlans: [],
    proxyAddresses: mail ? [`SMTP:${mail}`] : [],
    securityIdentifier: `S-1-12-1-${core.n + 1000}-${(core.n * 7919) % 100000}`,
    showInAddressList: null,
    signInSessionsValidFromDateTime: created,
    state: guest ? null : city[1],
    streetAddress: guest ? null : `${100 + (core.n % 900)} Main Street`,
    surname: core.surname,
    usageLocation: guest ? null : 'US',
    userPrincipalName: core.upn,
    userType: core.userType,
  };
}

export function namedUser(seed: NamedUserSeed, position: number): JsonObject {
  const upn = userUpn(seed.upnLocal);
  return expand({
    id: namedUserId(seed.key),
    n: position,
    givenName: seed.givenName,
    surname: seed.surname,
    displayName: seed.guestMail
      ? `${seed.givenName} ${seed.surname} (Fabrikam)`
      : `${seed.givenName} ${seed.surname}`,
    upn,
    mail: seed.guestMail ?? upn,
    mailNickname: seed.upnLocal.replace(/#EXT#$/, '').replace(/'/g, ''),
    jobTitle: seed.jobTitle,
    department: seed.department,
    officeLocation: seed.officeLocation,
    mobilePhone: seed.mobilePhone,
    accountEnabled: seed.accountEnabled ?? true,
    userType: seed.guestMail ? 'Guest' : 'Member',
    createdMs: SEED_EPOCH - (NAMED_USERS.length - position) * 86_400_000,
  });
}

/** Procedural user n (1-based): everything derived from n, nothing stored. */
export function proceduralUser(n: number): JsonObject {
  const given = FIRST[pick('first', n, FIRST.length)] as string;
  const last = LAST[pick('last', n, LAST.length)] as string;
  const job = pick('job', n, JOBS.length);
  const upn = proceduralUpn(n);
  return expand({
    id: proceduralUserId(n),
    n,
    givenName: given,
    surname: last,
    displayName: `${given} ${last}`,
    upn,
    mail: upn,
    mailNickname: `user${n}`,
    jobTitle: JOBS[job] as string,
    department: DEPARTMENTS[job] as string,
    officeLocation: `${1 + (n % 40)}/${1000 + (n % 997)}`,
    mobilePhone: n % 5 === 0 ? null : `+1 425 555 ${String(n % 10000).padStart(4, '0')}`,
    // Every 50th generated account is disabled, so $filter=accountEnabled eq false has results.
    accountEnabled: n % 50 !== 0,
    userType: 'Member',
    createdMs: SEED_EPOCH + n * 60_000,
  });
}
