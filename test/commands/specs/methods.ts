/**
 * Specs of the authentication-method, Temporary Access Pass and MFA commands. Graph bodies follow
 * ../shared/reference/graph-http-examples.md §3 and §5 (including the single-method GETs that wrap
 * the object in "value"); what a spec cannot express (the TAP archive, the MFA token endpoint and
 * the integration context) is in ../methods-*.test.ts.
 */
import { graphError, type CommandCase, type CommandSpec, type Exchange } from '../harness.js';
import { tapAndMfaSpecs } from './methods-tap-mfa.js';

const USER = 'kim@contoso.com';
const USER_PATH = 'kim%40contoso.com';
const GUEST = 'kim_fabrikam.com#EXT#@contoso.onmicrosoft.com';
const GUEST_PATH = 'kim_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com';

const authPath = (collection: string, id?: string, user = USER_PATH) =>
  `/v1.0/users/${user}/authentication/${collection}${id === undefined ? '' : `/${id}`}`;
const keyed = (prefix: string, key = 'ID') => `${prefix}(val.${key} && val.${key} == obj.${key})`;
const get = (path: string, response: unknown, extra: Partial<Exchange> = {}): Exchange => ({
  method: 'GET',
  path,
  status: 200,
  response,
  ...extra,
});
const missingKey = (id: string) =>
  graphError(404, 'itemNotFound', `A key with identifier '${id}' was not found.`);

const userNote = (user: string) => `#### User -> ${user} does not exist`;

// --- fixtures (graph-http-examples.md §3) ---

const RED_KEY = {
  id: '-2_GRUg2-HYz6_1YG4YRAQ2',
  displayName: 'Red key',
  creationDateTime: '2020-08-10T06:44:09Z',
  aaGuid: '2fc0579f-8113-47ea-b116-555a8db9202a',
  model: 'NFC key',
  attestationCertificates: ['dbe793efdf1945e2df25d93653a1e8a3268a9075'],
  attestationLevel: 'attested',
};
const BLUE_KEY = {
  id: '_jpuR-TGZgk6aQCLF3BQjA2',
  displayName: 'Blue key',
  creationDateTime: '2020-08-10T06:25:38Z',
  aaGuid: 'c5ef55ff-ad9a-4b9f-b580-ababafe026d0',
  model: 'USB key',
  attestationCertificates: ['b479e7652167f574296e76bfa76731b8ccd22ed7'],
  attestationLevel: 'attested',
};
const fido2Context = (key: typeof RED_KEY) => ({
  ID: key.id,
  DisplayName: key.displayName,
  CreatedDateTime: key.creationDateTime,
  AaGuid: key.aaGuid,
  Model: key.model,
  AttestationCertificates: key.attestationCertificates,
  AttestationLevel: key.attestationLevel,
});

const EMAIL_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
const EMAIL = { id: EMAIL_ID, emailAddress: 'Kim@contoso.com' };
const EMAIL_2 = { id: '9a3c1b2d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', emailAddress: 'kim@fabrikam.com' };
const EMAIL_NEXT = `https://graph.microsoft.com/v1.0/users/${USER_PATH}/authentication/emailMethods?$skiptoken=RFNwdA`;

const IPHONE = {
  '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  id: '6803c096-c096-6803-96c0-036896c00368',
  displayName: "Sandeep's iPhone",
  deviceTag: '',
  phoneAppVersion: '6.5.4',
  createdDateTime: '2020-12-03T23:16:12Z',
};
const PIXEL = {
  '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  id: '0f4cd3e2-7e62-4b0d-8e0e-5a1f2a4b7c11',
  displayName: 'Kim Pixel 8',
  deviceTag: 'SoftwareTokenActivated',
  phoneAppVersion: '6.2401.0119',
  createdDateTime: '2024-01-15T09:30:00Z',
};
const authenticatorContext = (m: typeof IPHONE) => ({
  ID: m.id,
  DisplayName: m.displayName,
  DeviceTag: m.deviceTag,
  PhoneAppVersion: m.phoneAppVersion,
  CreatedDateTime: m.createdDateTime,
});
const AUTHENTICATOR_NEXT = `https://graph.microsoft.com/v1.0/users/${USER_PATH}/authentication/microsoftAuthenticatorMethods?$top=1&$skiptoken=RFNwdAIAAQAAAA`;

const PHONES = [
  {
    phoneNumber: '+1 2065555555',
    phoneType: 'mobile',
    smsSignInState: 'ready',
    id: '3179e48a-750b-4051-897c-87b9720928f7',
  },
  {
    phoneNumber: '+1 2065555556',
    phoneType: 'alternateMobile',
    smsSignInState: 'notSupported',
    id: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  },
];
const phoneContext = (p: (typeof PHONES)[number]) => ({
  ID: p.id,
  PhoneNumber: p.phoneNumber,
  PhoneType: p.phoneType,
  SmsSignInState: p.smsSignInState,
});

const OATH = {
  '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod',
  id: 'b172893e-893e-b172-3e89-72b13e8972b1',
  secretKey: null,
};

const SURFACE = {
  '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  id: 'b5e01f81-1f81-b5e0-811f-e0b5811fe0b5',
  displayName: "Jordan's Surface Book",
  createdDateTime: '2020-11-27T23:12:49Z',
  keyStrength: 'normal',
};
const DUO = {
  '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  id: 'e6dab818-e68d-433e-89d5-547357870cb2',
  displayName: 'New Surface Duo',
  createdDateTime: '2020-12-25T02:20:13Z',
  keyStrength: 'normal',
};
const helloContext = (m: typeof SURFACE) => ({
  ID: m.id,
  DisplayName: m.displayName,
  CreatedDateTime: m.createdDateTime,
  KeyStrength: m.keyStrength,
});

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
const TAP_LIST = {
  '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('071cc716-8147-4397-a5ba-b2105951cc0b')/authentication/temporaryAccessPassMethods`,
  value: [TAP],
};
const TAP_CONTEXT = {
  ID: TAP.id,
  CreatedDateTime: TAP.createdDateTime,
  StartDateTime: TAP.startDateTime,
  LifetimeInMinutes: 60,
  IsUsableOnce: false,
  IsUsable: false,
  MethodUsabilityReason: 'NotYetValid',
};

// --- the seven method families: list ---

const fido2List: CommandSpec = {
  command: 'msgraph-user-fido2-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the FIDO2 keys (creationDateTime reported as CreatedDateTime)',
      args: { user: USER },
      exchanges: [get(authPath('fido2Methods'), { value: [RED_KEY, BLUE_KEY] })],
      expect: {
        humanReadable:
          `### FIDO2 Authentication Methods for User ${USER}:\n` +
          '|Authentication method ID|The display name of the key|Authenticator Attestation GUID|\n' +
          '|---|---|---|\n' +
          '| -2_GRUg2-HYz6_1YG4YRAQ2 | Red key | 2fc0579f-8113-47ea-b116-555a8db9202a |\n' +
          '| _jpuR-TGZgk6aQCLF3BQjA2 | Blue key | c5ef55ff-ad9a-4b9f-b580-ababafe026d0 |\n',
        context: {
          [keyed('MSGraphUser.FIDO2Method')]: [fido2Context(RED_KEY), fido2Context(BLUE_KEY)],
        },
        contents: [RED_KEY, BLUE_KEY],
      },
    },
    {
      name: 'applies limit itself (Graph has no $top for FIDO2 keys; the reference ignored it)',
      args: { user: USER, limit: '1' },
      exchanges: [get(authPath('fido2Methods'), { value: [RED_KEY, BLUE_KEY] })],
      expect: { context: { [keyed('MSGraphUser.FIDO2Method')]: [fido2Context(RED_KEY)] } },
    },
    {
      name: 'gets one key by method_id, unwrapping the documented "value" object',
      args: { user: USER, method_id: RED_KEY.id },
      exchanges: [get(authPath('fido2Methods', RED_KEY.id), { value: RED_KEY })],
      expect: {
        humanReadable:
          `### FIDO2 Authentication Method ${RED_KEY.id} for User ${USER}:\n` +
          '|Authentication method ID|The display name of the key|Authenticator Attestation GUID|\n' +
          '|---|---|---|\n' +
          '| -2_GRUg2-HYz6_1YG4YRAQ2 | Red key | 2fc0579f-8113-47ea-b116-555a8db9202a |\n',
        context: { [keyed('MSGraphUser.FIDO2Method')]: fido2Context(RED_KEY) },
        contents: RED_KEY,
      },
    },
    {
      name: 'encodes the user and the method_id as single path segments',
      args: { user: GUEST, method_id: 'a/b+c' },
      exchanges: [get(authPath('fido2Methods', 'a%2Fb%2Bc', GUEST_PATH), { value: RED_KEY })],
      expect: { contains: ['Red key'] },
    },
    {
      name: 'answers the reference note when the method_id does not exist',
      args: { user: USER, method_id: 'missing-key' },
      exchanges: [
        { ...get(authPath('fido2Methods', 'missing-key'), missingKey('missing-key')), status: 404 },
      ],
      expect: {
        contents: `#### Did not find the method_id missing-key for user ${USER}`,
      },
    },
    {
      name: 'says so when the user has no FIDO2 key',
      args: { user: USER },
      exchanges: [get(authPath('fido2Methods'), { value: [] })],
      expect: { humanReadable: `No FIDO2 authentication methods found for user ${USER}.` },
    },
  ],
};

const emailList: CommandSpec = {
  command: 'msgraph-user-email-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the email methods',
      args: { user: USER },
      exchanges: [get(authPath('emailMethods'), { value: [EMAIL] })],
      expect: {
        humanReadable:
          `### Email Authentication Methods for User ${USER}:\n` +
          '|ID|Email Address|\n|---|---|\n' +
          `| ${EMAIL_ID} | Kim@contoso.com |\n`,
        context: {
          [keyed('MSGraphUser.EmailAuthMethod')]: [
            { ID: EMAIL_ID, EmailAddress: 'Kim@contoso.com' },
          ],
        },
      },
    },
    {
      name: 'reads every page, having no next_page argument (the reference read the first only)',
      args: { user: USER },
      exchanges: [
        get(authPath('emailMethods'), { value: [EMAIL], '@odata.nextLink': EMAIL_NEXT }),
        get(authPath('emailMethods'), { value: [EMAIL_2] }, { query: { $skiptoken: 'RFNwdA' } }),
      ],
      expect: {
        context: {
          [keyed('MSGraphUser.EmailAuthMethod')]: [
            { ID: EMAIL_ID, EmailAddress: 'Kim@contoso.com' },
            { ID: EMAIL_2.id, EmailAddress: EMAIL_2.emailAddress },
          ],
        },
      },
    },
    {
      name: 'gets the method by method_id, unwrapping "value"',
      args: { user: USER, method_id: EMAIL_ID },
      exchanges: [get(authPath('emailMethods', EMAIL_ID), { value: EMAIL })],
      expect: {
        humanReadable:
          `### Email Authentication Method ${EMAIL_ID} for User ${USER}:\n` +
          '|ID|Email Address|\n|---|---|\n' +
          `| ${EMAIL_ID} | Kim@contoso.com |\n`,
        context: {
          [keyed('MSGraphUser.EmailAuthMethod')]: { ID: EMAIL_ID, EmailAddress: 'Kim@contoso.com' },
        },
      },
    },
    {
      name: 'says so when the user has none',
      args: { user: USER },
      exchanges: [get(authPath('emailMethods'), { value: [] })],
      expect: { humanReadable: `No email authentication methods found for user ${USER}.` },
    },
  ],
};

const authenticatorList: CommandSpec = {
  command: 'msgraph-user-authenticator-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the Authenticator registrations, limit 50 as $top',
      args: { user: USER },
      exchanges: [
        get(
          authPath('microsoftAuthenticatorMethods'),
          { value: [IPHONE] },
          { query: { $top: '50' } },
        ),
      ],
      expect: {
        humanReadable:
          `### Microsoft Authenticator Authentication Methods for User ${USER}:\n` +
          '|Authentication method ID|Device Name|Version of the Authenticator app|\n' +
          '|---|---|---|\n' +
          `| ${IPHONE.id} | Sandeep's iPhone | 6.5.4 |\n`,
        context: { [keyed('MSGraphUser.UserAuthMethod')]: [authenticatorContext(IPHONE)] },
      },
    },
    {
      name: 'returns NextPage first in the context and in the war room when Graph has more',
      args: { user: USER, limit: '1' },
      exchanges: [
        get(
          authPath('microsoftAuthenticatorMethods'),
          { value: [IPHONE], '@odata.nextLink': AUTHENTICATOR_NEXT },
          { query: { $top: '1' } },
        ),
      ],
      expect: {
        humanReadable:
          `### Microsoft Authenticator Authentication Methods for User ${USER}:\n` +
          `To get further results, enter this to the next_page argument:\n${AUTHENTICATOR_NEXT}\n` +
          '|Authentication method ID|Device Name|Version of the Authenticator app|\n' +
          '|---|---|---|\n' +
          `| ${IPHONE.id} | Sandeep's iPhone | 6.5.4 |\n`,
        context: {
          [keyed('MSGraphUser.UserAuthMethod')]: [
            { NextPage: AUTHENTICATOR_NEXT },
            authenticatorContext(IPHONE),
          ],
        },
      },
    },
    {
      name: 'fetches the page given as next_page as is',
      args: { user: USER, next_page: AUTHENTICATOR_NEXT },
      exchanges: [
        get(
          authPath('microsoftAuthenticatorMethods'),
          { value: [PIXEL] },
          { query: { $top: '1', $skiptoken: 'RFNwdAIAAQAAAA' } },
        ),
      ],
      expect: { context: { [keyed('MSGraphUser.UserAuthMethod')]: [authenticatorContext(PIXEL)] } },
    },
    {
      name: 'follows every page with all=true',
      args: { user: USER, limit: '1', all: 'true' },
      exchanges: [
        get(
          authPath('microsoftAuthenticatorMethods'),
          { value: [IPHONE], '@odata.nextLink': AUTHENTICATOR_NEXT },
          { query: { $top: '1' } },
        ),
        get(
          authPath('microsoftAuthenticatorMethods'),
          { value: [PIXEL] },
          { query: { $top: '1', $skiptoken: 'RFNwdAIAAQAAAA' } },
        ),
      ],
      expect: {
        context: {
          [keyed('MSGraphUser.UserAuthMethod')]: [
            authenticatorContext(IPHONE),
            authenticatorContext(PIXEL),
          ],
        },
      },
    },
    {
      name: 'gets one registration by method_id, unwrapping "value"',
      args: { user: USER, method_id: IPHONE.id },
      exchanges: [get(authPath('microsoftAuthenticatorMethods', IPHONE.id), { value: IPHONE })],
      expect: {
        context: { [keyed('MSGraphUser.UserAuthMethod')]: authenticatorContext(IPHONE) },
        contents: IPHONE,
      },
    },
  ],
};

const phoneList: CommandSpec = {
  command: 'msgraph-user-phone-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the phones, keyed by ID (the reference used Id)',
      args: { user: USER },
      exchanges: [get(authPath('phoneMethods'), { value: PHONES })],
      expect: {
        humanReadable:
          `### Phone Authentication Methods for User ${USER}:\n` +
          '|Phone ID|Phone Number|Phone Type|Sms SignIn State|\n' +
          '|---|---|---|---|\n' +
          '| 3179e48a-750b-4051-897c-87b9720928f7 | +1 2065555555 | mobile | ready |\n' +
          '| b6332ec1-7057-4abe-9331-3d72feddfe41 | +1 2065555556 | alternateMobile | notSupported |\n',
        context: { [keyed('MSGraphUser.PhoneAuthMethod')]: PHONES.map(phoneContext) },
      },
    },
    {
      name: 'gets one phone by method_id (documented unwrapped)',
      args: { user: USER, method_id: PHONES[0]!.id },
      exchanges: [get(authPath('phoneMethods', PHONES[0]!.id), PHONES[0])],
      expect: { context: { [keyed('MSGraphUser.PhoneAuthMethod')]: phoneContext(PHONES[0]!) } },
    },
  ],
};

const softwareOathList: CommandSpec = {
  command: 'msgraph-user-software-oath-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the software OATH methods without their secretKey',
      args: { user: USER },
      exchanges: [get(authPath('softwareOathMethods'), { value: [OATH] })],
      expect: {
        humanReadable:
          `### Software OATH Authentication Methods for User ${USER}:\n` +
          '|Authentication method ID|\n|---|\n' +
          `| ${OATH.id} |\n`,
        context: { [keyed('MSGraphUser.SoftOathAuthMethod')]: [{ ID: OATH.id }] },
        contents: [{ '@odata.type': OATH['@odata.type'], id: OATH.id }],
      },
    },
    {
      name: 'gets one by method_id, unwrapping "value"',
      args: { user: USER, method_id: OATH.id },
      exchanges: [get(authPath('softwareOathMethods', OATH.id), { value: OATH })],
      expect: { context: { [keyed('MSGraphUser.SoftOathAuthMethod')]: { ID: OATH.id } } },
    },
  ],
};

const windowsHelloList: CommandSpec = {
  command: 'msgraph-user-windows-hello-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the Windows Hello for Business keys',
      args: { user: USER },
      exchanges: [get(authPath('windowsHelloForBusinessMethods'), { value: [SURFACE, DUO] })],
      expect: {
        humanReadable:
          `### Windows Hello for Business Authentication Methods for User ${USER}:\n` +
          '|Windows Hello Method ID|Display Name|Method Key Strength|\n' +
          '|---|---|---|\n' +
          `| ${SURFACE.id} | Jordan's Surface Book | normal |\n` +
          `| ${DUO.id} | New Surface Duo | normal |\n`,
        context: {
          [keyed('MSGraphUser.WindowsHelloAuthMethod')]: [helloContext(SURFACE), helloContext(DUO)],
        },
      },
    },
    {
      name: 'gets one by method_id, unwrapping "value"',
      args: { user: USER, method_id: SURFACE.id },
      exchanges: [get(authPath('windowsHelloForBusinessMethods', SURFACE.id), { value: SURFACE })],
      expect: {
        humanReadable:
          `### Windows Hello for Business Authentication Method ${SURFACE.id} for User ${USER}:\n` +
          '|Windows Hello Method ID|Display Name|Method Key Strength|\n' +
          '|---|---|---|\n' +
          `| ${SURFACE.id} | Jordan's Surface Book | normal |\n`,
        context: { [keyed('MSGraphUser.WindowsHelloAuthMethod')]: helloContext(SURFACE) },
      },
    },
  ],
};

const tempAccessPassList: CommandSpec = {
  command: 'msgraph-user-temp-access-pass-method-list',
  notFound: { note: userNote(USER) },
  cases: [
    {
      name: 'lists the Temporary Access Pass methods',
      args: { user: USER },
      exchanges: [get(authPath('temporaryAccessPassMethods'), TAP_LIST)],
      expect: {
        humanReadable:
          `### Temporary Access Pass Methods for User ${USER}:\n` +
          '|Temporary Access Pass ID|Authentication method state|\n|---|---|\n' +
          `| ${TAP.id} | false |\n`,
        context: { [keyed('MSGraphUser.TempAccessPassAuthMethod')]: [TAP_CONTEXT] },
      },
    },
    {
      name: 'gets one by method_id, with the title typo ("WTemporary") fixed',
      args: { user: USER, method_id: TAP.id },
      exchanges: [get(authPath('temporaryAccessPassMethods', TAP.id), TAP)],
      expect: {
        humanReadable:
          `### Temporary Access Pass Method ${TAP.id} for User ${USER}:\n` +
          '|Temporary Access Pass ID|Authentication method state|\n|---|---|\n' +
          `| ${TAP.id} | false |\n`,
        context: { [keyed('MSGraphUser.TempAccessPassAuthMethod')]: TAP_CONTEXT },
      },
    },
    {
      name: 'names the right kind when empty (the reference said "Windows Hello")',
      args: { user: USER },
      exchanges: [get(authPath('temporaryAccessPassMethods'), { value: [] })],
      expect: {
        humanReadable: `No Temporary Access Pass authentication methods found for user ${USER}.`,
      },
    },
  ],
};

// --- the seven method families: delete ---

function deleteSpec(
  command: string,
  collection: string,
  methodId: string,
  sentence: string,
): CommandSpec {
  const cases: CommandCase[] = [
    {
      name: 'deletes the method (204)',
      args: { user: USER, method_id: methodId },
      exchanges: [{ method: 'DELETE', path: authPath(collection, methodId), status: 204 }],
      expect: { humanReadable: sentence },
    },
    {
      name: 'answers the reference note when the method does not exist',
      args: { user: USER, method_id: methodId },
      exchanges: [
        {
          method: 'DELETE',
          path: authPath(collection, methodId),
          status: 404,
          response: missingKey(methodId),
        },
      ],
      expect: { contents: `#### Did not find the method_id ${methodId} for user ${USER}` },
    },
  ];
  return { command, notFound: { note: userNote(USER) }, cases };
}

const AUTH_ID = IPHONE.id;
const deleteSpecs: CommandSpec[] = [
  deleteSpec(
    'msgraph-user-fido2-method-delete',
    'fido2Methods',
    BLUE_KEY.id,
    `The user's FIDO2 Security Key Authentication Method ${BLUE_KEY.id} has been successfully deleted.`,
  ),
  deleteSpec(
    'msgraph-user-email-method-delete',
    'emailMethods',
    EMAIL_ID,
    `The user's Email Authentication Method object ${EMAIL_ID} has been successfully deleted.`,
  ),
  deleteSpec(
    'msgraph-user-authenticator-method-delete',
    'microsoftAuthenticatorMethods',
    AUTH_ID,
    `Microsoft Authenticator authentication method ${AUTH_ID} was successfully deleted for user ${USER}.`,
  ),
  deleteSpec(
    'msgraph-user-phone-method-delete',
    'phoneMethods',
    PHONES[1]!.id,
    `The user's phone authentication method object id ${PHONES[1]!.id} has been successfully deleted.`,
  ),
  deleteSpec(
    'msgraph-user-software-oath-method-delete',
    'softwareOathMethods',
    OATH.id,
    `The user's Software OATH token authentication method object id ${OATH.id} has been successfully deleted.`,
  ),
  deleteSpec(
    'msgraph-user-windows-hello-method-delete',
    'windowsHelloForBusinessMethods',
    SURFACE.id,
    `The Windows Hello For Business Authentication Method object id ${SURFACE.id} has been successfully deleted.`,
  ),
  // It uses its own `user` argument; the reference read user_id and deleted under users/None.
  deleteSpec(
    'msgraph-user-temp-access-pass-method-delete',
    'temporaryAccessPassMethods',
    TAP.id,
    `The user's Temporary Access Pass Authentication Method object id ${TAP.id} has been successfully deleted.`,
  ),
];
deleteSpecs[0]!.cases.push({
  name: 'encodes a guest UPN and an odd method id',
  args: { user: GUEST, method_id: 'key/1' },
  exchanges: [
    { method: 'DELETE', path: authPath('fido2Methods', 'key%2F1', GUEST_PATH), status: 204 },
  ],
  expect: {
    humanReadable: `The user's FIDO2 Security Key Authentication Method key/1 has been successfully deleted.`,
  },
});

const methodFamilySpecs: CommandSpec[] = [
  fido2List,
  emailList,
  authenticatorList,
  phoneList,
  softwareOathList,
  windowsHelloList,
  tempAccessPassList,
  ...deleteSpecs,
];

export const methodSpecs: CommandSpec[] = [...methodFamilySpecs, ...tapAndMfaSpecs];
