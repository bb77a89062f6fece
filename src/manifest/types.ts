/**
 * The integration manifest (integration.yml), in Cortex XSOAR integration YAML format plus a few
 * `x-` extension keys that our runtime enforces (documented in the README and in schema.ts).
 */

/** XSOAR parameter type codes (anchor-xsoar-runtime.md §1.3). */
export const ParamType = {
  STRING: 0,
  NUMBER: 1,
  ENCRYPTED: 4,
  BOOLEAN: 8,
  AUTH: 9,
  TEXT_AREA: 12,
  TEXT_AREA_ENCRYPTED: 14,
  SINGLE_SELECT: 15,
  MULTI_SELECT: 16,
} as const;

/** Parameter types whose values are secrets: never printed, always redacted. */
export const SECRET_PARAM_TYPES: readonly number[] = [
  ParamType.ENCRYPTED,
  ParamType.AUTH,
  ParamType.TEXT_AREA_ENCRYPTED,
];

export interface ManifestParam {
  name: string;
  type: number;
  display?: string;
  displaypassword?: string;
  required?: boolean;
  defaultvalue?: string | number | boolean;
  options?: string[];
  additionalinfo?: string;
  hidden?: boolean | string[];
  hiddenusername?: boolean;
  hiddenpassword?: boolean;
  section?: string;
  advanced?: boolean;
}

export type ArgumentType = 'string' | 'number' | 'integer' | 'boolean';

/**
 * What running a command can do, lowest risk first: `read` changes nothing; `write` changes the
 * directory or the instance in a way that is easy to undo; `destructive` removes access or data
 * (disable, delete, revoke); `credential` creates or changes a credential (passwords, Temporary
 * Access Passes, MFA secrets). The engine's access policy and MCP annotations come from it.
 */
export const COMMAND_CLASSES = ['read', 'write', 'destructive', 'credential'] as const;
export type CommandClass = (typeof COMMAND_CLASSES)[number];

export interface ManifestArgument {
  name: string;
  description: string;
  required?: boolean;
  default?: boolean;
  isArray?: boolean;
  secret?: boolean;
  auto?: 'PREDEFINED';
  predefined?: string[];
  defaultValue?: string | number | boolean;
  deprecated?: boolean;
  hidden?: boolean;
  prettyname?: string;
  type?: ArgumentType;
  /** Inclusive bounds of a number argument. */
  'x-minimum'?: number;
  'x-maximum'?: number;
  /** The argument accepts a comma-separated list; the command runs once per value, via $batch. */
  'x-bulk'?: boolean;
}

export interface ManifestOutput {
  contextPath: string;
  description?: string;
  type?: 'String' | 'Number' | 'Date' | 'Boolean' | 'Unknown';
}

export interface ManifestCommand {
  name: string;
  description: string;
  arguments?: ManifestArgument[];
  outputs?: ManifestOutput[];
  execution?: boolean;
  deprecated?: boolean;
  hidden?: boolean;
  polling?: boolean;
  timeout?: number;
  prettyname?: string;
  quickaction?: boolean;
  compliantpolicies?: string[];
  /** Works only with delegated permissions: refused unless the authorization-code flow is set up. */
  'x-delegated-only'?: boolean;
  /** Runs only when this boolean instance parameter is true. */
  'x-requires-param'?: string;
  /** What running it can do (see COMMAND_CLASSES); every command of integration.yml has one. */
  'x-class'?: CommandClass;
}

export interface Manifest {
  commonfields: { id: string; version: number };
  name: string;
  display: string;
  category: string;
  description: string;
  detaileddescription?: string;
  sectionorder?: string[];
  configuration: ManifestParam[];
  script: {
    script: string;
    type: 'python' | 'javascript' | 'powershell';
    subtype?: string;
    dockerimage?: string;
    isfetch?: boolean;
    commands: ManifestCommand[];
  };
  fromversion?: string;
  toversion?: string;
  tests?: string[];
}
