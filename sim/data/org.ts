import { isoSeconds } from '../clock.js';
import type { JsonObject } from '../types.js';
import type { Directory } from './directory.js';
import { stableGuid } from './ids.js';
import { NAMED_USERS, namedUserId, proceduralUserId } from './people.js';
import { SEED_EPOCH, TENANT } from './tenant.js';

/** Procedural users 1..9 report to this named manager; user k manages users 10k..10k+9. */
const PROCEDURAL_ROOT_MANAGER = 'adele';

/**
 * Manager/direct-report relationships: a generated tree plus the assignments made through
 * PUT /users/{id}/manager/$ref, which override it.
 */
export class OrgChart {
  private readonly overrides = new Map<string, string>();
  private readonly addedReports = new Map<string, Set<string>>();

  constructor(private readonly directory: Directory) {}

  private baseManagerOf(userId: string): string | undefined {
    const key = this.directory.namedKeyOf(userId);
    if (key !== undefined) {
      const managerKey = NAMED_USERS.find((seed) => seed.key === key)?.managerKey;
      return managerKey ? namedUserId(managerKey) : undefined;
    }
    const n = this.directory.proceduralIndexOf(userId);
    if (n === undefined) return undefined;
    return n < 10 ? namedUserId(PROCEDURAL_ROOT_MANAGER) : proceduralUserId(Math.floor(n / 10));
  }

  /** The live manager of a user, if any. */
  managerOf(userId: string): JsonObject | undefined {
    const managerId = this.overrides.get(userId) ?? this.baseManagerOf(userId);
    return managerId ? this.directory.resolve(managerId) : undefined;
  }

  assignManager(userId: string, managerId: string): void {
    const previous = this.overrides.get(userId) ?? this.baseManagerOf(userId);
    if (previous) this.addedReports.get(previous)?.delete(userId);
    this.overrides.set(userId, managerId);
    const reports = this.addedReports.get(managerId) ?? new Set<string>();
    reports.add(userId);
    this.addedReports.set(managerId, reports);
  }

  /** DELETE /users/{id}/manager/$ref: the user has no manager from now on. */
  removeManager(userId: string): void {
    const previous = this.overrides.get(userId) ?? this.baseManagerOf(userId);
    if (previous) this.addedReports.get(previous)?.delete(userId);
    // An empty override means "no manager" and also hides the generated relationship.
    this.overrides.set(userId, '');
  }

  /** Live direct reports of a manager, generated ones first. */
  directReportsOf(managerId: string): JsonObject[] {
    const ids: string[] = [];
    const key = this.directory.namedKeyOf(managerId);
    if (key !== undefined) {
      for (const seed of NAMED_USERS) if (seed.managerKey === key) ids.push(namedUserId(seed.key));
      if (key === PROCEDURAL_ROOT_MANAGER) {
        for (let n = 1; n < 10 && n <= this.directory.proceduralCount; n++) {
          ids.push(proceduralUserId(n));
        }
      }
    }
    const k = this.directory.proceduralIndexOf(managerId);
    if (k !== undefined) {
      for (let n = 10 * k; n < 10 * k + 10 && n <= this.directory.proceduralCount; n++) {
        ids.push(proceduralUserId(n));
      }
    }
    const result: JsonObject[] = [];
    const seen = new Set<string>();
    for (const id of [...ids, ...(this.addedReports.get(managerId) ?? [])]) {
      const override = this.overrides.get(id);
      if (seen.has(id) || (override !== undefined && override !== managerId)) continue;
      seen.add(id);
      const user = this.directory.resolve(id);
      if (user) result.push(user);
    }
    return result;
  }
}

interface GroupSeed {
  key: string;
  displayName: string;
  description: string;
  unified: boolean;
  /** Named members; procedural members are decided by `includes`. */
  named: string[];
  includes: (n: number) => boolean;
}

const GROUP_SEEDS: GroupSeed[] = [
  {
    key: 'all',
    displayName: 'All Company',
    description: 'Everyone in the company',
    unified: true,
    named: NAMED_USERS.map((u) => u.key),
    includes: () => true,
  },
  {
    key: 'finance',
    displayName: 'Finance',
    description: 'Finance department',
    unified: true,
    named: ['sara', 'adele', 'grady'],
    includes: () => false,
  },
  {
    key: 'sales',
    displayName: 'Sales and Marketing',
    description: 'Sales and marketing teams',
    unified: true,
    named: ['disabled', 'apostrophe'],
    includes: (n) => n % 2 === 1,
  },
  {
    key: 'engineering',
    displayName: 'Engineering',
    description: 'Engineering security group',
    unified: false,
    named: ['kim'],
    includes: (n) => n % 2 === 0,
  },
  {
    key: 'helpdesk',
    displayName: 'Helpdesk Admins',
    description: 'Helpdesk administrators',
    unified: false,
    named: ['admin', 'kim'],
    includes: () => false,
  },
];

interface RoleSeed {
  key: string;
  displayName: string;
  description: string;
  roleTemplateId: string;
  named: string[];
}

const ROLE_SEEDS: RoleSeed[] = [
  {
    key: 'global-admin',
    displayName: 'Global Administrator',
    description:
      'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
    named: ['admin'],
  },
  {
    key: 'auth-admin',
    displayName: 'Authentication Administrator',
    description:
      'Can access to view, set and reset authentication method information for any non-admin user.',
    roleTemplateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    named: ['kim'],
  },
];

function groupObject(seed: GroupSeed): JsonObject {
  const nickname = seed.displayName.replace(/[^A-Za-z]/g, '');
  return {
    '@odata.type': '#microsoft.graph.group',
    id: stableGuid(`group:${seed.key}`),
    deletedDateTime: null,
    classification: null,
    createdDateTime: isoSeconds(SEED_EPOCH - 400 * 86_400_000),
    creationOptions: [],
    description: seed.description,
    displayName: seed.displayName,
    expirationDateTime: null,
    groupTypes: seed.unified ? ['Unified'] : [],
    isAssignableToRole: null,
    mail: seed.unified ? `${nickname}@${TENANT.domain}` : null,
    mailEnabled: seed.unified,
    mailNickname: nickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesSyncEnabled: null,
    proxyAddresses: seed.unified ? [`SMTP:${nickname}@${TENANT.domain}`] : [],
    renewedDateTime: isoSeconds(SEED_EPOCH - 400 * 86_400_000),
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: !seed.unified || seed.key === 'all',
    securityIdentifier: `S-1-12-1-${seed.key.length * 1234567}`,
    visibility: seed.unified ? 'Public' : null,
  };
}

function roleObject(seed: RoleSeed): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.directoryRole',
    id: stableGuid(`role:${seed.key}`),
    deletedDateTime: null,
    description: seed.description,
    displayName: seed.displayName,
    roleTemplateId: seed.roleTemplateId,
  };
}

/** Direct group and directory-role memberships of a user. */
export function memberOf(directory: Directory, userId: string): JsonObject[] {
  const key = directory.namedKeyOf(userId);
  const n = directory.proceduralIndexOf(userId);
  const member = (named: string[], includes: (n: number) => boolean): boolean =>
    key !== undefined ? named.includes(key) : n !== undefined ? includes(n) : false;
  const groups = GROUP_SEEDS.filter((g) => g.key === 'all' || member(g.named, g.includes));
  const roles = ROLE_SEEDS.filter((r) => member(r.named, () => false));
  return [...roles.map(roleObject), ...groups.map(groupObject)];
}

const DEVICE_MODELS: [string, string, string, string][] = [
  ['Windows', '10.0.22631.3880', 'Microsoft Corporation', 'Surface Laptop 5'],
  ['iOS', '17.5.1', 'Apple', 'iPhone 15'],
  ['Android', '14.0', 'Samsung', 'Galaxy S24'],
  ['MacMDM', '14.5', 'Apple', 'MacBook Pro'],
];

const NAMED_DEVICES: Record<string, number[]> = {
  admin: [0],
  kim: [0, 1, 2],
  adele: [3],
  sara: [0, 1],
};

/** Devices registered to (owned by) a user. */
export function ownedDevices(directory: Directory, user: JsonObject): JsonObject[] {
  const userId = String(user.id);
  const key = directory.namedKeyOf(userId);
  const n = directory.proceduralIndexOf(userId);
  const models =
    key !== undefined ? (NAMED_DEVICES[key] ?? []) : n !== undefined && n % 4 === 0 ? [n % 3] : [];
  const owner = String(user.mailNickname ?? 'user');
  return models.map((model, i) => {
    const [os, version, manufacturer, modelName] = DEVICE_MODELS[model] as [
      string,
      string,
      string,
      string,
    ];
    const registered = isoSeconds(SEED_EPOCH + (i + 1) * 3_600_000);
    return {
      '@odata.type': '#microsoft.graph.device',
      id: stableGuid(`device:${userId}`, i),
      deletedDateTime: null,
      accountEnabled: true,
      alternativeSecurityIds: [{ type: 2, identityProvider: null, key: 'WAA1ADAAOQA=' }],
      approximateLastSignInDateTime: registered,
      complianceExpirationDateTime: null,
      createdDateTime: registered,
      deviceCategory: null,
      deviceId: stableGuid(`device-id:${userId}`, i),
      deviceMetadata: null,
      deviceOwnership: 'Company',
      deviceVersion: 2,
      displayName: `${owner.toUpperCase()}-${os.toUpperCase()}-${i + 1}`,
      enrollmentProfileName: null,
      enrollmentType: os === 'Windows' ? 'AzureDomainJoined' : 'UserEnrollment',
      isCompliant: i % 2 === 0,
      isManaged: true,
      isRooted: false,
      managementType: 'MDM',
      manufacturer,
      mdmAppId: '0000000a-0000-0000-c000-000000000000',
      model: modelName,
      onPremisesLastSyncDateTime: null,
      onPremisesSyncEnabled: null,
      operatingSystem: os,
      operatingSystemVersion: version,
      physicalIds: [`[USER-GID]:${userId}:${i}`],
      profileType: 'RegisteredDevice',
      registrationDateTime: registered,
      systemLabels: [],
      trustType: os === 'Windows' ? 'AzureAd' : 'Workplace',
    };
  });
}
