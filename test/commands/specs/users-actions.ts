/**
 * Specs of the one-request user actions: account-disable, terminate-session (deprecated), unblock,
 * session-revoke, force-reset-password.
 */
import { errorEntry } from '../../../src/command/entries.js';
import type { CommandSpec, Exchange } from '../harness.js';
import { graphError, noteEntry } from '../harness.js';
import { ADELE, ADELE_PATH, JSON_HEADERS, noContent, notFound } from './users-fixtures.js';

const NOT_FOUND_NOTE = { note: '#### User -> AdeleV@contoso.com does not exist' };

const disableNobody: Exchange = {
  method: 'PATCH',
  path: '/v1.0/users/nobody%40contoso.com',
  body: { accountEnabled: false },
  status: 204,
  responseHeaders: JSON_HEADERS,
};

const accountDisableSpec: CommandSpec = {
  command: 'msgraph-user-account-disable',
  notFound: NOT_FOUND_NOTE,
  cases: [
    {
      name: 'sets accountEnabled to the JSON boolean false',
      args: { user: ADELE },
      exchanges: [noContent('PATCH', ADELE_PATH, { accountEnabled: false })],
      expect: {
        humanReadable: 'user: "AdeleV@contoso.com" account has been disabled successfully.',
        context: {},
      },
    },
    {
      name: 'fails for a missing user when handle_error is off',
      args: { user: 'nobody@contoso.com' },
      params: { handle_error: false },
      exchanges: [{ ...disableNobody, status: 404, response: notFound }],
      expect: {
        entries: [
          errorEntry(
            "Error in API call [404] - Request_ResourceNotFound: Resource 'nobody@contoso.com' does not exist or one of its " +
              'queried reference-property objects are not present. (request-id: req-0000-test)\n' +
              'Check the id or userPrincipalName. Guest UPNs contain #EXT#, and deleted users are only listed under directory/deletedItems.',
          ),
        ],
      },
    },
    {
      name: 'answers a missing user with the reference note when handle_error is on',
      args: { user: 'nobody@contoso.com' },
      exchanges: [{ ...disableNobody, status: 404, response: notFound }],
      expect: { entries: [noteEntry('#### User -> nobody@contoso.com does not exist')] },
    },
    {
      name: "reports Graph's 400 as code: message (request-id) and a hint, not the reason phrase and body",
      args: { user: 'nobody@contoso.com' },
      exchanges: [
        {
          ...disableNobody,
          status: 400,
          response: graphError(400, 'Request_BadRequest', 'Invalid value specified for property.'),
        },
      ],
      expect: {
        entries: [
          errorEntry(
            'Error in API call [400] - Request_BadRequest: Invalid value specified for property. (request-id: req-0000-test)\n' +
              'Graph rejected a value in the request. Check the arguments: property names are case-sensitive, dates are ISO 8601, ' +
              'and user ids are GUIDs or userPrincipalNames.',
          ),
        ],
      },
    },
  ],
};

const terminateSessionSpec: CommandSpec = {
  command: 'msgraph-user-terminate-session',
  notFound: NOT_FOUND_NOTE,
  cases: [
    {
      name: 'disables the account as account-disable does, and says it is deprecated',
      args: { user: ADELE },
      exchanges: [noContent('PATCH', ADELE_PATH, { accountEnabled: false })],
      expect: {
        humanReadable:
          'user: "AdeleV@contoso.com" account has been disabled successfully.\n\n' +
          '**Note:** msgraph-user-terminate-session is deprecated. Use msgraph-user-account-disable to disable the account, ' +
          'and msgraph-user-session-revoke to end the sessions that are already open.',
      },
    },
  ],
};

const unblockSpec: CommandSpec = {
  command: 'msgraph-user-unblock',
  notFound: NOT_FOUND_NOTE,
  cases: [
    {
      name: 'sets accountEnabled to the JSON boolean true',
      args: { user: ADELE },
      exchanges: [noContent('PATCH', ADELE_PATH, { accountEnabled: true })],
      expect: {
        humanReadable:
          '"AdeleV@contoso.com" unblocked. It might take several minutes for the changes to take effect across all applications.',
      },
    },
  ],
};

const sessionRevokeSpec: CommandSpec = {
  command: 'msgraph-user-session-revoke',
  notFound: NOT_FOUND_NOTE,
  cases: [
    {
      name: 'revokes the sign-in sessions',
      args: { user: ADELE },
      exchanges: [
        {
          method: 'POST',
          path: `${ADELE_PATH}/revokeSignInSessions`,
          status: 200,
          response: {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean',
            value: true,
          },
          responseHeaders: JSON_HEADERS,
        },
      ],
      expect: {
        humanReadable: 'User: "AdeleV@contoso.com" sessions have been revoked successfully.',
        context: {},
      },
    },
    {
      name: 'retries a 503, since revoking twice is harmless',
      args: { user: ADELE },
      exchanges: [
        { method: 'POST', path: `${ADELE_PATH}/revokeSignInSessions`, status: 503, response: '' },
        { method: 'POST', path: `${ADELE_PATH}/revokeSignInSessions`, status: 204 },
      ],
      expect: {
        humanReadable: 'User: "AdeleV@contoso.com" sessions have been revoked successfully.',
      },
    },
  ],
};

const forceResetSpec: CommandSpec = {
  command: 'msgraph-user-force-reset-password',
  notFound: NOT_FOUND_NOTE,
  cases: [
    {
      name: 'requires a new password at the next sign-in',
      args: { user: ADELE },
      exchanges: [
        noContent('PATCH', ADELE_PATH, {
          passwordProfile: { forceChangePasswordNextSignIn: true },
        }),
      ],
      expect: { humanReadable: 'User AdeleV@contoso.com will be required to change his password.' },
    },
  ],
};

export const actionSpecs: CommandSpec[] = [
  accountDisableSpec,
  terminateSessionSpec,
  unblockSpec,
  sessionRevokeSpec,
  forceResetSpec,
];
