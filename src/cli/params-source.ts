/**
 * Where the CLI's instance parameters come from, in order: `--params FILE`, the file named by
 * MSGRAPH_USER_PARAMS, or the Azure SDK's environment variables (AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_CLIENT_SECRET) for a self-deployed client-credentials instance.
 */
import { UsageError } from '../base/errors.js';
import { readUserFile } from '../base/user-files.js';

/** Where JSON.parse stopped, as "line L, column C", without the text it quotes. */
export function jsonSyntaxError(err: Error, text: string): string {
  const position = /at position (\d+)/.exec(err.message)?.[1];
  if (position === undefined) return 'syntax error';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return `syntax error at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

const AZURE_VARIABLES = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;

/** A YAML or JSON file's data; `what` names it in messages ("the params file"). */
export async function readParamsFile(file: string, what = 'the params file'): Promise<unknown> {
  const text = await readUserFile(file, what);
  try {
    if (file.endsWith('.json')) return JSON.parse(text) as unknown;
    // YAML is loaded only when needed; JSON is also valid YAML.
    const { parseYaml } = await import('../base/yaml-text.js');
    return parseYaml(text);
  } catch (err) {
    // JSON.parse quotes the text around the error, which may be a secret: say only where.
    const reason = file.endsWith('.json')
      ? jsonSyntaxError(err as Error, text)
      : (err as Error).message.split('\n')[0];
    throw new UsageError(
      `${what.charAt(0).toUpperCase()}${what.slice(1)} ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML or JSON'}: ${reason}`,
    );
  }
}

function fromAzureEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const present = AZURE_VARIABLES.filter((name) => env[name]);
  if (present.length === 0) return undefined;
  const absent = AZURE_VARIABLES.filter((name) => !env[name]);
  if (absent.length > 0) {
    throw new UsageError(
      `Set ${absent.join(' and ')} too (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET configure a self-deployed client-credentials instance), or use --params FILE.`,
    );
  }
  return {
    self_deployed: true,
    creds_auth_id: { password: env.AZURE_CLIENT_ID },
    creds_tenant_id: { password: env.AZURE_TENANT_ID },
    creds_enc_key: { password: env.AZURE_CLIENT_SECRET },
  };
}

/** The first-run message: every way to say which tenant and app to use. */
export const NOT_CONFIGURED = `No instance is configured: tell msgraph-user which tenant and app to use, in one of three ways:
  --params FILE     a params file (YAML or JSON) keyed by the integration's parameter names,
                    e.g. self_deployed, creds_auth_id, creds_tenant_id, creds_enc_key
                    (or MSGRAPH_USER_PARAMS=FILE)
  AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET
                    environment variables for an app registration with a client secret
  msgraph-user sim  try it offline: a simulated tenant that writes ready-made params files`;

export interface ParamsSource {
  params: unknown;
  /** For messages: where the parameters came from. */
  origin: string;
}

export async function resolveParams(
  paramsFlag: string | undefined,
  env: NodeJS.ProcessEnv,
  required = true,
): Promise<ParamsSource> {
  const file = paramsFlag ?? env.MSGRAPH_USER_PARAMS;
  if (file) return { params: await readParamsFile(file), origin: file };
  const fromEnv = fromAzureEnvironment(env);
  if (fromEnv) return { params: fromEnv, origin: 'AZURE_* environment variables' };
  if (required) throw new UsageError(NOT_CONFIGURED);
  return { params: {}, origin: 'no parameters' };
}
