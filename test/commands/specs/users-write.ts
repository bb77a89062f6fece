/**
 * Specs of the user commands that write: create, update, delete, assign-manager. Bodies follow
 * user-post-users.md, user-update.md, user-delete.md and user-post-manager.md.
 */
import { errorEntry } from '../../../src/command/entries.js';
import type { CommandSpec, Exchange } from '../harness.js';
import { graphError, noteEntry } from '../harness.js';
import {
  ACCOUNT_KEY,
  ADELE,
  ADELE_PATH,
  JSON_HEADERS,
  USER_KEY,
  adele,
  adeleAccount,
  adeleContext,
  adeleTable,
  getAdele,
  noContent,
  notFound,
  userNotFoundEntry,
} from './users-fixtures.js';

const PASSWORD = 'xWwvJ]6NMw+bWH-d';
const createArgs = {
  display_name: 'Adele Vance',
  mail_nickname: 'AdeleV',
  password: PASSWORD,
  user_principal_name: ADELE,
};
const createBody = {
  accountEnabled: true,
  displayName: 'Adele Vance',
  mailNickname: 'AdeleV',
  userPrincipalName: ADELE,
  passwordProfile: { forceChangePasswordNextSignIn: true, password: PASSWORD },
};
const created = (body: unknown): Exchange => ({
  method: 'POST',
  path: '/v1.0/users',
  body,
  status: 201,
  response: adele,
  responseHeaders: JSON_HEADERS,
});
const unavailable = graphError(
  503,
  'serviceNotAvailable',
  'The service is temporarily unavailable.',
);
const createdTitle = `${ADELE} was created successfully:`;

const createSpec: CommandSpec = {
  command: 'msgraph-user-create',
  notFound: 'error',
  cases: [
    {
      name: 'creates the user with JSON booleans, then shows Graph’s full object',
      args: createArgs,
      exchanges: [created(createBody), getAdele],
      expect: {
        humanReadable: adeleTable(createdTitle),
        context: { [USER_KEY]: adeleContext, [ACCOUNT_KEY]: adeleAccount },
      },
    },
    {
      name: 'never shows the password, a secret argument, even when Graph repeats it',
      args: createArgs,
      exchanges: [
        {
          ...created(createBody),
          status: 400,
          response: graphError(
            400,
            'Request_BadRequest',
            `The specified password '${PASSWORD}' does not comply with password complexity requirements.`,
          ),
        },
      ],
      expect: {
        entries: [
          errorEntry(
            "Error in API call [400] - Request_BadRequest: The specified password '<redacted>' does not comply with password " +
              'complexity requirements. (request-id: req-0000-test)\n' +
              'Graph rejected a value in the request. Check the arguments: property names are case-sensitive, dates are ISO 8601, ' +
              'and user ids are GUIDs or userPrincipalNames.',
          ),
        ],
      },
    },
    {
      name: 'types other_properties and honours their delimiter',
      args: {
        ...createArgs,
        account_enabled: 'false',
        on_premises_immutable_id: 'fHLVX4GdF0aQUOS4ZSHQ4A==',
        other_properties:
          'jobTitle=Retail Manager;city=Tel Aviv;mobilePhone=050505050;showInAddressList=false;' +
          'businessPhones=+1 425 555 0109;passwordProfile={"forceChangePasswordNextSignIn": false}',
        other_properties_delimiter: ';',
      },
      exchanges: [
        created({
          ...createBody,
          accountEnabled: false,
          onPremisesImmutableId: 'fHLVX4GdF0aQUOS4ZSHQ4A==',
          jobTitle: 'Retail Manager',
          city: 'Tel Aviv',
          mobilePhone: '050505050',
          showInAddressList: false,
          businessPhones: ['+1 425 555 0109'],
          passwordProfile: { forceChangePasswordNextSignIn: false, password: PASSWORD },
        }),
        getAdele,
      ],
      expect: { humanReadable: adeleTable(createdTitle) },
    },
    {
      name: 'after an ambiguous failure (503), finds the user by UPN before failing',
      args: createArgs,
      exchanges: [
        {
          method: 'POST',
          path: '/v1.0/users',
          body: createBody,
          status: 503,
          response: unavailable,
          responseHeaders: JSON_HEADERS,
        },
        getAdele,
      ],
      expect: {
        humanReadable:
          adeleTable(createdTitle) +
          '\nThe create request ended with an error (Error in API call [503] - serviceNotAvailable: The service is temporarily ' +
          'unavailable. (request-id: req-0000-test)), but a user with this user principal name exists: the request created it, ' +
          'or it existed before.\n',
        context: { [USER_KEY]: adeleContext, [ACCOUNT_KEY]: adeleAccount },
      },
    },
    {
      name: 'sends the create again after an ambiguous failure when the user provably does not exist',
      args: createArgs,
      exchanges: [
        {
          method: 'POST',
          path: '/v1.0/users',
          body: createBody,
          status: 503,
          response: unavailable,
          responseHeaders: JSON_HEADERS,
        },
        { ...getAdele, status: 404, response: notFound },
        created(createBody),
        getAdele,
      ],
      expect: { humanReadable: adeleTable(createdTitle) },
    },
    {
      name: 'reports the ambiguous failure when every resend fails and the user never appears',
      args: createArgs,
      exchanges: Array.from({ length: 5 }, () => [
        {
          method: 'POST' as const,
          path: '/v1.0/users',
          body: createBody,
          status: 503,
          response: unavailable,
          responseHeaders: JSON_HEADERS,
        },
        { ...getAdele, status: 404, response: notFound },
      ]).flat(),
      expect: { type: 4, contains: ['Error in API call [503] - serviceNotAvailable'] },
    },
    {
      name: 'shows the created object when the new user is not readable yet (replication)',
      args: createArgs,
      exchanges: [created(createBody), { ...getAdele, status: 404, response: notFound }],
      expect: { humanReadable: adeleTable(createdTitle) },
    },
    {
      name: 'refuses a malformed pair before any request',
      args: { ...createArgs, other_properties: 'jobTitle=Analyst,Tel Aviv' },
      exchanges: [],
      expect: {
        type: 4,
        contains: ['Cannot read "Tel Aviv" in other_properties: each item must be key=value'],
      },
    },
  ],
};

const updateSpec: CommandSpec = {
  command: 'msgraph-user-update',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'keeps a numeric-looking string property a string, then shows the user',
      args: { user: ADELE, updated_fields: 'mobilePhone=050505050' },
      exchanges: [noContent('PATCH', ADELE_PATH, { mobilePhone: '050505050' }), getAdele],
      expect: {
        humanReadable: adeleTable(`${ADELE} data`),
        context: { [USER_KEY]: adeleContext, [ACCOUNT_KEY]: adeleAccount },
      },
    },
    {
      name: "shows the reference's not-found answer when the user is gone before it is read back",
      args: { user: ADELE, updated_fields: 'jobTitle=Analyst' },
      exchanges: [
        noContent('PATCH', ADELE_PATH, { jobTitle: 'Analyst' }),
        { ...getAdele, status: 404, response: notFound },
      ],
      expect: { entries: [userNotFoundEntry(ADELE)] },
    },
    {
      name: 'types booleans, lists, objects and unknown properties, keeping = inside values',
      args: {
        user: ADELE,
        updated_fields:
          'displayName=Adele = Vance|accountEnabled=false|businessPhones=["+1 425 555 0109"]|' +
          'employeeOrgData={"division":"Retail","costCenter":"1|2"}|extension_39d_level=3|extension_39d_active=TRUE',
        updated_fields_delimiter: '|',
      },
      exchanges: [
        noContent('PATCH', ADELE_PATH, {
          displayName: 'Adele = Vance',
          accountEnabled: false,
          businessPhones: ['+1 425 555 0109'],
          employeeOrgData: { division: 'Retail', costCenter: '1|2' },
          extension_39d_level: '3',
          extension_39d_active: true,
        }),
        getAdele,
      ],
      expect: { humanReadable: adeleTable(`${ADELE} data`) },
    },
    {
      name: 'does not split a JSON value on the default comma, and never echoes its password',
      args: {
        user: ADELE,
        updated_fields:
          'passwordProfile={"forceChangePasswordNextSignIn":true,"password":"Pa,ss=word1"},jobTitle=',
      },
      exchanges: [
        noContent('PATCH', ADELE_PATH, {
          passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Pa,ss=word1' },
          jobTitle: null,
        }),
        getAdele,
      ],
      expect: { humanReadable: adeleTable(`${ADELE} data`) },
    },
    {
      name: 'refuses a pair without = before any request',
      args: { user: ADELE, updated_fields: 'jobTitle' },
      exchanges: [],
      expect: {
        type: 4,
        contains: ['Cannot read "jobTitle" in updated_fields: each item must be key=value'],
      },
    },
    {
      name: 'refuses a boolean property given another word',
      args: { user: ADELE, updated_fields: 'accountEnabled=yes' },
      exchanges: [],
      expect: { type: 4, contains: ['accountEnabled takes true or false'] },
    },
    {
      name: 'refuses bad JSON without repeating a password',
      args: { user: ADELE, updated_fields: 'passwordProfile={"password":"Secret-1"' },
      exchanges: [],
      expect: {
        type: 4,
        contains: [
          'Cannot read "passwordProfile=..." in updated_fields: the value is not valid JSON',
        ],
      },
    },
  ],
};

const deleteSpec: CommandSpec = {
  command: 'msgraph-user-delete',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'deletes the user',
      args: { user: ADELE },
      exchanges: [noContent('DELETE', ADELE_PATH)],
      expect: {
        humanReadable: 'user: "AdeleV@contoso.com" was deleted successfully.',
        context: {},
      },
    },
    {
      name: 'deletes several users through $batch, noting the one that does not exist',
      args: { user: 'AdeleV@contoso.com, nobody@contoso.com' },
      exchanges: [
        {
          method: 'POST',
          path: '/v1.0/$batch',
          body: {
            requests: [
              { id: '1', method: 'DELETE', url: '/users/AdeleV%40contoso.com' },
              { id: '2', method: 'DELETE', url: '/users/nobody%40contoso.com' },
            ],
          },
          status: 200,
          response: {
            responses: [
              { id: '1', status: 204 },
              { id: '2', status: 404, headers: JSON_HEADERS, body: notFound },
            ],
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable:
          '### msgraph-user-delete for 2 users\n|User|Result|\n|---|---|\n' +
          '| AdeleV@contoso.com | Deleted |\n| nobody@contoso.com | Does not exist |\n',
      },
    },
  ],
};

const SARA = 'SaraD@contoso.onmicrosoft.com';
const assignManagerSpec: CommandSpec = {
  command: 'msgraph-user-assign-manager',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'references the manager by its encoded Graph URL',
      args: { user: ADELE, manager: SARA },
      exchanges: [
        noContent('PUT', `${ADELE_PATH}/manager/$ref`, {
          '@odata.id': 'https://graph.microsoft.com/v1.0/users/SaraD%40contoso.onmicrosoft.com',
        }),
      ],
      expect: {
        humanReadable:
          'A manager was assigned to user "AdeleV@contoso.com". It might take several minutes for the changes to take affect across all applications.',
        context: {},
      },
    },
    {
      name: 'keeps an odd manager value one path segment',
      args: { user: ADELE, manager: '../me?x=1' },
      exchanges: [
        noContent('PUT', `${ADELE_PATH}/manager/$ref`, {
          '@odata.id': 'https://graph.microsoft.com/v1.0/users/..%2Fme%3Fx%3D1',
        }),
      ],
      expect: { humanReadable: /^A manager was assigned to user "AdeleV@contoso.com"\./ },
    },
    {
      name: 'says the manager does not exist when Graph names it',
      args: { user: ADELE, manager: SARA },
      exchanges: [
        {
          method: 'PUT',
          path: `${ADELE_PATH}/manager/$ref`,
          status: 404,
          response: graphError(
            404,
            'Request_ResourceNotFound',
            `Resource '${SARA}' does not exist or one of its queried reference-property objects are not present.`,
          ),
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: { entries: [noteEntry(`#### Manager -> ${SARA} does not exist`)] },
    },
  ],
};

export const writeSpecs: CommandSpec[] = [createSpec, updateSpec, deleteSpec, assignManagerSpec];
