/**
 * Specs of the delegated password commands: change-password (PATCH passwordProfile) and
 * change-password-on-premise (passwordMethods -> resetPassword 202 + Location -> operation status,
 * authenticationmethod-resetpassword.md and longrunningoperation-get.md).
 */
import { errorEntry } from '../../../src/command/entries.js';
import type { CommandSpec, Exchange } from '../harness.js';
import { ADELE, ADELE_PATH, JSON_HEADERS, noContent } from './users-fixtures.js';

const changePasswordSpec: CommandSpec = {
  command: 'msgraph-user-change-password',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'sets the password with the flags as JSON booleans',
      flow: 'authorization-code',
      args: { user: ADELE, password: 'xWwvJ]6NMw+bWH-d' },
      exchanges: [
        noContent('PATCH', ADELE_PATH, {
          passwordProfile: {
            forceChangePasswordNextSignIn: true,
            forceChangePasswordNextSignInWithMfa: false,
            password: 'xWwvJ]6NMw+bWH-d',
          },
        }),
      ],
      expect: {
        humanReadable: 'User AdeleV@contoso.com password was changed successfully.',
        context: {},
      },
    },
    {
      name: 'passes the flags as given',
      flow: 'authorization-code',
      args: {
        user: ADELE,
        password: 'xWwvJ]6NMw+bWH-d',
        force_change_password_next_sign_in: 'false',
        force_change_password_with_mfa: 'true',
      },
      exchanges: [
        noContent('PATCH', ADELE_PATH, {
          passwordProfile: {
            forceChangePasswordNextSignIn: false,
            forceChangePasswordNextSignInWithMfa: true,
            password: 'xWwvJ]6NMw+bWH-d',
          },
        }),
      ],
      expect: { humanReadable: 'User AdeleV@contoso.com password was changed successfully.' },
    },
    {
      name: 'is refused under client credentials, before any request',
      args: { user: ADELE, password: 'xWwvJ]6NMw+bWH-d' },
      exchanges: [],
      expect: {
        entries: [
          errorEntry(
            'msgraph-user-change-password works only with delegated permissions, through the self-deployed authorization code flow, ' +
              'and this instance uses self-deployed app, client credentials (secret). To set it up: select "Use a self-deployed Azure application", ' +
              'fill in ID, Token, Key and Redirect URI, then run "msgraph-user login" ' +
              '(or run msgraph-user-generate-login-url and paste the code into "Authorization Code").',
          ),
        ],
      },
    },
  ],
};

const METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const OPERATION_PATH =
  '/v1.0/users/6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0/authentication/operations/88e7560c-9ebf-435c-8089-c3998ac1ec51';
const OPERATION_QUERY = { aadgdc: 'DUB02P', aadgsu: 'ssprprod-a' };
const POLLING_URL = `https://graph.microsoft.com${OPERATION_PATH}?aadgdc=DUB02P&aadgsu=ssprprod-a`;
const RESET_PATH = `${ADELE_PATH}/authentication/methods/${METHOD_ID}/resetPassword`;
const OPERATION_KEY =
  'MSGraphUser.PasswordResetOperation(val.polling_url && val.polling_url == obj.polling_url)';

const passwordMethods: Exchange = {
  method: 'GET',
  path: `${ADELE_PATH}/authentication/passwordMethods`,
  status: 200,
  response: { value: [{ id: METHOD_ID, password: null, creationDateTime: null }] },
  responseHeaders: JSON_HEADERS,
};
const resetAccepted: Exchange = {
  method: 'POST',
  path: RESET_PATH,
  body: { newPassword: 'Cuyo5459' },
  status: 202,
  response: {},
  responseHeaders: { ...JSON_HEADERS, location: POLLING_URL },
};
const operation = (status: string, extra: Record<string, unknown> = {}): Exchange => ({
  method: 'GET',
  path: OPERATION_PATH,
  query: OPERATION_QUERY,
  status: 200,
  response: {
    status,
    createdDateTime: '2020-03-19T12-01-03.45Z',
    lastActionDateTime: '2020-03-19T12-01-04.23Z',
    id: '88e7560c-9ebf-435c-8089-c3998ac1ec51',
    ...extra,
  },
  responseHeaders: JSON_HEADERS,
});

const onPremiseSpec: CommandSpec = {
  command: 'msgraph-user-change-password-on-premise',
  notFound: { note: '#### User -> AdeleV@contoso.com does not exist' },
  cases: [
    {
      name: 'resets through the password method and polls the operation to success',
      flow: 'authorization-code',
      args: { user: ADELE, password: 'Cuyo5459' },
      exchanges: [passwordMethods, resetAccepted, operation('running'), operation('succeeded')],
      expect: {
        humanReadable: 'Password reset **succeeded** for user **AdeleV@contoso.com**.',
        context: {
          [OPERATION_KEY]: { user: ADELE, status: 'succeeded', polling_url: POLLING_URL },
        },
      },
    },
    {
      name: 'takes nonsensitive_password and a known password_method_id',
      flow: 'authorization-code',
      args: { user: ADELE, nonsensitive_password: 'Cuyo5459', password_method_id: METHOD_ID },
      exchanges: [resetAccepted, operation('succeeded')],
      expect: { humanReadable: 'Password reset **succeeded** for user **AdeleV@contoso.com**.' },
    },
    {
      name: 'only checks the operation when given polling_url, and schedules another check while it runs',
      flow: 'authorization-code',
      args: { user: ADELE, polling_url: POLLING_URL },
      exchanges: [operation('running')],
      expect: {
        humanReadable:
          'Password reset status for **AdeleV@contoso.com** is **running**. Still waiting...',
        context: { [OPERATION_KEY]: { user: ADELE, status: 'running', polling_url: POLLING_URL } },
        contains: ['msgraph-user-change-password-on-premise'],
      },
    },
    {
      name: 'fails with the operation details when the reset fails',
      flow: 'authorization-code',
      args: { user: ADELE, polling_url: POLLING_URL },
      exchanges: [
        operation('failed', { statusDetail: 'The password does not meet the on-premises policy.' }),
      ],
      expect: {
        type: 4,
        contains: [
          'Password reset **failed** for user **AdeleV@contoso.com**. Details: The password does not meet the on-premises policy.',
        ],
      },
    },
    {
      name: 'requires one of the password arguments',
      flow: 'authorization-code',
      args: { user: ADELE },
      exchanges: [],
      expect: {
        type: 4,
        contains: [
          "Password is required. Please provide either 'password' (sensitive) or 'nonsensitive_password' argument.",
        ],
      },
    },
    {
      name: 'refuses two different passwords',
      flow: 'authorization-code',
      args: { user: ADELE, password: 'Cuyo5459', nonsensitive_password: 'Other-123' },
      exchanges: [],
      expect: {
        type: 4,
        contains: [
          "Conflicting passwords provided. The 'password' and 'nonsensitive_password' arguments must have the same value, or use only one of them.",
        ],
      },
    },
  ],
};

export const passwordSpecs: CommandSpec[] = [changePasswordSpec, onPremiseSpec];
