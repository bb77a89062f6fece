/**
 * Specs of the commands that read a user's relationships: direct-reports, get-manager, get-groups
 * (memberOf) and get-auth-methods. Bodies follow user-list-directreports.md,
 * user-list-manager.md, user-list-memberof.md and authentication-list-methods.md.
 */
import type { CommandSpec } from '../harness.js';
import { graphError, noteEntry } from '../harness.js';
import { ADELE, ADELE_ID, ADELE_PATH, JSON_HEADERS, notFound } from './users-fixtures.js';

/** directReports items are directoryObjects: users (and organizational contacts). */
const report = (id: string, displayName: string, userPrincipalName: string) => ({
  '@odata.type': '#microsoft.graph.user',
  id,
  displayName,
  jobTitle: 'Product Marketing Manager',
  mail: userPrincipalName,
  userPrincipalName,
});
const REPORTS_PATH = '/v1.0/users/SaraD%40contoso.onmicrosoft.com/directReports';
const REPORTS_NEXT = `https://graph.microsoft.com${REPORTS_PATH}?$skiptoken=RFNwdAIAAQAAACA6`;
const reportsTableHead =
  '|@Odata.Type|Display Name|ID|Job Title|Mail|User Principal Name|\n|---|---|---|---|---|---|\n';
const reportRow = (id: string, name: string, upn: string) =>
  `| #microsoft.graph.user | ${name} | ${id} | Product Marketing Manager | ${upn} | ${upn} |\n`;
const reportContext = (id: string, name: string, upn: string) => ({
  '@Odata.Type': '#microsoft.graph.user',
  ID: id,
  DisplayName: name,
  JobTitle: 'Product Marketing Manager',
  Mail: upn,
  UserPrincipalName: upn,
});
const REPORTS_KEY = 'MSGraphUserDirectReports(val.Manager && val.Manager == obj.Manager)';
const SARA = 'SaraD@contoso.onmicrosoft.com';

const directReportsSpec: CommandSpec = {
  command: 'msgraph-direct-reports',
  notFound: { note: '#### User -> SaraD@contoso.onmicrosoft.com does not exist' },
  cases: [
    {
      name: 'lists the direct reports, keyed by the manager',
      args: { user: SARA },
      exchanges: [
        {
          method: 'GET',
          path: REPORTS_PATH,
          status: 200,
          response: {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
            value: [report(ADELE_ID, 'Adele Vance', ADELE)],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### ${SARA} - direct reports\n${reportsTableHead}${reportRow(ADELE_ID, 'Adele Vance', ADELE)}`,
        context: {
          [REPORTS_KEY]: {
            Manager: SARA,
            Reports: [reportContext(ADELE_ID, 'Adele Vance', ADELE)],
          },
        },
      },
    },
    {
      name: 'says when there are more pages, and follows them with all=true',
      args: { user: SARA, all: 'true' },
      exchanges: [
        {
          method: 'GET',
          path: REPORTS_PATH,
          status: 200,
          response: {
            '@odata.nextLink': REPORTS_NEXT,
            value: [report(ADELE_ID, 'Adele Vance', ADELE)],
          },
          responseHeaders: JSON_HEADERS,
        },
        {
          method: 'GET',
          path: REPORTS_PATH,
          query: { $skiptoken: 'RFNwdAIAAQAAACA6' },
          status: 200,
          response: {
            value: [
              report('4562bcc8-c436-4f95-b7c0-4f8ce89dca5e', 'Alex Wilber', 'AlexW@contoso.com'),
            ],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          `### ${SARA} - direct reports\n${reportsTableHead}${reportRow(ADELE_ID, 'Adele Vance', ADELE)}` +
          reportRow('4562bcc8-c436-4f95-b7c0-4f8ce89dca5e', 'Alex Wilber', 'AlexW@contoso.com'),
        context: {
          [REPORTS_KEY]: {
            Manager: SARA,
            Reports: [
              reportContext(ADELE_ID, 'Adele Vance', ADELE),
              reportContext(
                '4562bcc8-c436-4f95-b7c0-4f8ce89dca5e',
                'Alex Wilber',
                'AlexW@contoso.com',
              ),
            ],
          },
        },
      },
    },
    {
      name: 'notes that more reports exist when only the first page was fetched',
      args: { user: SARA },
      exchanges: [
        {
          method: 'GET',
          path: REPORTS_PATH,
          status: 200,
          response: {
            '@odata.nextLink': REPORTS_NEXT,
            value: [report(ADELE_ID, 'Adele Vance', ADELE)],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          `### ${SARA} - direct reports\n` +
          'There are more results: run the command again with all=true to get every page.\n' +
          `${reportsTableHead}${reportRow(ADELE_ID, 'Adele Vance', ADELE)}`,
      },
    },
    {
      name: 'shows a user without reports as no entries',
      args: { user: ADELE },
      exchanges: [
        {
          method: 'GET',
          path: `${ADELE_PATH}/directReports`,
          status: 200,
          response: { value: [] },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### ${ADELE} - direct reports\n**No entries.**\n`,
        context: { [REPORTS_KEY]: { Manager: ADELE, Reports: [] } },
      },
    },
  ],
};

/** GET /users/{id}/manager (user-list-manager.md), with the @odata.type Graph sends. */
const sara = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects/$entity',
  '@odata.type': '#microsoft.graph.user',
  id: '7d54cb02-aaa3-4016-9f9c-a4b49422dd9b',
  displayName: 'Sara Davis',
  jobTitle: 'Finance VP',
  mail: SARA,
  userPrincipalName: SARA,
};
const MANAGER_KEY = 'MSGraphUserManager(val.User && val.User == obj.User)';

const getManagerSpec: CommandSpec = {
  command: 'msgraph-user-get-manager',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'gets the manager, keyed by the user',
      args: { user: ADELE },
      exchanges: [
        {
          method: 'GET',
          path: `${ADELE_PATH}/manager`,
          status: 200,
          response: sara,
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          `### ${ADELE} - manager\n|Display Name|ID|Job Title|Mail|User Principal Name|\n|---|---|---|---|---|\n` +
          `| Sara Davis | 7d54cb02-aaa3-4016-9f9c-a4b49422dd9b | Finance VP | ${SARA} | ${SARA} |\n`,
        context: {
          [MANAGER_KEY]: {
            User: ADELE,
            Manager: {
              ID: '7d54cb02-aaa3-4016-9f9c-a4b49422dd9b',
              DisplayName: 'Sara Davis',
              JobTitle: 'Finance VP',
              Mail: SARA,
              UserPrincipalName: SARA,
            },
          },
        },
      },
    },
    {
      name: 'tells a user without a manager from a user that does not exist',
      args: { user: ADELE },
      params: { handle_error: false },
      exchanges: [
        {
          method: 'GET',
          path: `${ADELE_PATH}/manager`,
          status: 404,
          response: graphError(
            404,
            'Request_ResourceNotFound',
            "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
          ),
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: { entries: [noteEntry(`#### User -> ${ADELE} has no manager`)] },
    },
    {
      name: 'gets the managers of several users in one $batch, with the same columns for each',
      args: { user: `nobody@contoso.com,${ADELE}` },
      exchanges: [
        {
          method: 'POST',
          path: '/v1.0/$batch',
          body: {
            requests: [
              { id: '1', method: 'GET', url: '/users/nobody%40contoso.com/manager' },
              { id: '2', method: 'GET', url: '/users/AdeleV%40contoso.com/manager' },
            ],
          },
          status: 200,
          response: {
            responses: [
              { id: '1', status: 404, headers: JSON_HEADERS, body: notFound },
              { id: '2', status: 200, headers: JSON_HEADERS, body: sara },
            ],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          '### msgraph-user-get-manager for 2 users\n' +
          '|User|Manager ID|Manager Display Name|Manager User Principal Name|Result|\n|---|---|---|---|---|\n' +
          '| nobody@contoso.com |  |  |  | Does not exist |\n' +
          `| ${ADELE} | 7d54cb02-aaa3-4016-9f9c-a4b49422dd9b | Sara Davis | ${SARA} | Found |\n`,
      },
    },
    {
      name: 'reports a missing user as an error when handle_error is off',
      args: { user: 'nobody@contoso.com' },
      params: { handle_error: false },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users/nobody%40contoso.com/manager',
          status: 404,
          response: notFound,
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: { type: 4, contains: ['Error in API call [404] - Request_ResourceNotFound'] },
    },
  ],
};

/** GET /users/{id}/memberOf (user-list-memberof.md and the $batch example's directoryRole). */
const memberships = [
  {
    '@odata.type': '#microsoft.graph.group',
    id: '0e226165-c685-41ce-8bfc-df8360ab325d',
    displayName: 'All Users',
    mailEnabled: false,
    securityEnabled: true,
  },
  {
    '@odata.type': '#microsoft.graph.directoryRole',
    id: '21004afc-7bb2-4fe6-a1e1-074ebd3e52c1',
    deletedDateTime: null,
    description:
      'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
    displayName: 'User Administrator',
  },
];
const GROUPS_KEY = 'MSGraphUserGroups(val.ID && val.ID == obj.ID)';

const getGroupsSpec: CommandSpec = {
  command: 'msgraph-user-get-groups',
  notFound: { note: '#### User -> 6e7b768e-07e2-4810-8459-485f84f8f204 does not exist' },
  cases: [
    {
      name: 'lists the direct memberships, keyed by the user',
      args: { user: '6e7b768e-07e2-4810-8459-485f84f8f204' },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users/6e7b768e-07e2-4810-8459-485f84f8f204/memberOf',
          status: 200,
          response: { value: memberships },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          '### 6e7b768e-07e2-4810-8459-485f84f8f204 group data\n' +
          '|@Odata.Type|Display Name|ID|Mail Enabled|Security Enabled|\n|---|---|---|---|---|\n' +
          '| #microsoft.graph.group | All Users | 0e226165-c685-41ce-8bfc-df8360ab325d | false | true |\n' +
          '| #microsoft.graph.directoryRole | User Administrator | 21004afc-7bb2-4fe6-a1e1-074ebd3e52c1 |  |  |\n',
        context: {
          [GROUPS_KEY]: {
            ID: '6e7b768e-07e2-4810-8459-485f84f8f204',
            Groups: [
              {
                '@Odata.Type': '#microsoft.graph.group',
                ID: '0e226165-c685-41ce-8bfc-df8360ab325d',
                DisplayName: 'All Users',
                MailEnabled: false,
                SecurityEnabled: true,
              },
              {
                '@Odata.Type': '#microsoft.graph.directoryRole',
                ID: '21004afc-7bb2-4fe6-a1e1-074ebd3e52c1',
                DeletedDateTime: null,
                Description:
                  'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
                DisplayName: 'User Administrator',
              },
            ],
          },
        },
        contents: { value: memberships },
      },
    },
    {
      name: 'follows every page with all=true',
      args: { user: ADELE, all: true },
      exchanges: [
        {
          method: 'GET',
          path: `${ADELE_PATH}/memberOf`,
          status: 200,
          response: {
            '@odata.nextLink': `https://graph.microsoft.com${ADELE_PATH}/memberOf?$skiptoken=X%274453707%27`,
            value: [memberships[0]],
          },
          responseHeaders: JSON_HEADERS,
        },
        {
          method: 'GET',
          path: `${ADELE_PATH}/memberOf`,
          query: { $skiptoken: "X'4453707'" },
          status: 200,
          response: { value: [memberships[1]] },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: { contents: { value: memberships } },
    },
  ],
};

/** GET /users/{id}/authentication/methods (authentication-list-methods.md). */
const methods = [
  {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id: '-2_GRUg2-HYz6_1YG4YRAQ2',
    displayName: 'Red key',
    creationDateTime: '2020-08-10T06:44:09Z',
    aaGuid: '2fc0579f-8113-47ea-b116-555a8db9202a',
    model: 'NFC key',
    attestationCertificates: ['dbe793efdf1945e2df25d93653a1e8a3268a9075'],
    attestationLevel: 'attested',
  },
  {
    '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
    id: 'b5e01f81-1f81-b5e0-811f-e0b5811fe0b5',
    displayName: "Jordan's Surface Book",
    createdDateTime: '2020-11-27T23:12:49Z',
    keyStrength: 'normal',
  },
];
const METHODS_KEY = 'MSGraphUserAuthMethods(val.ID && val.ID == obj.ID)';

const getAuthMethodsSpec: CommandSpec = {
  command: 'msgraph-user-get-auth-methods',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'lists every registered method, keyed by the user',
      args: { user: ADELE },
      exchanges: [
        {
          method: 'GET',
          path: `${ADELE_PATH}/authentication/methods`,
          status: 200,
          response: { value: methods },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          `### ${ADELE} - auth methods\n` +
          '|@Odata.Type|Aa Guid|Attestation Certificates|Attestation Level|Creation Date Time|Display Name|ID|Model|\n' +
          '|---|---|---|---|---|---|---|---|\n' +
          '| #microsoft.graph.fido2AuthenticationMethod | 2fc0579f-8113-47ea-b116-555a8db9202a | dbe793efdf1945e2df25d93653a1e8a3268a9075 | attested | 2020-08-10T06:44:09Z | Red key | -2_GRUg2-HYz6_1YG4YRAQ2 | NFC key |\n' +
          "| #microsoft.graph.windowsHelloForBusinessAuthenticationMethod |  |  |  |  | Jordan's Surface Book | b5e01f81-1f81-b5e0-811f-e0b5811fe0b5 |  |\n",
        context: {
          [METHODS_KEY]: {
            ID: ADELE,
            Methods: [
              {
                '@Odata.Type': '#microsoft.graph.fido2AuthenticationMethod',
                ID: '-2_GRUg2-HYz6_1YG4YRAQ2',
                DisplayName: 'Red key',
                CreationDateTime: '2020-08-10T06:44:09Z',
                AaGuid: '2fc0579f-8113-47ea-b116-555a8db9202a',
                Model: 'NFC key',
                AttestationCertificates: ['dbe793efdf1945e2df25d93653a1e8a3268a9075'],
                AttestationLevel: 'attested',
              },
              {
                '@Odata.Type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
                ID: 'b5e01f81-1f81-b5e0-811f-e0b5811fe0b5',
                DisplayName: "Jordan's Surface Book",
                CreatedDateTime: '2020-11-27T23:12:49Z',
                KeyStrength: 'normal',
              },
            ],
          },
        },
      },
    },
  ],
};

export const relationSpecs: CommandSpec[] = [
  directReportsSpec,
  getManagerSpec,
  getGroupsSpec,
  getAuthMethodsSpec,
];
