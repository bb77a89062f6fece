import { isoSeconds } from '../clock.js';
import type { JsonObject } from '../types.js';
import type { Directory } from './directory.js';
import { hashText, stableGuid } from './ids.js';
import { SEED_EPOCH } from './tenant.js';

export type MethodKind =
  | 'password'
  | 'email'
  | 'fido2'
  | 'microsoftAuthenticator'
  | 'phone'
  | 'softwareOath'
  | 'windowsHelloForBusiness'
  | 'temporaryAccessPass';

/** The URL segment of each kind ("fido2Methods") and its OData type. */
export const METHOD_KINDS: Record<MethodKind, { segment: string; odataType: string }> = {
  password: {
    segment: 'passwordMethods',
    odataType: '#microsoft.graph.passwordAuthenticationMethod',
  },
  email: { segment: 'emailMethods', odataType: '#microsoft.graph.emailAuthenticationMethod' },
  fido2: { segment: 'fido2Methods', odataType: '#microsoft.graph.fido2AuthenticationMethod' },
  microsoftAuthenticator: {
    segment: 'microsoftAuthenticatorMethods',
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  },
  phone: { segment: 'phoneMethods', odataType: '#microsoft.graph.phoneAuthenticationMethod' },
  softwareOath: {
    segment: 'softwareOathMethods',
    odataType: '#microsoft.graph.softwareOathAuthenticationMethod',
  },
  windowsHelloForBusiness: {
    segment: 'windowsHelloForBusinessMethods',
    odataType: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  },
  temporaryAccessPass: {
    segment: 'temporaryAccessPassMethods',
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  },
};

/** Ids Graph documents as fixed: one password and one email method per user, phones by type. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
export const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
export const PHONE_METHOD_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
} as const;

export interface StoredMethod {
  kind: MethodKind;
  /** Properties as Graph returns them, without @odata.type. */
  data: JsonObject;
}

/** FIDO2 and Windows Hello ids are base64url key handles in Graph, not GUIDs. */
function keyHandleId(seed: string): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) bytes.writeUInt32BE(hashText(`${seed}:${i}`), i * 4);
  return bytes.toString('base64url') + '2';
}

const dated = (days: number): string => isoSeconds(SEED_EPOCH + days * 86_400_000);

function phone(type: keyof typeof PHONE_METHOD_IDS, number: string): StoredMethod {
  return {
    kind: 'phone',
    data: {
      id: PHONE_METHOD_IDS[type],
      phoneNumber: number,
      phoneType: type,
      smsSignInState: type === 'mobile' ? 'ready' : 'notSupported',
    },
  };
}

function authenticator(userId: string, i: number, name: string): StoredMethod {
  return {
    kind: 'microsoftAuthenticator',
    data: {
      id: stableGuid(`authenticator:${userId}`, i),
      displayName: name,
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: `6.2401.${100 + i}`,
      createdDateTime: dated(10 + i),
    },
  };
}

function fullSet(userId: string, createdDateTime: string): StoredMethod[] {
  return [
    { kind: 'password', data: { id: PASSWORD_METHOD_ID, password: null, createdDateTime } },
    { kind: 'email', data: { id: EMAIL_METHOD_ID, emailAddress: 'kim.akers@fabrikam.com' } },
    ...['Red key', 'Blue key'].map((name, i) => ({
      kind: 'fido2' as const,
      data: {
        id: keyHandleId(`fido2:${userId}:${i}`),
        displayName: name,
        createdDateTime: dated(20 + i),
        aaGuid: stableGuid('aaguid', i),
        model: i === 0 ? 'NFC key' : 'USB key',
        attestationCertificates: [hashText(`att:${i}`).toString(16).padStart(8, '0').repeat(5)],
        attestationLevel: 'attested',
      },
    })),
    authenticator(userId, 0, "Kim's iPhone"),
    authenticator(userId, 1, "Kim's Pixel"),
    authenticator(userId, 2, "Kim's iPad"),
    phone('mobile', '+1 2065555555'),
    phone('alternateMobile', '+1 2065555556'),
    phone('office', '+1 2065555557'),
    { kind: 'softwareOath', data: { id: stableGuid(`oath:${userId}`), secretKey: null } },
    ...["Kim's Surface Book", "Kim's Surface Duo"].map((name, i) => ({
      kind: 'windowsHelloForBusiness' as const,
      data: {
        id: keyHandleId(`whfb:${userId}:${i}`),
        displayName: name,
        createdDateTime: dated(30 + i),
        keyStrength: 'normal',
      },
    })),
    {
      kind: 'temporaryAccessPass',
      data: {
        id: stableGuid(`tap:${userId}`),
        temporaryAccessPass: null,
        createdDateTime: dated(40),
        startDateTime: dated(40),
        lifetimeInMinutes: 60,
        isUsableOnce: false,
      },
    },
  ];
}

/**
 * Authentication methods per user: seeded from the user's identity on first use, then kept in
 * memory once a method is added or deleted. Also holds the default-method preference.
 */
export class AuthMethodStore {
  private readonly materialized = new Map<string, StoredMethod[]>();
  private readonly preferences = new Map<string, string | null>();

  constructor(private readonly directory: Directory) {}

  private seed(user: JsonObject): StoredMethod[] {
    const id = String(user.id);
    const created = String(user.createdDateTime);
    const password: StoredMethod = {
      kind: 'password',
      data: { id: PASSWORD_METHOD_ID, password: null, createdDateTime: created },
    };
    const key = this.directory.namedKeyOf(id);
    if (key === 'kim') return fullSet(id, created);
    const methods = [password];
    const n = this.directory.proceduralIndexOf(id);
    const mobile =
      typeof user.mobilePhone === 'string'
        ? user.mobilePhone.replace(/ (\d{3}) (\d{3}) /, ' $1$2')
        : null;
    if (key !== undefined) {
      if (mobile) methods.push(phone('mobile', mobile));
      if (['admin', 'patti', 'sara'].includes(key)) {
        methods.push(authenticator(id, 0, `${String(user.givenName)}'s iPhone`));
      }
    } else if (n !== undefined) {
      if (n % 2 === 0 && mobile) methods.push(phone('mobile', mobile));
      if (n % 3 === 0) methods.push(authenticator(id, 0, `${String(user.givenName)}'s phone`));
    }
    return methods;
  }

  list(user: JsonObject): StoredMethod[] {
    return this.materialized.get(String(user.id)) ?? this.seed(user);
  }

  private edit(user: JsonObject): StoredMethod[] {
    const id = String(user.id);
    let methods = this.materialized.get(id);
    if (!methods) {
      methods = this.seed(user);
      this.materialized.set(id, methods);
    }
    return methods;
  }

  add(user: JsonObject, method: StoredMethod): void {
    this.edit(user).push(method);
  }

  remove(user: JsonObject, kind: MethodKind, methodId: string): void {
    const methods = this.edit(user);
    const index = methods.findIndex((m) => m.kind === kind && m.data.id === methodId);
    if (index >= 0) methods.splice(index, 1);
  }

  /** The user's preferred second factor: explicit preference, else derived from the methods. */
  preferredMethod(user: JsonObject): string | null {
    const explicit = this.preferences.get(String(user.id));
    if (explicit !== undefined) return explicit;
    const methods = this.list(user);
    if (methods.some((m) => m.kind === 'microsoftAuthenticator')) return 'push';
    if (methods.some((m) => m.kind === 'phone' && m.data.phoneType === 'mobile')) return 'sms';
    return null;
  }

  setPreferredMethod(user: JsonObject, method: string | null): void {
    this.preferences.set(String(user.id), method);
  }
}
