/**
 * msgraph-user-create-mfa-client-secret: adds a client secret to the tenant's Azure Multi-Factor
 * Auth Client service principal. The secret is kept in the integration context (for
 * msgraph-user-create-mfa-client-access-token) and never output: the context gets only its key ID
 * and validity. The dispatcher refuses the command unless allow_secret_generators is selected.
 */
import { graphPath, odataString } from '../src/graph/path.js';
import { UserError } from '../src/base/errors.js';
import type { CommandContext, Handler } from '../src/command/handler.js';
import { MFA_APP_ID } from '../src/mfa/service.js';
import { storeSecret } from './shared/mfa.js';

interface PasswordCredential {
  secretText?: string;
  keyId?: string;
  startDateTime?: string;
  endDateTime?: string;
  displayName?: string;
}

async function mfaServicePrincipalId(ctx: CommandContext): Promise<string> {
  const { body } = await ctx.graph.request<{ value?: { id?: string }[] }>({
    method: 'GET',
    path: 'servicePrincipals',
    query: { $filter: `appId eq ${odataString(MFA_APP_ID)}`, $select: 'id' },
  });
  const id = body?.value?.[0]?.id;
  if (!id) {
    throw new UserError(
      `Error: Service Principal with appId ${MFA_APP_ID} not found.`,
      'The tenant has no service principal for the Azure Multi-Factor Auth Client yet; create it (for example with New-MgServicePrincipal -AppId ' +
        `${MFA_APP_ID}) and run the command again.`,
    );
  }
  return id;
}

const createMfaClientSecret: Handler = async (ctx) => {
  const servicePrincipalId = await mfaServicePrincipalId(ctx);
  const { body: credential } = await ctx.graph.request<PasswordCredential>({
    method: 'POST',
    path: graphPath`servicePrincipals/${servicePrincipalId}/addPassword`,
    body: { passwordCredential: { displayName: 'MFA App Secret' } },
  });
  const secret = credential?.secretText;
  if (!secret) {
    throw new UserError(
      'Microsoft Graph added a client secret to the MFA service principal but did not return it.',
    );
  }
  ctx.addSecret(secret);
  const details = {
    keyId: credential.keyId,
    validFrom: credential.startDateTime,
    validUntil: credential.endDateTime,
  };
  await storeSecret(ctx, { secret, ...details });
  return {
    outputs_prefix: ctx.outputsPrefix,
    outputs_key_field: 'KeyId',
    outputs: { KeyId: details.keyId, ValidFrom: details.validFrom, ValidUntil: details.validUntil },
    readable_output:
      'A new client secret has been added. Note you might need to wait 30-60 seconds before the secret will be activated. ' +
      "It is stored in this instance's integration context, not in the incident context; " +
      'msgraph-user-create-mfa-client-access-token uses it when no client_secret is given.',
    raw_response: {
      keyId: credential.keyId,
      displayName: credential.displayName,
      startDateTime: credential.startDateTime,
      endDateTime: credential.endDateTime,
    },
  };
};

export default createMfaClientSecret;
