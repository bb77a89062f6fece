/**
 * Specs of the four authorization commands. Their flow-by-flow behaviour (token requests, code
 * redemption, login URLs per cloud) is pinned in test/auth; these cases check them as commands:
 * arguments, the Graph call they make, their war-room text and that they write no context.
 */
import { AUTH_RESET_MESSAGE } from '../../../commands/msgraph-user-auth-reset.js';
import type { CommandSpec, Exchange } from '../harness.js';

const connectionCheck: Exchange = {
  method: 'GET',
  path: '/v1.0/users',
  query: { $top: '1', $select: 'id' },
  status: 200,
  response: { value: [{ id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd' }] },
  responseHeaders: { 'content-type': 'application/json' },
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LOGIN_URL =
  'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?response_type=code' +
  '&scope=offline_access%20https%3A%2F%2Fgraph.microsoft.com%2F.default&client_id=11111111-2222-3333-4444-555555555555' +
  '&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback&state=';
/** The whole text, the reference's two steps rewritten (README: differences); the state is random. */
const LOGIN_INSTRUCTIONS = new RegExp(
  `^${escape(
    '### Authorization instructions\n' + `1. Click on the [login URL](${LOGIN_URL}`,
  )}[\\w-]{22}${escape(
    ') to sign in and grant Cortex XSOAR permissions for your Microsoft Entra ID users.\n' +
      'You will be automatically redirected to your redirect URI, with this query string: `code=AUTH_CODE&state=STATE&session_state=SESSION_STATE`\n' +
      '2. Copy the `AUTH_CODE` (without the `code=` prefix and without the `state` and `session_state` parameters) and paste it in your instance configuration under the **Authorization code** parameter.\n' +
      '3. Save the instance and run `!msgraph-user-test`: it redeems the code (a code works once and expires after about 10 minutes) and stores the refresh token.\n' +
      '\n' +
      'On a computer with a browser, `msgraph-user login` does all of this without copying the code.',
  )}$`,
);

export const authSpecs: CommandSpec[] = [
  {
    command: 'test-module',
    notFound: 'error',
    cases: [
      {
        name: 'authenticates and reads one user, answering ok',
        args: {},
        exchanges: [connectionCheck],
        expect: { contents: 'ok', context: null },
      },
    ],
  },
  {
    command: 'msgraph-user-test',
    notFound: 'error',
    cases: [
      {
        name: 'checks the connection for a self-deployed app',
        args: {},
        exchanges: [connectionCheck],
        expect: { contents: '```✅ Success!```' },
      },
    ],
  },
  {
    command: 'msgraph-user-auth-reset',
    notFound: 'error',
    noGraphCalls: "it only clears the instance's stored credentials",
    cases: [
      {
        name: 'answers the reference message',
        args: {},
        exchanges: [],
        expect: { contents: AUTH_RESET_MESSAGE },
      },
    ],
  },
  {
    command: 'msgraph-user-generate-login-url',
    notFound: 'error',
    noGraphCalls: 'it only builds a URL',
    cases: [
      {
        name: 'builds an encoded authorize URL on the login host, with a state, in the rewritten instructions',
        args: {},
        flow: 'authorization-code',
        exchanges: [],
        expect: { humanReadable: LOGIN_INSTRUCTIONS },
      },
    ],
  },
];
