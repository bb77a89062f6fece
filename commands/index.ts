/**
 * The handler registry: manifest command name -> handler. The manifest is the source of truth for
 * which commands exist; a consistency check fails start-up when this registry and the manifest
 * disagree. Commands still being built stay in `notImplemented`, where they answer a clear
 * "not implemented yet" error instead of silently missing.
 */
import type { Handler } from '../src/runtime/handler.js';
import msgraphUserTerminateSession from './msgraph-user-terminate-session.js';
import msgraphUserAccountDisable from './msgraph-user-account-disable.js';
import msgraphUserUnblock from './msgraph-user-unblock.js';
import msgraphUserUpdate from './msgraph-user-update.js';
import msgraphUserDelete from './msgraph-user-delete.js';
import msgraphUserCreate from './msgraph-user-create.js';
import msgraphUserGetDelta from './msgraph-user-get-delta.js';
import msgraphUserGet from './msgraph-user-get.js';
import msgraphUserList from './msgraph-user-list.js';
import msgraphDirectReports from './msgraph-direct-reports.js';
import msgraphUserGetManager from './msgraph-user-get-manager.js';
import msgraphUserAssignManager from './msgraph-user-assign-manager.js';
import msgraphUserChangePassword from './msgraph-user-change-password.js';
import msgraphUserChangePasswordOnPremise from './msgraph-user-change-password-on-premise.js';
import msgraphUserForceResetPassword from './msgraph-user-force-reset-password.js';
import msgraphUserSessionRevoke from './msgraph-user-session-revoke.js';
import msgraphUserGetGroups from './msgraph-user-get-groups.js';
import msgraphUserGetAuthMethods from './msgraph-user-get-auth-methods.js';
import msgraphUserAuthReset from './msgraph-user-auth-reset.js';
import msgraphUserGenerateLoginUrl from './msgraph-user-generate-login-url.js';
import msgraphUserTest from './msgraph-user-test.js';
import testModule from './test-module.js';
import msgraphUserTapPolicyList from './msgraph-user-tap-policy-list.js';
import msgraphUserTapPolicyCreate from './msgraph-user-tap-policy-create.js';
import msgraphUserTapPolicyDelete from './msgraph-user-tap-policy-delete.js';
import msgraphUserOwnedDevicesList from './msgraph-user-owned-devices-list.js';
import msgraphUserFido2MethodList from './msgraph-user-fido2-method-list.js';
import msgraphUserFido2MethodDelete from './msgraph-user-fido2-method-delete.js';
import msgraphUserEmailMethodList from './msgraph-user-email-method-list.js';
import msgraphUserEmailMethodDelete from './msgraph-user-email-method-delete.js';
import msgraphUserAuthenticatorMethodList from './msgraph-user-authenticator-method-list.js';
import msgraphUserAuthenticatorMethodDelete from './msgraph-user-authenticator-method-delete.js';
import msgraphUserPhoneMethodList from './msgraph-user-phone-method-list.js';
import msgraphUserPhoneMethodDelete from './msgraph-user-phone-method-delete.js';
import msgraphUserSoftwareOathMethodList from './msgraph-user-software-oath-method-list.js';
import msgraphUserSoftwareOathMethodDelete from './msgraph-user-software-oath-method-delete.js';
import msgraphUserWindowsHelloMethodList from './msgraph-user-windows-hello-method-list.js';
import msgraphUserWindowsHelloMethodDelete from './msgraph-user-windows-hello-method-delete.js';
import msgraphUserTempAccessPassMethodList from './msgraph-user-temp-access-pass-method-list.js';
import msgraphUserTempAccessPassMethodDelete from './msgraph-user-temp-access-pass-method-delete.js';
import msgraphUserCreateMfaClientSecret from './msgraph-user-create-mfa-client-secret.js';
import msgraphUserCreateMfaClientAccessToken from './msgraph-user-create-mfa-client-access-token.js';
import msgraphUserRequestMfa from './msgraph-user-request-mfa.js';
import msgraphUserGetUserDefaultAuthMethod from './msgraph-user-get-user-default-auth-method.js';

export const handlers: Record<string, Handler> = {
  'msgraph-user-terminate-session': msgraphUserTerminateSession,
  'msgraph-user-account-disable': msgraphUserAccountDisable,
  'msgraph-user-unblock': msgraphUserUnblock,
  'msgraph-user-update': msgraphUserUpdate,
  'msgraph-user-delete': msgraphUserDelete,
  'msgraph-user-create': msgraphUserCreate,
  'msgraph-user-get-delta': msgraphUserGetDelta,
  'msgraph-user-get': msgraphUserGet,
  'msgraph-user-list': msgraphUserList,
  'msgraph-direct-reports': msgraphDirectReports,
  'msgraph-user-get-manager': msgraphUserGetManager,
  'msgraph-user-assign-manager': msgraphUserAssignManager,
  'msgraph-user-change-password': msgraphUserChangePassword,
  'msgraph-user-change-password-on-premise': msgraphUserChangePasswordOnPremise,
  'msgraph-user-force-reset-password': msgraphUserForceResetPassword,
  'msgraph-user-session-revoke': msgraphUserSessionRevoke,
  'msgraph-user-get-groups': msgraphUserGetGroups,
  'msgraph-user-get-auth-methods': msgraphUserGetAuthMethods,
  'test-module': testModule,
  'msgraph-user-test': msgraphUserTest,
  'msgraph-user-generate-login-url': msgraphUserGenerateLoginUrl,
  'msgraph-user-auth-reset': msgraphUserAuthReset,
  'msgraph-user-tap-policy-list': msgraphUserTapPolicyList,
  'msgraph-user-tap-policy-create': msgraphUserTapPolicyCreate,
  'msgraph-user-tap-policy-delete': msgraphUserTapPolicyDelete,
  'msgraph-user-owned-devices-list': msgraphUserOwnedDevicesList,
  'msgraph-user-fido2-method-list': msgraphUserFido2MethodList,
  'msgraph-user-fido2-method-delete': msgraphUserFido2MethodDelete,
  'msgraph-user-email-method-list': msgraphUserEmailMethodList,
  'msgraph-user-email-method-delete': msgraphUserEmailMethodDelete,
  'msgraph-user-authenticator-method-list': msgraphUserAuthenticatorMethodList,
  'msgraph-user-authenticator-method-delete': msgraphUserAuthenticatorMethodDelete,
  'msgraph-user-phone-method-list': msgraphUserPhoneMethodList,
  'msgraph-user-phone-method-delete': msgraphUserPhoneMethodDelete,
  'msgraph-user-software-oath-method-list': msgraphUserSoftwareOathMethodList,
  'msgraph-user-software-oath-method-delete': msgraphUserSoftwareOathMethodDelete,
  'msgraph-user-windows-hello-method-list': msgraphUserWindowsHelloMethodList,
  'msgraph-user-windows-hello-method-delete': msgraphUserWindowsHelloMethodDelete,
  'msgraph-user-temp-access-pass-method-list': msgraphUserTempAccessPassMethodList,
  'msgraph-user-temp-access-pass-method-delete': msgraphUserTempAccessPassMethodDelete,
  'msgraph-user-create-mfa-client-secret': msgraphUserCreateMfaClientSecret,
  'msgraph-user-create-mfa-client-access-token': msgraphUserCreateMfaClientAccessToken,
  'msgraph-user-request-mfa': msgraphUserRequestMfa,
  'msgraph-user-get-user-default-auth-method': msgraphUserGetUserDefaultAuthMethod,
};

export const notImplemented: readonly string[] = [];
