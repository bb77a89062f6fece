/**
 * The engine's OpenAPI 3.1 document, generated from the manifest: an operation per command (on
 * the default instance, and on a named one), its arguments as the request body's JSON Schema
 * (src/engine/schemas.ts), its class as a tag; plus the engine's own endpoints.
 */
import type { CompiledManifest } from '../manifest/compiled.js';
import type { ManifestCommand } from '../manifest/types.js';
import { classOf } from './policy.js';
import { requestSchema, type JsonSchema } from './schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

const SCHEMAS: Record<string, JsonSchema> = {
  Entry: {
    type: 'object',
    description: "A war-room entry exactly as Cortex XSOAR stores it (the CLI's --output entries).",
    required: ['Type', 'ContentsFormat', 'Contents', 'HumanReadable', 'EntryContext'],
    properties: {
      Type: { type: 'integer', description: '1 note, 3 file, 4 error, 11 warning.' },
      ContentsFormat: { type: 'string' },
      Contents: {},
      HumanReadable: { type: ['string', 'number', 'null'] },
      EntryContext: { type: ['object', 'null'] },
      File: { type: 'string' },
      FileID: { type: 'string' },
    },
  },
  CommandResult: {
    type: 'object',
    required: ['entries', 'data'],
    properties: {
      entries: { type: 'array', items: ref('Entry') },
      data: {
        type: 'array',
        description:
          "The command's data, as the CLI's --output json: its context outputs as objects, or for an action one {user, status (ok, error or not-found), message|error} per target.",
      },
    },
  },
  DryRunReport: {
    type: 'object',
    required: ['dry_run', 'requests', 'users', 'state_changes', 'errors'],
    properties: {
      dry_run: { const: true },
      requests: {
        type: 'array',
        description: 'The requests that would change something; none was sent.',
        items: {
          type: 'object',
          required: ['method', 'url'],
          properties: { method: { type: 'string' }, url: { type: 'string' }, body: {} },
        },
      },
      users: { type: 'array', items: { type: 'object' } },
      state_changes: { type: 'array', items: { type: 'string' } },
      errors: { type: 'array', items: { type: 'string' } },
    },
  },
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

function commandOperation(command: ManifestCommand, onInstance: boolean) {
  return {
    operationId: onInstance ? `${command.name}.on-instance` : command.name,
    summary: command.name,
    description: command.description,
    tags: [classOf(command)],
    ...(command.deprecated ? { deprecated: true } : {}),
    ...(onInstance
      ? {
          parameters: [
            { name: 'instance', in: 'path', required: true, schema: { type: 'string' } },
          ],
        }
      : {}),
    requestBody: { required: false, content: json(requestSchema(command)) },
    responses: {
      '200': {
        description:
          'The command ran (its entries say whether it succeeded), or the dry run report.',
        content: json({ oneOf: [ref('CommandResult'), ref('DryRunReport')] }),
      },
      '400': errorResponse("Invalid arguments (the CLI's message); nothing was sent."),
      '401': errorResponse('Missing or unknown API key.'),
      '403': errorResponse('The key may not run this class of command, or use this instance.'),
      '404': errorResponse('Unknown command or instance.'),
      '503': {
        ...errorResponse('The instance is busy or the engine is stopping.'),
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
      },
    },
  };
}

function engineEndpoints() {
  const get = (summary: string, content: Record<string, unknown>, open = false) => ({
    get: {
      summary,
      ...(open ? { security: [] } : {}),
      responses: { '200': { description: summary, content } },
    },
  });
  const anyJson = json({ type: 'object' });
  return {
    '/v1/commands': get("The manifest's commands: arguments, outputs, class", anyJson),
    '/v1/instances': get('The instances this key may use', anyJson),
    '/openapi.json': get('This document', anyJson),
    '/metrics': get('Prometheus metrics', { 'text/plain': { schema: { type: 'string' } } }),
    '/healthz': get('Liveness', anyJson, true),
    '/readyz': get('Readiness', anyJson, true),
    '/mcp': {
      post: {
        summary: 'Model Context Protocol (streamable HTTP): every command as a tool',
        requestBody: { content: json({ type: 'object' }) },
        responses: { '200': { description: 'A JSON-RPC answer', content: anyJson } },
      },
    },
  };
}

export function openApiDocument(compiled: CompiledManifest, version: string): JsonSchema {
  const paths: Record<string, unknown> = engineEndpoints();
  for (const command of compiled.commands.values()) {
    paths[`/v1/commands/${command.name}`] = { post: commandOperation(command, false) };
    paths[`/v1/instances/{instance}/commands/${command.name}`] = {
      post: commandOperation(command, true),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'msgraph-user engine',
      version,
      description: `The ${compiled.manifest.display} commands over HTTP, generated from integration.yml.`,
    },
    security: [{ apiKey: [] }],
    tags: ['read', 'write', 'destructive', 'credential'].map((name) => ({
      name,
      description: `Commands of class ${name}.`,
    })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: SCHEMAS,
    },
  };
}
