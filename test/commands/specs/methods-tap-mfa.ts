/**
 * Specs of owned devices, the Temporary Access Pass policy commands, the MFA commands and the
 * default authentication method (graph-http-examples.md §2, §3 and §5).
 */
import { errorEntry, type Entry } from '../../../src/command/entries.js';
import { FILE_ID, graphError, type CommandSpec, type Exchange } from '../harness.js';

const USER = 'kim@contoso.com';
const USER_PATH = 'kim%40contoso.com';
const keyed = (prefix: string, key = 'ID') => `${prefix}(val.${key} && val.${key} == obj.${key})`;
const userNote = (user: string) => `#### User -> ${user} does not exist`;

// --- owned devices (graph-http-examples.md §2 "List ownedDevices", with a realistic device) ---

/** Every default property of a v1.0 device, as Graph returns it. */
const LAPTOP = {
  '@odata.type': '#microsoft.graph.device',
  id: '4c2a6f2e-93b5-4a2c-bd6b-2f9a1c2c8c11',
  deletedDateTime: null,
  accountEnabled: true,
  alternativeSecurityIds: [{ type: 2, identityProvider: null, key: 'WAA1ADAAOQA=' }],
  approximateLastSignInDateTime: '2024-03-20T07:45:00Z',
  complianceExpirationDateTime: null,
  createdDateTime: '2024-02-01T08:00:00Z',
  deviceCategory: null,
  deviceId: 'a6c3b1f0-3c1e-4a53-9b5e-7d1f5e0b9a22',
  deviceMetadata: null,
  deviceOwnership: 'Company',
  deviceVersion: 2,
  displayName: 'KIM-LAPTOP',
  enrollmentProfileName: null,
  enrollmentType: 'AzureDomainJoined',
  isCompliant: true,
  isManaged: true,
  isRooted: false,
  managementType: 'MDM',
  manufacturer: 'Microsoft Corporation',
  mdmAppId: '0000000a-0000-0000-c000-000000000000',
  model: 'Surface Laptop 5',
  onPremisesLastSyncDateTime: null,
  onPremisesSyncEnabled: null,
  operatingSystem: 'Windows',
  operatingSystemVersion: '10.0.22631.3296',
  physicalIds: ['[USER-GID]:4c2a6f2e-93b5-4a2c-bd6b-2f9a1c2c8c11:6755399441055744'],
  profileType: 'RegisteredDevice',
  registrationDateTime: '2024-02-01T08:00:00Z',
  systemLabels: [],
  trustType: 'AzureAd',
};
const PHONE = {
  '@odata.type': '#microsoft.graph.device',
  id: '9d1b7e44-1f0a-4a61-8d6c-3e2b5f7a0c33',
  accountEnabled: true,
  deviceId: null,
  displayName: "Kim's iPhone",
  operatingSystem: 'iOS',
  operatingSystemVersion: '17.4',
  trustType: 'Workplace',
  registrationDateTime: '2024-03-10T12:00:00Z',
};
/** The context row of a device: every property but the OData annotation, PascalCased. */
const deviceContext = (device: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(device)
      .filter(([key]) => !key.startsWith('@'))
      .map(([key, value]) => [key === 'id' ? 'ID' : key[0]!.toUpperCase() + key.slice(1), value]),
  );
const DEVICES_PATH = `/v1.0/users/${USER_PATH}/ownedDevices`;
const DEVICES_NEXT = `https://graph.microsoft.com/v1.0/users/${USER_PATH}/ownedDevices?$count=true&$top=1&$skiptoken=RFNwdAoAAQAAAA`;
const EVENTUAL = { consistencylevel: 'eventual' };
const DEVICES_TABLE =
  '|Device Id|Azure Device Registration Id|Device Display Name|\n|---|---|---|\n' +
  `| ${LAPTOP.id} | ${LAPTOP.deviceId} | KIM-LAPTOP |\n`;

const ownedDevicesList: CommandSpec = {
  command: 'msgraph-user-owned-devices-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists owned devices with an advanced query; NextPage as the reference shapes it',
      args: { user: USER, limit: '1', filter: "operatingSystem eq 'Windows'" },
      exchanges: [
        {
          method: 'GET',
          path: DEVICES_PATH,
          query: { $filter: "operatingSystem eq 'Windows'", $count: 'true', $top: '1' },
          headers: EVENTUAL,
          status: 200,
          response: { '@odata.count': 2, value: [LAPTOP], '@odata.nextLink': DEVICES_NEXT },
        },
      ],
      expect: {
        humanReadable:
          `### Owned Devices for User ${USER}:\n` +
          `To get further results, enter this to the next_page argument:\n${DEVICES_NEXT}\n` +
          DEVICES_TABLE,
        context: {
          [keyed('MSGraphUser', 'Id')]: {
            OwnedDevice: [{ NextPage: DEVICES_NEXT }, deviceContext(LAPTOP)],
            Id: USER,
          },
        },
      },
    },
    {
      name: 'fetches next_page as is, resending ConsistencyLevel',
      args: { user: USER, next_page: DEVICES_NEXT },
      exchanges: [
        {
          method: 'GET',
          path: DEVICES_PATH,
          query: { $count: 'true', $top: '1', $skiptoken: 'RFNwdAoAAQAAAA' },
          headers: EVENTUAL,
          status: 200,
          response: { value: [PHONE] },
        },
      ],
      expect: {
        context: {
          [keyed('MSGraphUser', 'Id')]: { OwnedDevice: [deviceContext(PHONE)], Id: USER },
        },
      },
    },
    {
      name: 'follows every page with all=true (default limit 50)',
      args: { user: USER, all: 'true' },
      exchanges: [
        {
          method: 'GET',
          path: DEVICES_PATH,
          query: { $count: 'true', $top: '50' },
          headers: EVENTUAL,
          status: 200,
          response: { value: [LAPTOP], '@odata.nextLink': DEVICES_NEXT },
        },
        {
          method: 'GET',
          path: DEVICES_PATH,
          query: { $count: 'true', $top: '1', $skiptoken: 'RFNwdAoAAQAAAA' },
          headers: EVENTUAL,
          status: 200,
          response: { value: [PHONE] },
        },
      ],
      expect: {
        humanReadable:
          `### Owned Devices for User ${USER}:\n` +
          '|Device Id|Azure Device Registration Id|Device Display Name|\n|---|---|---|\n' +
          `| ${LAPTOP.id} | ${LAPTOP.deviceId} | KIM-LAPTOP |\n` +
          `| ${PHONE.id} |  | Kim's iPhone |\n`,
      },
    },
    {
      name: 'says so when the user owns no device',
      args: { user: USER },
      exchanges: [
        {
          method: 'GET',
          path: DEVICES_PATH,
          query: { $count: 'true', $top: '50' },
          status: 200,
          response: { '@odata.count': 0, value: [] },
        },
      ],
      expect: { humanReadable: `No owned devices found for user ${USER}.` },
    },
  ],
};

// --- Temporary Access Pass policy (graph-http-examples.md §3) ---

const TAP_PATH = `/v1.0/users/${USER_PATH}/authentication/temporaryAccessPassMethods`;
const TAP = {
  id: 'bdaede67-61e0-4349-9347-d2d6afd84009',
  temporaryAccessPass: null,
  createdDateTime: '2022-06-06T16:43:04.6438213Z',
  startDateTime: '2022-06-06T16:48:03.027Z',
  lifetimeInMinutes: 60,
  isUsableOnce: false,
  isUsable: false,
  methodUsabilityReason: 'NotYetValid',
};
const CREATED = {
  '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  id: '6f1967b7-15e8-4935-ac26-d50770ed07a7',
  temporaryAccessPass: '+drkzqAD',
  createdDateTime: '2022-06-02T16:21:09.765173Z',
  startDateTime: '2030-06-05T00:00:00Z',
  lifetimeInMinutes: 60,
  isUsableOnce: false,
  isUsable: false,
  methodUsabilityReason: 'NotYetValid',
};
const CREATED_CONTEXT = {
  ID: CREATED.id,
  CreatedDateTime: CREATED.createdDateTime,
  StartDateTime: CREATED.startDateTime,
  LifetimeInMinutes: 60,
  IsUsableOnce: false,
  IsUsable: false,
  MethodUsabilityReason: 'NotYetValid',
};

/** The reference's context row, which is also its entry's Contents: output keys, no pass. */
const TAP_CONTEXT = {
  ID: TAP.id,
  CreatedDateTime: TAP.createdDateTime,
  StartDateTime: TAP.startDateTime,
  LifetimeInMinutes: 60,
  IsUsableOnce: false,
  IsUsable: false,
  MethodUsabilityReason: 'NotYetValid',
};

const tapPolicyList: CommandSpec = {
  command: 'msgraph-user-tap-policy-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: "reports the user's pass policy without the pass",
      args: { user_id: USER },
      exchanges: [{ method: 'GET', path: TAP_PATH, status: 200, response: { value: [TAP] } }],
      expect: {
        entries: [
          {
            Type: 1,
            ContentsFormat: 'json',
            Contents: TAP_CONTEXT,
            HumanReadable:
              `### TAP Policy for User ID ${USER}:\n` +
              '|Policy ID|Start Date Time|Lifetime In Minutes|Is Usable Once|Is Usable|Method Usability Reason|\n' +
              '|---|---|---|---|---|---|\n' +
              `| ${TAP.id} | 2022-06-06T16:48:03.027Z | 60 | false | false | NotYetValid |\n`,
            EntryContext: { [keyed('MSGraphUser.TAPPolicy')]: TAP_CONTEXT },
          },
        ],
      },
    },
    {
      name: 'gives the reference text when the user has no pass',
      args: { user_id: USER },
      exchanges: [{ method: 'GET', path: TAP_PATH, status: 200, response: { value: [] } }],
      expect: { humanReadable: `Failed to get TAP policy for the user ${USER}.` },
    },
  ],
};

/**
 * What tap-policy-create returns, as the reference did: first the archive's file entry (no
 * caption, no context), then the result, whose Contents are its context outputs.
 */
const TAP_CREATED_ENTRIES: Entry[] = [
  {
    Type: 3,
    ContentsFormat: 'text',
    Contents: '',
    HumanReadable: null,
    EntryContext: null,
    File: 'TAPPolicyInfo.zip',
    FileID: FILE_ID,
  },
  {
    Type: 1,
    ContentsFormat: 'json',
    Contents: CREATED_CONTEXT,
    HumanReadable: `Temporary Access Pass Authentication methods policy for user: ${USER} was successfully created.`,
    EntryContext: { [keyed('MSGraphUser.TAPPolicy')]: CREATED_CONTEXT },
  },
];

const tapCreate = (body: unknown): Exchange => ({
  method: 'POST',
  path: TAP_PATH,
  body,
  status: 201,
  response: CREATED,
});

const tapPolicyCreate: CommandSpec = {
  command: 'msgraph-user-tap-policy-create',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'creates a pass starting now (startDateTime left to Graph): the zip file entry first, then the result without the pass',
      args: { user_id: USER, zip_password: 'Zip-Pa55word!' },
      exchanges: [tapCreate({ lifetimeInMinutes: 60, isUsableOnce: false })],
      expect: { entries: TAP_CREATED_ENTRIES },
    },
    {
      name: 'sends an ISO start_time in the reference format, with lifetime and single use',
      args: {
        user_id: USER,
        zip_password: 'Zip-Pa55word!',
        start_time: '2030-06-05T00:00:00Z',
        lifetime_in_minutes: '120',
        is_usable_once: 'true',
      },
      exchanges: [
        tapCreate({
          lifetimeInMinutes: 120,
          isUsableOnce: true,
          startDateTime: '2030-06-05T00:00:00.000Z',
        }),
      ],
      expect: { entries: TAP_CREATED_ENTRIES },
    },
    {
      name: 'refuses a lifetime_in_minutes out of bounds before any request, naming the argument',
      args: { user_id: USER, zip_password: 'Zip-Pa55word!', lifetime_in_minutes: '5' },
      exchanges: [],
      expect: {
        entries: [
          errorEntry(
            'Invalid arguments for msgraph-user-tap-policy-create: argument "lifetime_in_minutes" must be between 10 and 43200 (got 5).',
          ),
        ],
      },
    },
    {
      name: 'refuses an unreadable start_time before any request',
      args: { user_id: USER, zip_password: 'Zip-Pa55word!', start_time: 'next blue moon' },
      exchanges: [],
      expect: { type: 4, contains: ['Invalid start_time "next blue moon"'] },
    },
    {
      name: 'refuses a start_time in the past before any request',
      args: { user_id: USER, zip_password: 'Zip-Pa55word!', start_time: '2020-01-01T00:00:00Z' },
      exchanges: [],
      expect: { type: 4, contains: ['cannot start in the past'] },
    },
  ],
};

const tapPolicyDelete: CommandSpec = {
  command: 'msgraph-user-tap-policy-delete',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'deletes the pass policy',
      args: { user_id: USER, policy_id: TAP.id },
      exchanges: [{ method: 'DELETE', path: `${TAP_PATH}/${TAP.id}`, status: 204 }],
      expect: {
        humanReadable: `Temporary Access Pass Authentication methods policy ${TAP.id} was successfully deleted.`,
      },
    },
  ],
};

// --- MFA ---

const MFA_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';
const SP_ID = '5c4c0ed2-8a8e-4e7f-9a4e-0b1c6d3e2f10';
const ALLOW = { allow_secret_generators: true };
/** The refusal when allow_secret_generators is cleared; the label is the parameter's display name. */
const gate = (command: string) =>
  errorEntry(
    `${command} is disabled: it generates credentials, and the "Allow secret generators commands execution" parameter ` +
      'is not selected. Select it in the instance configuration to allow this command.',
  );

const createMfaClientSecret: CommandSpec = {
  command: 'msgraph-user-create-mfa-client-secret',
  notFound: 'error',
  cases: [
    {
      name: 'adds a secret to the MFA service principal and outputs only its key ID and validity',
      args: {},
      params: ALLOW,
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/servicePrincipals',
          query: { $filter: `appId eq '${MFA_APP_ID}'`, $select: 'id' },
          status: 200,
          response: {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id)',
            value: [{ id: SP_ID }],
          },
        },
        {
          method: 'POST',
          path: `/v1.0/servicePrincipals/${SP_ID}/addPassword`,
          body: { passwordCredential: { displayName: 'MFA App Secret' } },
          status: 200,
          response: {
            '@odata.context':
              'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential',
            customKeyIdentifier: null,
            displayName: 'MFA App Secret',
            endDateTime: '2027-03-01T10:00:00Z',
            hint: 'Q~8',
            keyId: '0b7d3c1e-5a4f-4c2b-9e8d-7f6a5b4c3d2e',
            secretText: 'Q~8abcDEFghiJKLmnoPQRstuVWXyz0123456789',
            startDateTime: '2025-03-01T10:00:00Z',
          },
        },
      ],
      expect: {
        humanReadable:
          /^A new client secret has been added\. Note you might need to wait 30-60 seconds/,
        context: {
          [keyed('MSGraphUser.MFAClientSecret', 'KeyId')]: {
            KeyId: '0b7d3c1e-5a4f-4c2b-9e8d-7f6a5b4c3d2e',
            ValidFrom: '2025-03-01T10:00:00Z',
            ValidUntil: '2027-03-01T10:00:00Z',
          },
        },
      },
    },
    {
      name: 'is refused without "Allow secret generators commands execution"',
      args: {},
      exchanges: [],
      expect: { entries: [gate('msgraph-user-create-mfa-client-secret')] },
    },
    {
      name: 'reports a tenant without the MFA service principal',
      args: {},
      params: ALLOW,
      exchanges: [
        {
          method: 'GET',
          path: '/v1.0/servicePrincipals',
          query: { $filter: `appId eq '${MFA_APP_ID}'`, $select: 'id' },
          status: 200,
          response: { value: [] },
        },
      ],
      expect: {
        type: 4,
        contains: [`Error: Service Principal with appId ${MFA_APP_ID} not found.`],
      },
    },
  ],
};

const createMfaClientAccessToken: CommandSpec = {
  command: 'msgraph-user-create-mfa-client-access-token',
  notFound: 'error',
  noGraphCalls:
    'its one request goes to the login host without a Graph token; methods-mfa.test.ts covers it',
  cases: [
    {
      name: 'asks for create-mfa-client-secret when no secret is stored or given',
      args: {},
      params: ALLOW,
      exchanges: [],
      expect: { type: 4, contains: ['Run msgraph-user-create-mfa-client-secret first'] },
    },
    {
      name: 'is refused without "Allow secret generators commands execution"',
      args: { client_secret: 'some-client-secret' },
      exchanges: [],
      expect: { entries: [gate('msgraph-user-create-mfa-client-access-token')] },
    },
  ],
};

const MFA_ORIGIN = 'https://strongauthenticationservice.auth.microsoft.com';
const MFA_PATH = '/StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication';
const MFA_TOKEN = 'mfa-access-token-for-tests-0123';
const mfaAnswer = (value: string, message: string | null, approved: boolean) =>
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<BeginTwoWayAuthenticationResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
  `<Result><Value>${value}</Value>${message === null ? '<Message i:nil="true"/>' : `<Message>${message}</Message>`}</Result>` +
  '<SessionId>7d4c3b2a-1f0e-4d5c-9b8a-7f6e5d4c3b2a</SessionId>' +
  `<UserPrincipalName>${USER}</UserPrincipalName>` +
  `<AuthenticationResult>${approved}</AuthenticationResult>` +
  '</BeginTwoWayAuthenticationResponse>';
const mfaExchange = (response: string, upn = USER): Exchange => ({
  origin: MFA_ORIGIN,
  method: 'POST',
  path: MFA_PATH,
  headers: { authorization: `Bearer ${MFA_TOKEN}`, 'content-type': 'application/xml' },
  body: new RegExp(
    `^<BeginTwoWayAuthenticationRequest><Version>1\\.0</Version><UserPrincipalName>${upn}</UserPrincipalName>` +
      '.*<ContextId>[0-9a-f-]{36}</ContextId><SyncCall>true</SyncCall>',
  ),
  status: 200,
  response,
  responseHeaders: { 'content-type': 'application/xml; charset=utf-8' },
});
const failedFor = (status: string) => `Failed to pop MFA request for user ${USER}: ${status}`;

const requestMfa: CommandSpec = {
  command: 'msgraph-user-request-mfa',
  notFound: 'error',
  cases: [
    {
      name: 'reports an approved request',
      args: { user_mail: USER, access_token: MFA_TOKEN },
      exchanges: [mfaExchange(mfaAnswer('Success', null, true))],
      expect: { humanReadable: 'Status: User Approved MFA Request' },
    },
    {
      name: 'fails when the user denies the request',
      args: { user_mail: USER, access_token: MFA_TOKEN },
      exchanges: [mfaExchange(mfaAnswer('PhoneAppDenied', 'The user denied the request.', false))],
      expect: { type: 4, contains: [failedFor('Status: User Denied Request')] },
    },
    {
      name: 'fails when the user does not answer',
      args: { user_mail: USER, access_token: MFA_TOKEN, timeout: '30' },
      exchanges: [mfaExchange(mfaAnswer('PhoneAppNoResponse', null, false))],
      expect: { type: 4, contains: [failedFor('Status: MFA Request Timed Out')] },
    },
    {
      name: "reports any other result with the service's message",
      args: { user_mail: USER, access_token: MFA_TOKEN },
      exchanges: [mfaExchange(mfaAnswer('UserNotFound', 'User not found in the tenant.', false))],
      expect: {
        type: 4,
        contains: [failedFor('Status: MFA Request Failed - User not found in the tenant.')],
      },
    },
    {
      name: 'says "No specific message" for a nil message',
      args: { user_mail: USER, access_token: MFA_TOKEN },
      exchanges: [mfaExchange(mfaAnswer('Success', null, false))],
      expect: {
        type: 4,
        contains: [failedFor('Status: MFA Request Failed - No specific message')],
      },
    },
    {
      name: 'XML-escapes the user principal name it sends',
      args: { user_mail: "o'neil&co@contoso.com", access_token: MFA_TOKEN },
      exchanges: [
        mfaExchange(mfaAnswer('Success', null, true), 'o&apos;neil&amp;co@contoso\\.com'),
      ],
      expect: { humanReadable: 'Status: User Approved MFA Request' },
    },
    {
      name: 'reports an answer it cannot read',
      args: { user_mail: USER, access_token: MFA_TOKEN },
      exchanges: [mfaExchange('<html>Service unavailable</html>')],
      expect: { type: 4, contains: [failedFor('Error: Could not parse MFA response.')] },
    },
    {
      name: 'asks for create-mfa-client-access-token when no token is stored or given',
      args: { user_mail: USER },
      exchanges: [],
      expect: { type: 4, contains: ['Run msgraph-user-create-mfa-client-access-token first'] },
    },
  ],
};

// --- default authentication method (beta signInPreferences, graph-http-examples.md §5) ---

const PREFERENCES_PATH = `/beta/users/${USER_PATH}/authentication/signInPreferences`;

const defaultAuthMethod: CommandSpec = {
  command: 'msgraph-user-get-user-default-auth-method',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: "reports the user's preferred method as the default",
      args: { user: USER },
      exchanges: [
        {
          method: 'GET',
          path: PREFERENCES_PATH,
          status: 200,
          response: {
            isSystemPreferredAuthenticationMethodEnabled: false,
            userPreferredMethodForSecondaryAuthentication: 'push',
          },
        },
      ],
      expect: {
        humanReadable:
          `### Authentication Preferences for ${USER}\n` +
          '|DefaultMethod|IsSystemPreferredAuthenticationMethodEnabled|User|UserPreferredMethodForSecondaryAuthentication|\n' +
          '|---|---|---|---|\n' +
          `| push | false | ${USER} | push |\n` +
          '\n**Default Auth Method:** push',
        context: {
          [keyed('MSGraphUser.AuthMethod', 'User')]: {
            User: USER,
            DefaultMethod: 'push',
            IsSystemPreferredAuthenticationMethodEnabled: false,
            UserPreferredMethodForSecondaryAuthentication: 'push',
            SystemPreferredAuthenticationMethod: null,
          },
        },
      },
    },
    {
      name: 'falls back to the system-preferred method',
      args: { user: USER },
      exchanges: [
        {
          method: 'GET',
          path: PREFERENCES_PATH,
          status: 200,
          response: {
            '@odata.context': `https://graph.microsoft.com/beta/$metadata#users('${USER}')/authentication/signInPreferences/$entity`,
            isSystemPreferredAuthenticationMethodEnabled: true,
            userPreferredMethodForSecondaryAuthentication: null,
            systemPreferredAuthenticationMethod: 'Fido2',
          },
        },
      ],
      expect: { humanReadable: /\*\*Default Auth Method:\*\* Fido2$/ },
    },
    {
      name: 'gets several users through one beta $batch call, one row each',
      args: { user: `${USER},nobody@contoso.com` },
      exchanges: [
        {
          method: 'POST',
          path: '/beta/$batch',
          body: {
            requests: [
              {
                id: '1',
                method: 'GET',
                url: `/users/${USER_PATH}/authentication/signInPreferences`,
              },
              {
                id: '2',
                method: 'GET',
                url: '/users/nobody%40contoso.com/authentication/signInPreferences',
              },
            ],
          },
          status: 200,
          response: {
            responses: [
              {
                id: '2',
                status: 404,
                headers: { 'content-type': 'application/json' },
                body: graphError(
                  404,
                  'Request_ResourceNotFound',
                  "Resource 'nobody@contoso.com' does not exist.",
                ),
              },
              {
                id: '1',
                status: 200,
                headers: { 'content-type': 'application/json' },
                body: {
                  isSystemPreferredAuthenticationMethodEnabled: true,
                  systemPreferredAuthenticationMethod: 'Push',
                },
              },
            ],
          },
        },
      ],
      expect: {
        humanReadable:
          '### msgraph-user-get-user-default-auth-method for 2 users\n' +
          '|User|Result|\n|---|---|\n' +
          `| ${USER} | Default method: Push |\n` +
          '| nobody@contoso.com | Does not exist |\n',
        context: {
          [keyed('MSGraphUser.AuthMethod', 'User')]: {
            User: USER,
            DefaultMethod: 'Push',
            IsSystemPreferredAuthenticationMethodEnabled: true,
            UserPreferredMethodForSecondaryAuthentication: null,
            SystemPreferredAuthenticationMethod: 'Push',
          },
        },
      },
    },
    {
      name: 'says Unknown when neither is set',
      args: { user: USER },
      exchanges: [{ method: 'GET', path: PREFERENCES_PATH, status: 200, response: {} }],
      expect: { humanReadable: /\*\*Default Auth Method:\*\* Unknown$/ },
    },
  ],
};

export const tapAndMfaSpecs: CommandSpec[] = [
  ownedDevicesList,
  tapPolicyList,
  tapPolicyCreate,
  tapPolicyDelete,
  createMfaClientSecret,
  createMfaClientAccessToken,
  requestMfa,
  defaultAuthMethod,
];
