/**
 * The handler registry: manifest command name -> handler. The manifest is the source of truth for
 * which commands exist; a consistency check fails start-up when this registry and the manifest
 * disagree. Commands still being built stay in `notImplemented`, where they answer a clear
 * "not implemented yet" error instead of silently missing.
 */
import type { Handler } from '../src/runtime/handler.js';

export const handlers: Record<string, Handler> = {};

export const notImplemented: readonly string[] = [
  'test-module',
  'msgraph-user-terminate-session',
  'msgraph-user-account-disable',
  'msgraph-user-unblock',
  'msgraph-user-update',
  'msgraph-user-delete',
  'msgraph-user-create',
  'msgraph-user-get-delta',
  'msgraph-user-get',
  'msgraph-user-list',
  'msgraph-direct-reports',
  'msgraph-user-get-manager',
  'msgraph-user-assign-manager',
  'msgraph-user-change-password',
  'msgraph-user-change-password-on-premise',
  'msgraph-user-force-reset-password',
  'msgraph-user-session-revoke',
  'msgraph-user-get-groups',
  'msgraph-user-get-auth-methods',
  'msgraph-user-test',
  'msgraph-user-generate-login-url',
  'msgraph-user-auth-reset',
  'msgraph-user-tap-policy-list',
  'msgraph-user-tap-policy-create',
  'msgraph-user-tap-policy-delete',
  'msgraph-user-owned-devices-list',
  'msgraph-user-fido2-method-list',
  'msgraph-user-fido2-method-delete',
  'msgraph-user-email-method-list',
  'msgraph-user-email-method-delete',
  'msgraph-user-authenticator-method-list',
  'msgraph-user-authenticator-method-delete',
  'msgraph-user-phone-method-list',
  'msgraph-user-phone-method-delete',
  'msgraph-user-software-oath-method-list',
  'msgraph-user-software-oath-method-delete',
  'msgraph-user-windows-hello-method-list',
  'msgraph-user-windows-hello-method-delete',
  'msgraph-user-temp-access-pass-method-list',
  'msgraph-user-temp-access-pass-method-delete',
  'msgraph-user-create-mfa-client-secret',
  'msgraph-user-create-mfa-client-access-token',
  'msgraph-user-request-mfa',
  'msgraph-user-get-user-default-auth-method',
];
