import { USER_SCHEMA } from '../data/schema.js';
import { TENANT } from '../data/tenant.js';
import type { Json, JsonObject } from '../types.js';
import { isJsonObject } from '../types.js';
import { graphErrors } from './errors.js';

const invalidValue = (prop: string) =>
  graphErrors.badRequest(`Invalid value specified for property '${prop}' of resource 'User'.`);

function typeMatches(type: string, value: Json): boolean {
  if (value === null) return true;
  switch (type) {
    case 'string':
    case 'dateTime':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'stringArray':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'objectArray':
      return Array.isArray(value) && value.every((v) => isJsonObject(v));
    default:
      return isJsonObject(value);
  }
}

/** Entra's default complexity rule: 8-256 characters, three of four character classes. */
export function checkPasswordComplexity(password: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) =>
    r.test(password),
  ).length;
  if (password.length < 8 || password.length > 256 || classes < 3) {
    throw graphErrors.badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  }
}

const PASSWORD_PROFILE_PROPS: Record<string, string> = {
  password: 'string',
  forceChangePasswordNextSignIn: 'boolean',
  forceChangePasswordNextSignInWithMfa: 'boolean',
};

function checkPasswordProfile(value: Json): void {
  if (!isJsonObject(value)) throw invalidValue('passwordProfile');
  for (const [key, inner] of Object.entries(value)) {
    const type = PASSWORD_PROFILE_PROPS[key];
    if (!type || !typeMatches(type, inner)) throw invalidValue('passwordProfile');
  }
  if (typeof value.password === 'string') checkPasswordComplexity(value.password);
}

function checkUpn(upn: string): void {
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1);
  if (
    at <= 0 ||
    !/^[A-Za-z0-9'.\-_!#^~]+$/.test(local) ||
    local.startsWith('.') ||
    local.endsWith('.')
  ) {
    throw invalidValue('userPrincipalName');
  }
  if (domain.toLowerCase() !== TENANT.domain) {
    throw graphErrors.badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
}

/**
 * Validates a POST/PATCH body against the user schema: unknown or read-only properties and
 * values of the wrong JSON type (e.g. accountEnabled sent as the string "false") are 400s.
 */
export function validateUserBody(body: JsonObject, mode: 'create' | 'update'): void {
  for (const [prop, value] of Object.entries(body)) {
    if (prop.startsWith('@odata.')) continue;
    const spec = USER_SCHEMA.props[prop];
    if (!spec) {
      throw graphErrors.badRequest(
        `Property '${prop}' does not exist as a declared property or extension property.`,
      );
    }
    if (!spec.writable) {
      throw graphErrors.badRequest(`Property '${prop}' is read-only and cannot be set.`);
    }
    if (!typeMatches(spec.type, value)) throw invalidValue(prop);
    if (prop === 'passwordProfile') checkPasswordProfile(value);
    if (prop === 'userPrincipalName') {
      if (typeof value !== 'string') throw invalidValue(prop);
      checkUpn(value);
    }
    if (
      prop === 'mailNickname' &&
      (typeof value !== 'string' || !/^[A-Za-z0-9'.\-_!#^~]+$/.test(value))
    ) {
      throw invalidValue(prop);
    }
    if (prop === 'displayName' && (typeof value !== 'string' || value.trim() === '')) {
      throw invalidValue(prop);
    }
  }
  if (mode === 'create') {
    for (const prop of [
      'accountEnabled',
      'displayName',
      'mailNickname',
      'passwordProfile',
      'userPrincipalName',
    ]) {
      if (body[prop] === undefined || body[prop] === null) throw invalidValue(prop);
    }
    const profile = body.passwordProfile as JsonObject;
    if (typeof profile.password !== 'string') throw invalidValue('passwordProfile');
  }
}

/** The conflict Graph reports for a duplicate UPN (400 with an ObjectConflict detail). */
export const upnConflict = () =>
  graphErrors.badRequest(
    'Another object with the same value for property userPrincipalName already exists.',
    [{ code: 'ObjectConflict', target: 'userPrincipalName' }],
  );

/** The stored (readable) form of a passwordProfile: the password itself is never returned. */
export function storedPasswordProfile(previous: Json | undefined, update: JsonObject): JsonObject {
  const base = isJsonObject(previous) ? previous : {};
  return {
    forceChangePasswordNextSignIn:
      update.forceChangePasswordNextSignIn ?? base.forceChangePasswordNextSignIn ?? false,
    forceChangePasswordNextSignInWithMfa:
      update.forceChangePasswordNextSignInWithMfa ??
      base.forceChangePasswordNextSignInWithMfa ??
      false,
    password: null,
  };
}
