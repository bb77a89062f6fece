/**
 * Instance parameters: the values a user configures, keyed by the manifest's parameter names.
 * They arrive from a params file (YAML or JSON), the environment or the API, are checked against
 * the manifest (unknown names, wrong types, options) and get the manifest's defaults.
 */
import { UsageError } from './errors.js';
import {
  ParamType,
  SECRET_PARAM_TYPES,
  type Manifest,
  type ManifestParam,
} from '../manifest/types.js';

/** A type-9 credential: XSOAR's `{identifier, password}`. */
export interface Credential {
  identifier?: string;
  password?: string;
}

export type ParamValue = string | number | boolean | Credential | string[];
export type InstanceParams = Record<string, ParamValue | undefined>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(
  source: string,
  param: ManifestParam,
  expected: string,
  value: unknown,
): UsageError {
  const shown = SECRET_PARAM_TYPES.includes(param.type) ? '' : ` (got ${JSON.stringify(value)})`;
  return new UsageError(`${source}: parameter "${param.name}" must be ${expected}${shown}.`);
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function coerce(param: ManifestParam, value: unknown, source: string): ParamValue {
  switch (param.type) {
    case ParamType.BOOLEAN: {
      if (typeof value === 'boolean') return value;
      const word = toText(value)?.trim().toLowerCase();
      if (word === 'true' || word === 'false') return word === 'true';
      throw invalid(source, param, 'true or false', value);
    }
    case ParamType.NUMBER: {
      const number = typeof value === 'number' ? value : Number(toText(value));
      if (Number.isFinite(number) && toText(value)?.trim() !== '') return number;
      throw invalid(source, param, 'a number', value);
    }
    case ParamType.AUTH: {
      const text = toText(value);
      if (text !== undefined) return { password: text };
      if (!isPlainObject(value)) {
        throw invalid(source, param, 'a string or {identifier, password}', value);
      }
      const extra = Object.keys(value).filter((k) => k !== 'identifier' && k !== 'password');
      if (extra.length > 0) {
        throw invalid(source, param, 'an object with only identifier and password', extra);
      }
      const identifier = value.identifier === undefined ? undefined : toText(value.identifier);
      const password = value.password === undefined ? undefined : toText(value.password);
      if (
        (value.identifier !== undefined && identifier === undefined) ||
        (value.password !== undefined && password === undefined)
      ) {
        throw invalid(
          source,
          param,
          'an object whose identifier and password are strings',
          '{...}',
        );
      }
      return { identifier, password };
    }
    case ParamType.SINGLE_SELECT: {
      const text = toText(value);
      if (text !== undefined && param.options?.includes(text)) return text;
      throw invalid(source, param, `one of: ${param.options?.join(', ')}`, value);
    }
    case ParamType.MULTI_SELECT: {
      const list = Array.isArray(value)
        ? value.map(toText)
        : toText(value)
            ?.split(',')
            .map((s) => s.trim());
      if (
        list &&
        list.every((v): v is string => v !== undefined && (param.options ?? []).includes(v))
      ) {
        return list;
      }
      throw invalid(source, param, `a list of: ${param.options?.join(', ')}`, value);
    }
    default: {
      const text = toText(value);
      if (text !== undefined) return text;
      throw invalid(source, param, 'text', SECRET_PARAM_TYPES.includes(param.type) ? '' : value);
    }
  }
}

/**
 * Validates raw parameters (`source` names where they came from, for messages) and returns them
 * typed, with manifest defaults applied to the ones left out.
 */
export function parseInstanceParams(
  raw: unknown,
  manifest: Manifest,
  source = 'params',
): InstanceParams {
  if (raw === undefined || raw === null) raw = {};
  if (!isPlainObject(raw)) {
    throw new UsageError(`${source}: expected a mapping of parameter names to values.`);
  }
  const byName = new Map(manifest.configuration.map((p) => [p.name, p]));
  const params: InstanceParams = {};
  for (const [name, value] of Object.entries(raw)) {
    const param = byName.get(name);
    if (!param) {
      const valid = manifest.configuration.filter((p) => !p.hidden).map((p) => p.name);
      throw new UsageError(
        `${source}: unknown parameter "${name}". Valid parameters: ${valid.join(', ')}.`,
      );
    }
    if (value === null || value === undefined || value === '') continue;
    params[name] = coerce(param, value, source);
  }
  for (const param of manifest.configuration) {
    if (
      params[param.name] === undefined &&
      param.defaultvalue !== undefined &&
      param.defaultvalue !== ''
    ) {
      params[param.name] = coerce(param, param.defaultvalue, `${source} (manifest default)`);
    }
  }
  return params;
}

/** Every secret-typed parameter value (types 4, 9 and 14; both halves of a credential). */
export function secretParamValues(params: InstanceParams, manifest: Manifest): string[] {
  const values: string[] = [];
  for (const param of manifest.configuration) {
    if (!SECRET_PARAM_TYPES.includes(param.type)) continue;
    const value = params[param.name];
    if (typeof value === 'string') values.push(value);
    else if (isPlainObject(value)) {
      const credential = value as Credential;
      if (credential.password) values.push(credential.password);
      if (credential.identifier) values.push(credential.identifier);
    }
  }
  return values;
}

/** A text parameter's value ('' when unset). */
export function textParam(params: InstanceParams, name: string): string {
  const value = params[name];
  return typeof value === 'string' ? value.trim() : '';
}

export function boolParam(params: InstanceParams, name: string): boolean {
  return params[name] === true;
}

/** The password half of a credential parameter, falling back to its hidden legacy field. */
export function credentialSecret(params: InstanceParams, name: string, legacy?: string): string {
  const value = params[name];
  const fromCredential = isPlainObject(value) ? (value as Credential).password?.trim() : undefined;
  return fromCredential || (legacy ? textParam(params, legacy) : '');
}

/** The identifier half of a credential parameter, falling back to its hidden legacy field. */
export function credentialIdentifier(
  params: InstanceParams,
  name: string,
  legacy?: string,
): string {
  const value = params[name];
  const fromCredential = isPlainObject(value)
    ? (value as Credential).identifier?.trim()
    : undefined;
  return fromCredential || (legacy ? textParam(params, legacy) : '');
}
