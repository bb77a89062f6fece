/**
 * Fixtures of the core user command specs, shaped on the documented exchanges in
 * ../shared/reference/graph-http-examples.md (user-get, user-list, user-post-users).
 */
import type { Entry } from '../../../src/command/entries.js';
import type { Exchange } from '../harness.js';
import { graphError } from '../harness.js';

export const ADELE_ID = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
export const ADELE = 'AdeleV@contoso.com';
export const ADELE_PATH = '/v1.0/users/AdeleV%40contoso.com';
export const JSON_HEADERS = { 'content-type': 'application/json' };
export const EVENTUAL = { consistencylevel: 'eventual' };

/** GET /users/{id} with the default property set (user-get.md). */
export const adele = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
  businessPhones: ['+1 425 555 0109'],
  displayName: 'Adele Vance',
  givenName: 'Adele',
  jobTitle: 'Retail Manager',
  mail: 'AdeleV@contoso.com',
  mobilePhone: '+1 425 555 0109',
  officeLocation: '18/2111',
  preferredLanguage: 'en-US',
  surname: 'Vance',
  userPrincipalName: 'AdeleV@contoso.com',
  id: ADELE_ID,
};

export const adeleContext = {
  BusinessPhones: ['+1 425 555 0109'],
  DisplayName: 'Adele Vance',
  GivenName: 'Adele',
  JobTitle: 'Retail Manager',
  Mail: 'AdeleV@contoso.com',
  MobilePhone: '+1 425 555 0109',
  OfficeLocation: '18/2111',
  PreferredLanguage: 'en-US',
  Surname: 'Vance',
  UserPrincipalName: 'AdeleV@contoso.com',
  ID: ADELE_ID,
};

export const adeleAccount = {
  ID: ADELE_ID,
  DisplayName: 'Adele Vance',
  Username: 'AdeleV@contoso.com',
  JobTitle: 'Retail Manager',
  Email: { Address: 'AdeleV@contoso.com' },
  TelephoneNumber: '+1 425 555 0109',
  Office: '18/2111',
  Type: 'Azure AD',
};

export const USER_KEY = 'MSGraphUser(val.ID && val.ID == obj.ID)';
export const ACCOUNT_KEY = 'Account(val.ID && val.ID == obj.ID)';

export const adeleTable = (title: string) =>
  `### ${title}\n` +
  '|Business Phones|Display Name|Given Name|ID|Job Title|Mail|Mobile Phone|Office Location|Preferred Language|Surname|User Principal Name|\n' +
  '|---|---|---|---|---|---|---|---|---|---|---|\n' +
  `| +1 425 555 0109 | Adele Vance | Adele | ${ADELE_ID} | Retail Manager | AdeleV@contoso.com | +1 425 555 0109 | 18/2111 | en-US | Vance | AdeleV@contoso.com |\n`;

export const getAdele: Exchange = {
  method: 'GET',
  path: ADELE_PATH,
  query: { $select: '*' },
  status: 200,
  response: adele,
  responseHeaders: JSON_HEADERS,
};

export const noContent = (method: Exchange['method'], path: string, body?: unknown): Exchange => ({
  method,
  path,
  body,
  status: 204,
});

export const notFound = graphError(
  404,
  'Request_ResourceNotFound',
  "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
);

/** `notFound` as the reference printed it: the parsed body's Python repr. */
const NOT_FOUND_REPR =
  "{'error': {'code': 'Request_ResourceNotFound', 'message': \"Resource 'nobody@contoso.com' does not exist or one of its " +
  "queried reference-property objects are not present.\", 'innerError': {'date': '2024-01-01T00:00:00', " +
  "'request-id': 'req-0000-test', 'client-request-id': 'req-0000-test'}}}";

/**
 * msgraph-user-get's answer to `notFound`, as the reference's entry: Graph's error printed as a
 * Python dict in the war room, and the error object itself as json Contents.
 */
export const userNotFoundEntry = (user: string): Entry => ({
  Type: 1,
  ContentsFormat: 'json',
  Contents: notFound,
  HumanReadable: `### User ${user} was not found.\nMicrosoft Graph Response: ${NOT_FOUND_REPR}`,
  EntryContext: {},
});

/** List users (user-list.md), two users and a next page. */
export const usersPage = {
  '@odata.context':
    'https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,jobTitle,mobilePhone,mail)',
  '@odata.count': 3,
  '@odata.nextLink':
    'https://graph.microsoft.com/v1.0/users?$select=id,displayName,jobTitle,mobilePhone,mail&$count=true&$skiptoken=RFNwdAIAAQAAABc6',
  value: [
    {
      id: '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0',
      displayName: 'Conf Room Adams',
      jobTitle: null,
      mobilePhone: null,
      mail: 'Adams@contoso.com',
    },
    {
      id: '4562bcc8-c436-4f95-b7c0-4f8ce89dca5e',
      displayName: 'MOD Administrator',
      jobTitle: null,
      mobilePhone: '425-555-0101',
      mail: null,
    },
  ],
};
export const lastUsersPage = {
  '@odata.context': usersPage['@odata.context'],
  value: [
    {
      id: ADELE_ID,
      displayName: 'Adele Vance',
      jobTitle: 'Retail Manager',
      mobilePhone: '+1 425 555 0109',
      mail: ADELE,
    },
  ],
};
export const NEXT_QUERY = {
  $select: 'id,displayName,jobTitle,mobilePhone,mail',
  $count: 'true',
  $skiptoken: 'RFNwdAIAAQAAABc6',
};
export const DEFAULT_LIST_QUERY = {
  $select: 'id,displayName,jobTitle,mobilePhone,mail',
  $count: 'true',
};

/** The first page has no job title at all, so its table drops the column (removeNull). */
export const firstPageTable =
  '|Display Name|ID|Mail|Mobile Phone|\n|---|---|---|---|\n' +
  '| Conf Room Adams | 6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0 | Adams@contoso.com |  |\n' +
  '| MOD Administrator | 4562bcc8-c436-4f95-b7c0-4f8ce89dca5e |  | 425-555-0101 |\n';
export const listTableHead =
  '|Display Name|ID|Job Title|Mail|Mobile Phone|\n|---|---|---|---|---|\n';
export const adamsRow =
  '| Conf Room Adams | 6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0 |  | Adams@contoso.com |  |\n';
export const modRow =
  '| MOD Administrator | 4562bcc8-c436-4f95-b7c0-4f8ce89dca5e |  |  | 425-555-0101 |\n';
export const adeleListRow = `| Adele Vance | ${ADELE_ID} | Retail Manager | AdeleV@contoso.com | +1 425 555 0109 |\n`;
export const adamsContext = {
  ID: '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0',
  DisplayName: 'Conf Room Adams',
  JobTitle: null,
  MobilePhone: null,
  Mail: 'Adams@contoso.com',
};
export const modContext = {
  ID: '4562bcc8-c436-4f95-b7c0-4f8ce89dca5e',
  DisplayName: 'MOD Administrator',
  JobTitle: null,
  MobilePhone: '425-555-0101',
  Mail: null,
};
export const adeleListContext = {
  ID: ADELE_ID,
  DisplayName: 'Adele Vance',
  JobTitle: 'Retail Manager',
  MobilePhone: '+1 425 555 0109',
  Mail: ADELE,
};
export const accountOf = (c: Record<string, unknown>) => ({
  ID: c.ID,
  DisplayName: c.DisplayName,
  JobTitle: c.JobTitle,
  Email: { Address: c.Mail },
  TelephoneNumber: c.MobilePhone,
  Type: 'Azure AD',
});
