/**
 * Property tables for the entity types the sim serves. They drive $select validation, the
 * default property set, $filter typing and PATCH/POST validation, so each rule lives once.
 */

export type PropType =
  'string' | 'boolean' | 'int' | 'dateTime' | 'stringArray' | 'object' | 'objectArray';

export interface PropSpec {
  type: PropType;
  /** Accepted in POST/PATCH bodies. */
  writable?: boolean;
}

export interface EntitySchema {
  /** OData type name without namespace, used in error texts ("microsoft.graph.user"). */
  typeName: string;
  /** Name used in "of resource 'User'" error texts. */
  resourceName: string;
  /** The entity set name used in @odata.context ("users", "devices", ...). */
  entitySet: string;
  props: Record<string, PropSpec>;
  /** Properties returned without $select; undefined means every property. */
  defaultSelect?: string[];
}

const s = (writable = true): PropSpec => ({ type: 'string', writable });
const b = (writable = true): PropSpec => ({ type: 'boolean', writable });
const dt = (writable = false): PropSpec => ({ type: 'dateTime', writable });
const sa = (writable = true): PropSpec => ({ type: 'stringArray', writable });
const o = (writable = true): PropSpec => ({ type: 'object', writable });
const oa = (writable = true): PropSpec => ({ type: 'objectArray', writable });

export const USER_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.user',
  resourceName: 'User',
  entitySet: 'users',
  props: {
    id: s(false),
    deletedDateTime: dt(),
    accountEnabled: b(),
    ageGroup: s(),
    assignedLicenses: oa(false),
    assignedPlans: oa(false),
    businessPhones: sa(),
    city: s(),
    companyName: s(),
    consentProvidedForMinor: s(),
    country: s(),
    createdDateTime: dt(),
    creationType: s(false),
    department: s(),
    displayName: s(),
    employeeHireDate: dt(true),
    employeeId: s(),
    employeeType: s(),
    externalUserState: s(false),
    externalUserStateChangeDateTime: dt(),
    faxNumber: s(),
    givenName: s(),
    identities: oa(),
    imAddresses: sa(false),
    isResourceAccount: b(false),
    jobTitle: s(),
    lastPasswordChangeDateTime: dt(),
    legalAgeGroupClassification: s(false),
    mail: s(),
    mailNickname: s(),
    mobilePhone: s(),
    officeLocation: s(),
    onPremisesDistinguishedName: s(false),
    onPremisesDomainName: s(false),
    onPremisesExtensionAttributes: o(),
    onPremisesImmutableId: s(),
    onPremisesLastSyncDateTime: dt(),
    onPremisesSamAccountName: s(false),
    onPremisesSecurityIdentifier: s(false),
    onPremisesSyncEnabled: b(false),
    onPremisesUserPrincipalName: s(false),
    otherMails: sa(),
    passwordPolicies: s(),
    passwordProfile: o(),
    postalCode: s(),
    preferredDataLocation: s(),
    preferredLanguage: s(),
    provisionedPlans: oa(false),
    proxyAddresses: sa(false),
    securityIdentifier: s(false),
    showInAddressList: b(),
    signInSessionsValidFromDateTime: dt(),
    state: s(),
    streetAddress: s(),
    surname: s(),
    usageLocation: s(),
    userPrincipalName: s(),
    userType: s(),
  },
  defaultSelect: [
    'businessPhones',
    'displayName',
    'givenName',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
    'id',
  ],
};

export const GROUP_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.group',
  resourceName: 'Group',
  entitySet: 'groups',
  props: {
    id: s(false),
    deletedDateTime: dt(),
    classification: s(),
    createdDateTime: dt(),
    creationOptions: sa(),
    description: s(),
    displayName: s(),
    expirationDateTime: dt(),
    groupTypes: sa(),
    isAssignableToRole: b(),
    mail: s(),
    mailEnabled: b(),
    mailNickname: s(),
    membershipRule: s(),
    membershipRuleProcessingState: s(),
    onPremisesSyncEnabled: b(),
    proxyAddresses: sa(),
    renewedDateTime: dt(),
    securityEnabled: b(),
    securityIdentifier: s(),
    visibility: s(),
    roleTemplateId: s(),
  },
};

export const DEVICE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.device',
  resourceName: 'Device',
  entitySet: 'devices',
  props: {
    id: s(false),
    deletedDateTime: dt(),
    accountEnabled: b(),
    alternativeSecurityIds: oa(),
    approximateLastSignInDateTime: dt(),
    complianceExpirationDateTime: dt(),
    createdDateTime: dt(),
    deviceCategory: s(),
    deviceId: s(),
    deviceMetadata: s(),
    deviceOwnership: s(),
    deviceVersion: { type: 'int' },
    displayName: s(),
    enrollmentProfileName: s(),
    enrollmentType: s(),
    isCompliant: b(),
    isManaged: b(),
    isRooted: b(),
    managementType: s(),
    manufacturer: s(),
    mdmAppId: s(),
    model: s(),
    onPremisesLastSyncDateTime: dt(),
    onPremisesSyncEnabled: b(),
    operatingSystem: s(),
    operatingSystemVersion: s(),
    physicalIds: sa(),
    profileType: s(),
    registrationDateTime: dt(),
    systemLabels: sa(),
    trustType: s(),
  },
};

export const SERVICE_PRINCIPAL_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.servicePrincipal',
  resourceName: 'ServicePrincipal',
  entitySet: 'servicePrincipals',
  props: {
    id: s(false),
    deletedDateTime: dt(),
    accountEnabled: b(),
    appDisplayName: s(),
    appId: s(),
    appOwnerOrganizationId: s(),
    displayName: s(),
    servicePrincipalNames: sa(),
    servicePrincipalType: s(),
    signInAudience: s(),
    tags: sa(),
    passwordCredentials: oa(),
    keyCredentials: oa(),
  },
};

/** Authentication methods are served as stored; filtering and $select are not supported. */
export const AUTH_METHOD_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.authenticationMethod',
  resourceName: 'AuthenticationMethod',
  entitySet: 'methods',
  props: { id: s(false) },
};
