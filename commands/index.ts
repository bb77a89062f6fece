/**
 * The handler registry: manifest command name -> handler. The manifest is the source of truth for
 * which commands exist; a consistency check fails start-up when this registry and the manifest
 * disagree. Commands still being built stay in `notImplemented`, where they answer a clear
 * "not implemented yet" error instead of silently missing.
 *
 * Each handler module is loaded when its command first runs: a command pays only for its own code.
 */
import type { Handler } from '../src/command/handler.js';

/**
 * A handler loaded on its first call. The load is shared: the runs of a bulk command all wait on
 * one promise and resume together, so their Graph requests still meet in the same $batch.
 */
function lazy(load: () => Promise<{ default: Handler }>): Handler {
  let loading: Promise<Handler> | undefined;
  return async (context) => {
    loading ??= load().then((module) => module.default);
    return (await loading)(context);
  };
}

export const handlers: Record<string, Handler> = {
  'msgraph-user-terminate-session': lazy(() => import('./msgraph-user-terminate-session.js')),
  'msgraph-user-account-disable': lazy(() => import('./msgraph-user-account-disable.js')),
  'msgraph-user-unblock': lazy(() => import('./msgraph-user-unblock.js')),
  'msgraph-user-update': lazy(() => import('./msgraph-user-update.js')),
  'msgraph-user-delete': lazy(() => import('./msgraph-user-delete.js')),
  'msgraph-user-create': lazy(() => import('./msgraph-user-create.js')),
  'msgraph-user-get-delta': lazy(() => import('./msgraph-user-get-delta.js')),
  'msgraph-user-get': lazy(() => import('./msgraph-user-get.js')),
  'msgraph-user-list': lazy(() => import('./msgraph-user-list.js')),
  'msgraph-direct-reports': lazy(() => import('./msgraph-direct-reports.js')),
  'msgraph-user-get-manager': lazy(() => import('./msgraph-user-get-manager.js')),
  'msgraph-user-assign-manager': lazy(() => import('./msgraph-user-assign-manager.js')),
  'msgraph-user-change-password': lazy(() => import('./msgraph-user-change-password.js')),
  'msgraph-user-change-password-on-premise': lazy(
    () => import('./msgraph-user-change-password-on-premise.js'),
  ),
  'msgraph-user-force-reset-password': lazy(() => import('./msgraph-user-force-reset-password.js')),
  'msgraph-user-session-revoke': lazy(() => import('./msgraph-user-session-revoke.js')),
  'msgraph-user-get-groups': lazy(() => import('./msgraph-user-get-groups.js')),
  'msgraph-user-get-auth-methods': lazy(() => import('./msgraph-user-get-auth-methods.js')),
  'test-module': lazy(() => import('./test-module.js')),
  'msgraph-user-test': lazy(() => import('./msgraph-user-test.js')),
  'msgraph-user-generate-login-url': lazy(() => import('./msgraph-user-generate-login-url.js')),
  'msgraph-user-auth-reset': lazy(() => import('./msgraph-user-auth-reset.js')),
  'msgraph-user-tap-policy-list': lazy(() => import('./msgraph-user-tap-policy-list.js')),
  'msgraph-user-tap-policy-create': lazy(() => import('./msgraph-user-tap-policy-create.js')),
  'msgraph-user-tap-policy-delete': lazy(() => import('./msgraph-user-tap-policy-delete.js')),
  'msgraph-user-owned-devices-list': lazy(() => import('./msgraph-user-owned-devices-list.js')),
  'msgraph-user-fido2-method-list': lazy(() => import('./msgraph-user-fido2-method-list.js')),
  'msgraph-user-fido2-method-delete': lazy(() => import('./msgraph-user-fido2-method-delete.js')),
  'msgraph-user-email-method-list': lazy(() => import('./msgraph-user-email-method-list.js')),
  'msgraph-user-email-method-delete': lazy(() => import('./msgraph-user-email-method-delete.js')),
  'msgraph-user-authenticator-method-list': lazy(
    () => import('./msgraph-user-authenticator-method-list.js'),
  ),
  'msgraph-user-authenticator-method-delete': lazy(
    () => import('./msgraph-user-authenticator-method-delete.js'),
  ),
  'msgraph-user-phone-method-list': lazy(() => import('./msgraph-user-phone-method-list.js')),
  'msgraph-user-phone-method-delete': lazy(() => import('./msgraph-user-phone-method-delete.js')),
  'msgraph-user-software-oath-method-list': lazy(
    () => import('./msgraph-user-software-oath-method-list.js'),
  ),
  'msgraph-user-software-oath-method-delete': lazy(
    () => import('./msgraph-user-software-oath-method-delete.js'),
  ),
  'msgraph-user-windows-hello-method-list': lazy(
    () => import('./msgraph-user-windows-hello-method-list.js'),
  ),
  'msgraph-user-windows-hello-method-delete': lazy(
    () => import('./msgraph-user-windows-hello-method-delete.js'),
  ),
  'msgraph-user-temp-access-pass-method-list': lazy(
    () => import('./msgraph-user-temp-access-pass-method-list.js'),
  ),
  'msgraph-user-temp-access-pass-method-delete': lazy(
    () => import('./msgraph-user-temp-access-pass-method-delete.js'),
  ),
  'msgraph-user-create-mfa-client-secret': lazy(
    () => import('./msgraph-user-create-mfa-client-secret.js'),
  ),
  'msgraph-user-create-mfa-client-access-token': lazy(
    () => import('./msgraph-user-create-mfa-client-access-token.js'),
  ),
  'msgraph-user-request-mfa': lazy(() => import('./msgraph-user-request-mfa.js')),
  'msgraph-user-get-user-default-auth-method': lazy(
    () => import('./msgraph-user-get-user-default-auth-method.js'),
  ),
};

export const notImplemented: readonly string[] = [];
