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
        name: 'builds an encoded authorize URL on the login host, with a state',
        args: {},
        flow: 'authorization-code',
        exchanges: [],
        expect: {
          humanReadable:
            /^### Authorization instructions\n[\s\S]*https:\/\/login\.microsoftonline\.com\/contoso\.onmicrosoft\.com\/oauth2\/v2\.0\/authorize\?response_type=code&scope=offline_access%20https%3A%2F%2Fgraph\.microsoft\.com%2F\.default&client_id=11111111-2222-3333-4444-555555555555&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback&state=[\w-]+/,
        },
      },
    ],
  },
];
