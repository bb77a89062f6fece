/**
 * The commands as Model Context Protocol tools (the official TypeScript SDK), over stdio
 * (`msgraph-user mcp`) or streamable HTTP (`/mcp` on the engine, stateless: a server per request,
 * answered as JSON). Each manifest command is a tool: its description, its arguments as the input
 * JSON Schema (plus `dry_run`, and `instance` when there is more than one), and annotations from
 * its class. A result carries the command's data as structured content and its war-room markdown
 * as text; entries are redacted like every output, so a secret argument is never echoed.
 * Calls go through the engine's steps, so the key's grant applies as on the HTTP API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { version } from '../base/version.js';
import { entryText } from '../command/entries.js';
import type { CommandClass, ManifestCommand } from '../manifest/types.js';
import type { Grant } from './api-keys.js';
import { DEFAULT_INSTANCE, isRefusal, type Answer, type Engine } from './engine.js';
import { classOf } from './policy.js';
import { INSTANCE_ARGUMENT, requestSchema } from './schemas.js';

const ANNOTATIONS: Record<CommandClass, Tool['annotations']> = {
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  write: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: true,
  },
  destructive: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  },
  credential: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
};

function tool(command: ManifestCommand, instances: string[]): Tool {
  const cls = classOf(command);
  const schema = requestSchema(command);
  const properties = schema.properties as Record<string, object>;
  if (instances.length > 1 || !instances.includes(DEFAULT_INSTANCE)) {
    properties[INSTANCE_ARGUMENT] = {
      type: 'string',
      enum: instances,
      description: `The instance (tenant) to run on${instances.includes(DEFAULT_INSTANCE) ? '; default: "default"' : ''}.`,
    };
  }
  return {
    name: command.name,
    ...(command.prettyname ? { title: command.prettyname } : {}),
    description: `${command.description} (Class: ${cls}.)`,
    inputSchema: { ...schema, type: 'object', properties },
    annotations: ANNOTATIONS[cls],
  };
}

function toolResult(answer: Answer): CallToolResult {
  if (answer.kind === 'dry-run') {
    return {
      content: [{ type: 'text', text: JSON.stringify(answer.report, null, 2) }],
      structuredContent: { ...answer.report },
      isError: answer.failed,
    };
  }
  const text = answer.entries.map(entryText).filter(Boolean).join('\n\n');
  return {
    content: [{ type: 'text', text }],
    structuredContent: { data: answer.data },
    isError: answer.failed,
  };
}

export interface McpFace {
  /** A server whose tool calls run with `grant`. */
  server(grant: Grant): Server;
}

export function mcpFace(engine: Engine): McpFace {
  const instances = [...engine.instances.keys()];
  const tools = [...engine.compiled.commands.values()].map((c) => tool(c, instances));

  async function call(grant: Grant, name: string, args: Record<string, unknown> = {}) {
    const { [INSTANCE_ARGUMENT]: instance, ...rest } = args;
    const answer = await engine.call(
      grant,
      typeof instance === 'string' && instance ? instance : undefined,
      name,
      rest,
    );
    if (!isRefusal(answer)) return toolResult(answer);
    if (answer.code === 'unknown_command') {
      throw new McpError(ErrorCode.InvalidParams, answer.message);
    }
    return { content: [{ type: 'text', text: answer.message }], isError: true } as CallToolResult;
  }

  return {
    server(grant) {
      const server = new Server({ name: 'msgraph-user', version }, { capabilities: { tools: {} } });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
      server.setRequestHandler(CallToolRequestSchema, (request) =>
        call(grant, request.params.name, request.params.arguments),
      );
      return server;
    },
  };
}

/** One streamable-HTTP exchange (stateless: nothing outlives the request). */
export async function answerMcpRequest(
  face: McpFace,
  grant: Grant,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): Promise<void> {
  const server = face.server(grant);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
}

/** Serves MCP on stdio until the client closes stdin. */
export async function serveMcpStdio(
  face: McpFace,
  grant: Grant,
  stdin: Readable,
  stdout: Writable,
): Promise<void> {
  const server = face.server(grant);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    stdin.once('end', () => void server.close());
    stdin.once('close', () => void server.close());
  });
  await server.connect(new StdioServerTransport(stdin, stdout));
  await closed;
}
