/**
 * Specs of the user commands that read: get, list, get-delta, direct-reports, get-manager,
 * get-groups, get-auth-methods.
 */
import type { CommandSpec, Exchange } from '../harness.js';
import { graphError } from '../harness.js';
import {
  ACCOUNT_KEY,
  ADELE,
  ADELE_ID,
  JSON_HEADERS,
  USER_KEY,
  adele,
  adeleAccount,
  adeleContext,
  adeleTable,
  getAdele,
  notFound,
  userNotFoundEntry,
  usersPage,
  lastUsersPage,
  NEXT_QUERY,
  DEFAULT_LIST_QUERY,
  listTableHead,
  firstPageTable,
  adamsRow,
  modRow,
  adeleListRow,
  adamsContext,
  modContext,
  adeleListContext,
  accountOf,
  EVENTUAL,
} from './users-fixtures.js';

const getNobody: Exchange = {
  method: 'GET',
  path: '/v1.0/users/nobody%40contoso.com',
  query: { $select: '*' },
  status: 404,
  response: notFound,
  responseHeaders: JSON_HEADERS,
};

const getSpec: CommandSpec = {
  command: 'msgraph-user-get',
  notFound: { note: '### User AdeleV@contoso.com was not found.' },
  cases: [
    {
      name: 'gets a user with every property ($select=*) as MSGraphUser and Account',
      args: { user: ADELE },
      exchanges: [getAdele],
      expect: {
        humanReadable: adeleTable('AdeleV@contoso.com data'),
        context: { [USER_KEY]: adeleContext, [ACCOUNT_KEY]: adeleAccount },
        contents: Object.fromEntries(Object.entries(adele).filter(([k]) => k !== '@odata.context')),
      },
    },
    {
      name: 'selects the given properties',
      args: { user: ADELE_ID, properties: 'displayName,jobTitle,mobilePhone' },
      exchanges: [
        {
          method: 'GET',
          path: `/v1.0/users/${ADELE_ID}`,
          query: { $select: 'displayName,jobTitle,mobilePhone' },
          status: 200,
          response: {
            '@odata.context':
              'https://graph.microsoft.com/v1.0/$metadata#users(displayName,jobTitle,mobilePhone)/$entity',
            displayName: 'Adele Vance',
            jobTitle: 'Retail Manager',
            mobilePhone: null,
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### ${ADELE_ID} data\n|Display Name|Job Title|\n|---|---|\n| Adele Vance | Retail Manager |\n`,
        context: {
          [USER_KEY]: { DisplayName: 'Adele Vance', JobTitle: 'Retail Manager', MobilePhone: null },
          [ACCOUNT_KEY]: {
            DisplayName: 'Adele Vance',
            JobTitle: 'Retail Manager',
            Email: { Address: undefined },
            TelephoneNumber: null,
            Type: 'Azure AD',
          },
        },
      },
    },
    {
      name: "answers a 404 with the reference's not-found message and Graph's error object as json Contents",
      args: { user: 'nobody@contoso.com' },
      exchanges: [getNobody],
      expect: { entries: [userNotFoundEntry('nobody@contoso.com')] },
    },
    {
      name: 'answers a 404 the same way with handle_error off',
      args: { user: 'nobody@contoso.com' },
      params: { handle_error: false },
      exchanges: [getNobody],
      expect: { entries: [userNotFoundEntry('nobody@contoso.com')] },
    },
    {
      name: 'explains a 400 for a user holding characters Graph may refuse',
      args: { user: 'first+last@contoso.com' },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users/first%2Blast%40contoso.com',
          query: { $select: '*' },
          status: 400,
          response: graphError(
            400,
            'Request_BadRequest',
            "Invalid object identifier 'first+last@contoso.com'.",
          ),
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          "Request failed because the user contains unsupported characters: {'+'}\n" +
          "Error in API call [400] - Request_BadRequest: Invalid object identifier 'first+last@contoso.com'. (request-id: req-0000-test)",
      },
    },
    {
      name: 'gets several users through one $batch call, one row each',
      args: { user: `${ADELE},nobody@contoso.com` },
      exchanges: [
        {
          method: 'POST',
          path: '/v1.0/$batch',
          body: {
            requests: [
              { id: '1', method: 'GET', url: '/users/AdeleV%40contoso.com?$select=*' },
              { id: '2', method: 'GET', url: '/users/nobody%40contoso.com?$select=*' },
            ],
          },
          status: 200,
          response: {
            responses: [
              { id: '2', status: 404, headers: JSON_HEADERS, body: notFound },
              { id: '1', status: 200, headers: JSON_HEADERS, body: adele },
            ],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          '### msgraph-user-get for 2 users\n' +
          '|User|ID|Display Name|User Principal Name|Result|\n|---|---|---|---|---|\n' +
          `| AdeleV@contoso.com | ${ADELE_ID} | Adele Vance | AdeleV@contoso.com | Found |\n` +
          '| nobody@contoso.com |  |  |  | Not found |\n',
        context: { [USER_KEY]: adeleContext, [ACCOUNT_KEY]: adeleAccount },
      },
    },
  ],
};

const NEXT_LINK = usersPage['@odata.nextLink'];
const nextPageNote = `To get further results, enter this to the next_page parameter:\n${NEXT_LINK}\n`;

const listSpec: CommandSpec = {
  command: 'msgraph-user-list',
  notFound: 'error',
  cases: [
    {
      name: 'lists the first page as an advanced query, with NextPage first in MSGraphUser',
      args: {},
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users',
          query: DEFAULT_LIST_QUERY,
          headers: EVENTUAL,
          status: 200,
          response: usersPage,
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### All Graph Users\n${nextPageNote}${firstPageTable}`,
        context: {
          [USER_KEY]: [{ NextPage: NEXT_LINK }, adamsContext, modContext],
          [ACCOUNT_KEY]: [accountOf(adamsContext), accountOf(modContext)],
        },
        contents: usersPage.value,
      },
    },
    {
      name: 'passes filter as $filter and limit as $top',
      args: { filter: "startswith(displayName,'A')", limit: 5, properties: 'id,displayName' },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users',
          query: {
            $filter: "startswith(displayName,'A')",
            $select: 'id,displayName',
            $count: 'true',
            $top: '5',
          },
          headers: EVENTUAL,
          status: 200,
          response: { '@odata.count': 1, value: [{ id: ADELE_ID, displayName: 'Adele Vance' }] },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### All Graph Users\n|Display Name|ID|\n|---|---|\n| Adele Vance | ${ADELE_ID} |\n`,
        context: {
          [USER_KEY]: [{ ID: ADELE_ID, DisplayName: 'Adele Vance' }],
          [ACCOUNT_KEY]: [
            {
              ID: ADELE_ID,
              DisplayName: 'Adele Vance',
              Email: { Address: undefined },
              Type: 'Azure AD',
            },
          ],
        },
      },
    },
    {
      name: 'fetches the page a NextPage link names, as is',
      args: { next_page: NEXT_LINK, filter: 'ignored', limit: 3 },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users',
          query: NEXT_QUERY,
          headers: EVENTUAL,
          status: 200,
          response: lastUsersPage,
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### All Graph Users\n${listTableHead}${adeleListRow}`,
        context: { [USER_KEY]: [adeleListContext], [ACCOUNT_KEY]: [accountOf(adeleListContext)] },
      },
    },
    {
      name: 'follows every page with all=true, asking for 999 users a page',
      args: { all: true },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users',
          query: { ...DEFAULT_LIST_QUERY, $top: '999' },
          headers: EVENTUAL,
          status: 200,
          response: usersPage,
          responseHeaders: JSON_HEADERS,
        },
        {
          method: 'GET',
          path: '/v1.0/users',
          query: NEXT_QUERY,
          headers: EVENTUAL,
          status: 200,
          response: lastUsersPage,
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### All Graph Users\n${listTableHead}${adamsRow}${modRow}${adeleListRow}`,
        context: {
          [USER_KEY]: [adamsContext, modContext, adeleListContext],
          [ACCOUNT_KEY]: [
            accountOf(adamsContext),
            accountOf(modContext),
            accountOf(adeleListContext),
          ],
        },
        contents: { count: 3 },
      },
    },
    {
      name: 'refuses a next_page link on another host, without sending the token',
      args: { next_page: 'https://attacker.example/v1.0/users?$skiptoken=x' },
      exchanges: [],
      expect: {
        type: 4,
        contains: ['Refusing to send the Graph access token to https://attacker.example'],
      },
    },
    {
      name: 'shows an empty tenant as no entries',
      args: { properties: 'id' },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users',
          query: { $select: 'id', $count: 'true' },
          headers: EVENTUAL,
          status: 200,
          response: { '@odata.count': 0, value: [] },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: '### All Graph Users\n**No entries.**\n',
        context: {},
      },
    },
  ],
};

const DELTA_LINK =
  'https://graph.microsoft.com/v1.0/users/delta?$skiptoken=pqwSUjGYvb3jQpbwVAwEL7yuI3dU1LecfkkfLPtnIjsXoYQp_dpA3cNJWc';

const getDeltaSpec: CommandSpec = {
  command: 'msgraph-user-get-delta',
  notFound: 'error',
  cases: [
    {
      name: 'selects the properties and userPrincipalName, with columns in a fixed order',
      args: { properties: 'displayName,jobTitle,mobilePhone' },
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users/delta',
          query: { $select: 'displayName,jobTitle,mobilePhone,userPrincipalName' },
          status: 200,
          response: {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
            '@odata.nextLink': DELTA_LINK,
            value: [
              {
                displayName: 'Adele Vance',
                jobTitle: 'Retail Manager',
                mobilePhone: null,
                userPrincipalName: ADELE,
                id: ADELE_ID,
              },
              { '@removed': { reason: 'changed' }, id: '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0' },
            ],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          '### All Graph Users\n|Display Name|Job Title|ID|User Principal Name|Status|\n|---|---|---|---|---|\n' +
          `| Adele Vance | Retail Manager | ${ADELE_ID} | AdeleV@contoso.com |  |\n` +
          '|  |  | 6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0 |  | deleted |\n',
        context: {
          [USER_KEY]: [
            {
              DisplayName: 'Adele Vance',
              JobTitle: 'Retail Manager',
              MobilePhone: null,
              UserPrincipalName: ADELE,
              ID: ADELE_ID,
            },
            { ID: '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0', Status: 'deleted' },
          ],
        },
      },
    },
    {
      name: 'selects only userPrincipalName when no properties are given (no leading comma)',
      args: {},
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/users/delta',
          query: { $select: 'userPrincipalName' },
          status: 200,
          response: { value: [{ userPrincipalName: ADELE, id: ADELE_ID }] },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: `### All Graph Users\n|ID|User Principal Name|\n|---|---|\n| ${ADELE_ID} | AdeleV@contoso.com |\n`,
        context: { [USER_KEY]: [{ UserPrincipalName: ADELE, ID: ADELE_ID }] },
      },
    },
  ],
};

export const readSpecs: CommandSpec[] = [getSpec, listSpec, getDeltaSpec];
