/**
 * API keys and what each may do. A key is kept only as its SHA-256: the keys file holds hashes,
 * and the keys from MSGRAPH_USER_API_KEYS are hashed at start-up. A presented key is hashed and
 * compared with every stored hash in constant time, so neither the comparison nor the position of
 * the match says anything about a key.
 *
 *   keys:                                  # --api-keys FILE (YAML or JSON)
 *     - name: soc-portal                   # shown in the access log instead of the key
 *       sha256: 9f86d081884c7d65…           # printf %s "$KEY" | sha256sum
 *       instances: ['*']                   # or instance names
 *       classes: [read, write, destructive]
 */
import { Ajv } from 'ajv';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UsageError } from '../base/errors.js';
import { COMMAND_CLASSES, type CommandClass } from '../manifest/types.js';

export interface Grant {
  /** The key's name, for logs. */
  name: string;
  /** Instance names, or '*' for every instance. */
  instances: readonly string[];
  classes: readonly CommandClass[];
}

export interface StoredKey {
  sha256: Buffer;
  grant: Grant;
}

export interface KeyRing {
  /** The grant of a presented key, or undefined when no stored key matches. */
  find(presented: string): Grant | undefined;
  readonly size: number;
}

/** Shorter keys are refused: an API key must be random and long, not a password. */
export const MIN_KEY_LENGTH = 16;
/** What MSGRAPH_USER_API_KEYS grants: ordinary commands, on every instance. */
export const ENVIRONMENT_GRANT = { instances: ['*'], classes: ['read', 'write'] } as const;

export const hashKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

export function keyRing(keys: readonly StoredKey[]): KeyRing {
  return {
    size: keys.length,
    find(presented) {
      const hash = hashKey(presented);
      let match: Grant | undefined;
      for (const key of keys) {
        if (timingSafeEqual(hash, key.sha256)) match ??= key.grant;
      }
      return match;
    },
  };
}

/** The keys of MSGRAPH_USER_API_KEYS (comma-separated), each granted ENVIRONMENT_GRANT. */
export function environmentKeys(value: string | undefined): StoredKey[] {
  const keys = (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return keys.map((key, index) => {
    if (key.length < MIN_KEY_LENGTH) {
      throw new UsageError(
        `MSGRAPH_USER_API_KEYS: key ${index + 1} is shorter than ${MIN_KEY_LENGTH} characters. Use random keys, e.g. from "openssl rand -hex 32".`,
      );
    }
    return {
      sha256: hashKey(key),
      grant: { name: `env-${index + 1}`, ...ENVIRONMENT_GRANT },
    };
  });
}

const keysFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'sha256', 'instances', 'classes'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
          sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          instances: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          classes: { type: 'array', items: { type: 'string', enum: [...COMMAND_CLASSES] } },
        },
      },
    },
  },
} as const;

interface KeysFile {
  keys: { name: string; sha256: string; instances: string[]; classes: CommandClass[] }[];
}

/** The keys of an --api-keys file, checked against the instances the engine serves. */
export function parseKeysFile(data: unknown, origin: string, instances: string[]): StoredKey[] {
  const validate = new Ajv({ allErrors: true }).compile<KeysFile>(keysFileSchema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(
      (e) => `${e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the file'} ${e.message}`,
    );
    throw new UsageError(`The API keys file ${origin} is not valid: ${problems.join('; ')}.`);
  }
  const seen = new Set<string>();
  return data.keys.map((entry) => {
    const hash = entry.sha256.toLowerCase();
    if (seen.has(hash) || seen.has(entry.name)) {
      throw new UsageError(
        `The API keys file ${origin} lists key "${entry.name}" (or its hash) twice.`,
      );
    }
    seen.add(hash).add(entry.name);
    const unknown = entry.instances.filter((i) => i !== '*' && !instances.includes(i));
    if (unknown.length > 0) {
      throw new UsageError(
        `The API keys file ${origin}: key "${entry.name}" names unknown instances (${unknown.join(', ')}). Instances: ${instances.join(', ')}.`,
      );
    }
    return {
      sha256: Buffer.from(hash, 'hex'),
      grant: { name: entry.name, instances: entry.instances, classes: entry.classes },
    };
  });
}
