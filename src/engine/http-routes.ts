/**
 * The engine's routes: one POST per manifest command (on the default instance and on a named one),
 * the command list, the instances, the OpenAPI document, metrics, health probes, and MCP.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { version } from '../base/version.js';
import type { ManifestCommand } from '../manifest/types.js';
import { requestedDryRun, type CheckedArguments, type Engine } from './engine.js';
import { RefusalError, sendError, sendRefusal } from './http-errors.js';
import { answerMcpRequest, mcpFace } from './mcp.js';
import { openApiDocument } from './openapi.js';
import { classOf, mayUseInstance } from './policy.js';
import { isRefusal } from './refusal.js';
import { requestSchema } from './schemas.js';

/** What GET /v1/commands says about a command. */
function describeCommand(command: ManifestCommand) {
  return {
    name: command.name,
    description: command.description,
    class: classOf(command),
    ...(command.deprecated ? { deprecated: true } : {}),
    arguments: (command.arguments ?? [])
      .filter((a) => !a.hidden)
      .map((a) => ({
        name: a.name,
        description: a.description,
        required: Boolean(a.required),
        ...(a.type ? { type: a.type } : {}),
        ...(a.predefined ? { predefined: a.predefined } : {}),
        ...(a.defaultValue !== undefined ? { default: a.defaultValue } : {}),
        ...(a.isArray ? { list: true } : {}),
        ...(a['x-bulk'] ? { bulk: true } : {}),
        ...(a.secret ? { secret: true } : {}),
      })),
    outputs: command.outputs ?? [],
  };
}

export function engineRoutes(app: FastifyInstance, engine: Engine, stopping: () => boolean): void {
  const open = { config: { open: true } };
  const commands = [...engine.compiled.commands.values()].map(describeCommand);
  const document = openApiDocument(engine.compiled, version);
  const mcp = mcpFace(engine);

  app.get('/healthz', open, async () => ({ status: 'ok' }));
  app.get('/readyz', open, async (_request, reply) =>
    stopping()
      ? sendError(reply, 503, 'stopping', 'The engine is shutting down.', 1)
      : { status: 'ready', instances: engine.instances.size },
  );
  app.get('/openapi.json', async () => document);
  app.get('/v1/commands', async () => ({ commands }));
  app.get('/v1/instances', async (request) => ({
    instances: [...engine.instances.values()]
      .filter((i) => mayUseInstance(request.grant!, i.name))
      .map((i) => ({
        name: i.name,
        cloud: i.runtime.cloud.name,
        graph: i.runtime.cloud.graphUrl,
        flow: 'config' in i.runtime.flow ? i.runtime.flow.config.flow : 'not configured',
      })),
  }));
  app.get('/metrics', async (_request, reply) => {
    reply.type(engine.metrics.contentType);
    return engine.metrics.text();
  });
  app.post('/mcp', async (request, reply) => {
    request.call.face = 'mcp';
    reply.hijack();
    await answerMcpRequest(mcp, request.grant!, request.raw, reply.raw, request.body);
  });
  const noSessions = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('allow', 'POST');
    return sendError(
      reply,
      405,
      'method_not_allowed',
      'This MCP endpoint is stateless: POST only.',
    );
  };
  app.get('/mcp', noSessions);
  app.delete('/mcp', noSessions);
}

function commandRoute(
  app: FastifyInstance,
  engine: Engine,
  command: ManifestCommand,
  url: string,
  stopping: () => boolean,
) {
  app.post<{ Params: { instance?: string }; Body: CheckedArguments }>(url, {
    schema: { body: requestSchema(command) },
    // The manifest's validators, with the CLI's wording (an `{error}` answer is a 400).
    validatorCompiler: () => (body: unknown) => {
      const checked = engine.checkArguments(command, body);
      return isRefusal(checked) ? { error: new RefusalError(checked) } : { value: checked };
    },
    preValidation: async (request, reply) => {
      request.call.command = command.name;
      const target = engine.target(request.params.instance, command.name);
      if (isRefusal(target)) return sendRefusal(reply, target);
      request.call.instance = target.instance.name;
      const forbidden = engine.authorize(request.grant!, target, requestedDryRun(request.body));
      if (forbidden) return sendRefusal(reply, forbidden);
    },
    handler: async (request, reply) => {
      const target = engine.target(request.params.instance, command.name);
      if (isRefusal(target)) return sendRefusal(reply, target);
      const answer = await engine.run(target, request.body);
      // A command that ends while the engine stops ends its keep-alive connection too.
      if (stopping()) reply.header('connection', 'close');
      if (isRefusal(answer)) return sendRefusal(reply, answer);
      request.call.outcome = answer.kind === 'dry-run' ? 'dry_run' : answer.failed ? 'error' : 'ok';
      if (answer.ms !== undefined) request.call.command_ms = Math.round(answer.ms * 100) / 100;
      return answer.kind === 'dry-run'
        ? answer.report
        : { entries: answer.entries, data: answer.data };
    },
  });
}

export function commandRoutes(app: FastifyInstance, engine: Engine, stopping: () => boolean): void {
  for (const command of engine.compiled.commands.values()) {
    commandRoute(app, engine, command, `/v1/commands/${command.name}`, stopping);
    commandRoute(
      app,
      engine,
      command,
      `/v1/instances/:instance/commands/${command.name}`,
      stopping,
    );
  }
}
