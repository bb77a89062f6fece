/**
 * The seven authentication-method families behind the `msgraph-user-*-method-list` and
 * `msgraph-user-*-method-delete` commands, as data: one row drives both commands of a family.
 * Titles, columns and sentences are the reference integration's (anchor-msgraph-user.md §2.4),
 * with its typos fixed ("WTemporary ...", and the Temporary Access Pass list reporting "No Windows
 * Hello ..." when empty).
 */
export interface MethodFamily {
  /** The Graph collection under `users/{user}/authentication/`. */
  collection: string;
  /** Table title: `{title}s for User {user}:`, or `{title} {method_id} for User {user}:`. */
  title: string;
  /** As in `No {noun} authentication methods found for user {user}.` */
  noun: string;
  /** War-room columns in order, Graph property -> header (the reference's field mapping). */
  columns: Readonly<Record<string, string>>;
  /** `limit` goes to Graph as $top; otherwise (no $top on that collection) the list is cut here. */
  top?: boolean;
  /** The delete command's sentence. */
  deleted(methodId: string, user: string): string;
}

export const METHOD_FAMILIES = {
  // `limit` is applied here: Graph has no $top on FIDO2 keys (the reference ignored it).
  fido2: {
    collection: 'fido2Methods',
    title: 'FIDO2 Authentication Method',
    noun: 'FIDO2',
    columns: {
      id: 'Authentication method ID',
      displayName: 'The display name of the key',
      aaGuid: 'Authenticator Attestation GUID',
    },
    deleted: (id) =>
      `The user's FIDO2 Security Key Authentication Method ${id} has been successfully deleted.`,
  },
  email: {
    collection: 'emailMethods',
    title: 'Email Authentication Method',
    noun: 'email',
    columns: { id: 'ID', emailAddress: 'Email Address' },
    deleted: (id) =>
      `The user's Email Authentication Method object ${id} has been successfully deleted.`,
  },
  authenticator: {
    collection: 'microsoftAuthenticatorMethods',
    title: 'Microsoft Authenticator Authentication Method',
    noun: 'Microsoft Authenticator',
    columns: {
      id: 'Authentication method ID',
      displayName: 'Device Name',
      phoneAppVersion: 'Version of the Authenticator app',
    },
    top: true,
    deleted: (id, user) =>
      `Microsoft Authenticator authentication method ${id} was successfully deleted for user ${user}.`,
  },
  phone: {
    collection: 'phoneMethods',
    title: 'Phone Authentication Method',
    noun: 'phone',
    columns: {
      id: 'Phone ID',
      phoneNumber: 'Phone Number',
      phoneType: 'Phone Type',
      smsSignInState: 'Sms SignIn State',
    },
    deleted: (id) =>
      `The user's phone authentication method object id ${id} has been successfully deleted.`,
  },
  'software-oath': {
    collection: 'softwareOathMethods',
    title: 'Software OATH Authentication Method',
    noun: 'software OATH',
    columns: { id: 'Authentication method ID' },
    deleted: (id) =>
      `The user's Software OATH token authentication method object id ${id} has been successfully deleted.`,
  },
  'windows-hello': {
    collection: 'windowsHelloForBusinessMethods',
    title: 'Windows Hello for Business Authentication Method',
    noun: 'Windows Hello for Business',
    columns: {
      id: 'Windows Hello Method ID',
      displayName: 'Display Name',
      keyStrength: 'Method Key Strength',
    },
    deleted: (id) =>
      `The Windows Hello For Business Authentication Method object id ${id} has been successfully deleted.`,
  },
  // The delete command reads its own `user` argument; the reference routed it to
  // tap-policy-delete, which read `user_id` and so deleted under users/None.
  'temp-access-pass': {
    collection: 'temporaryAccessPassMethods',
    title: 'Temporary Access Pass Method',
    noun: 'Temporary Access Pass',
    columns: { id: 'Temporary Access Pass ID', isUsable: 'Authentication method state' },
    deleted: (id) =>
      `The user's Temporary Access Pass Authentication Method object id ${id} has been successfully deleted.`,
  },
} as const satisfies Record<string, MethodFamily>;
