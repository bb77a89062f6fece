/**
 * A command's arguments as the engine accepts them: a JSON object where every value may be text,
 * exactly as in a war room (`"limit": "50"`, `"user": "a@x,b@x"`), or its native JSON type
 * (`50`, `["a@x", "b@x"]`), plus `dry_run`. Derived from the manifest's argument schema
 * (src/manifest/arguments.ts), widened to text; it is the OpenAPI request body and each MCP
 * tool's input schema. The engine validates with the manifest's own validators, so the wording
 * of every error is the CLI's.
 */
import { argumentsSchema } from '../manifest/arguments.js';
import type { ManifestCommand } from '../manifest/types.js';

export type JsonSchema = Record<string, unknown>;

/** The engine's own argument: run as a dry run. */
export const DRY_RUN = 'dry_run';

/** The MCP tools' own argument: the instance to run on. */
export const INSTANCE_ARGUMENT = 'instance';

/** Names no manifest argument may take, since the engine gives them its own meaning. */
export const RESERVED_ARGUMENTS: readonly string[] = [DRY_RUN, INSTANCE_ARGUMENT];

export const DRY_RUN_DESCRIPTION =
  'true: validate the arguments, resolve the user and return the requests the command would send, sending none that change anything.';

/** The schema with text accepted beside its native type. */
function widened(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  if (type === 'string' || type === undefined) return schema;
  return { ...schema, type: [type, 'string'] };
}

export function requestSchema(command: ManifestCommand): JsonSchema {
  const native = argumentsSchema(command);
  const nativeProperties = native.properties as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {};
  for (const arg of command.arguments ?? []) {
    properties[arg.name] = {
      description: arg.description,
      ...widened(nativeProperties[arg.name]!),
      ...(arg.secret ? { writeOnly: true, format: 'password' } : {}),
      ...(arg.deprecated ? { deprecated: true } : {}),
    };
  }
  properties[DRY_RUN] = {
    description: DRY_RUN_DESCRIPTION,
    type: ['boolean', 'string'],
    default: false,
  };
  return {
    type: 'object',
    additionalProperties: false,
    required: native.required,
    properties,
  };
}
