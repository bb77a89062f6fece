/**
 * The engine's own endpoints: the OpenAPI document, the command list, health probes, metrics and
 * the access log.
 */
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { requestSchema } from '../../src/engine/schemas.js';
import { ADMIN_KEY, startEngineHarness, type EngineHarness } from './support.js';

describe('the engine endpoints', function () {
  this.timeout(60_000);
  let h: EngineHarness;
  let adele: string;

  before(async () => {
    h = await startEngineHarness();
    adele = h.sim.users.adele!.userPrincipalName;
  });
  after(() => h?.close());

  it('publishes an OpenAPI 3.1 document that validates, with an operation per command', async () => {
    const document = (await h.get('/openapi.json')).json as {
      openapi: string;
      paths: Record<
        string,
        {
          post?: {
            operationId: string;
            requestBody: { content: Record<string, { schema: unknown }> };
          };
        }
      >;
    };
    expect(document.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    for (const command of h.engine.compiled.commands.values()) {
      for (const path of [
        `/v1/commands/${command.name}`,
        `/v1/instances/{instance}/commands/${command.name}`,
      ]) {
        const operation = document.paths[path]?.post;
        expect(operation, path).to.exist;
        expect(operation!.requestBody.content['application/json']!.schema).to.deep.equal(
          requestSchema(command),
        );
      }
    }
    const ids = Object.values(document.paths).flatMap((p) => (p.post ? [p.post.operationId] : []));
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("lists the manifest's commands with their arguments, outputs and class", async () => {
    const { commands } = (await h.get('/v1/commands')).json as {
      commands: { name: string; class: string; arguments: { name: string; secret?: boolean }[] }[];
    };
    expect(commands.map((c) => c.name).sort()).to.deep.equal(
      [...h.engine.compiled.commands.keys()].sort(),
    );
    expect(commands.find((c) => c.name === 'msgraph-user-delete')!.class).to.equal('destructive');
    const tap = commands.find((c) => c.name === 'msgraph-user-tap-policy-create')!;
    expect(tap.class).to.equal('credential');
    expect(tap.arguments.find((a) => a.name === 'zip_password')).to.include({ secret: true });
  });

  it('answers the health probes without a key, and says when it is ready', async () => {
    expect((await h.get('/healthz', null)).json).to.deep.equal({ status: 'ok' });
    expect((await h.get('/readyz', null)).json).to.deep.equal({ status: 'ready', instances: 2 });
  });

  it('gives each answer a request id, and logs one JSON line per request with it', async () => {
    const given = await h.post('/v1/commands/msgraph-user-get', { user: adele }, ADMIN_KEY);
    const id = given.headers.get('x-request-id')!;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const chosen = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(chosen.headers.get('x-request-id')).to.equal('trace-42');
    const line = h.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.request_id === id);
    expect(line).to.include({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/v1/commands/msgraph-user-get',
      status: 200,
      key: 'admin',
      command: 'msgraph-user-get',
      instance: 'default',
      outcome: 'ok',
    });
    expect(line!.duration_ms).to.be.a('number');
    expect(line!.command_ms).to.be.a('number');
  });

  it('counts commands, latency, Graph requests and token requests in Prometheus metrics', async () => {
    await h.post('/v1/commands/msgraph-user-get', { user: adele });
    await h.post('/v1/instances/second/commands/msgraph-user-get', { user: adele });
    await h.post('/v1/commands/msgraph-user-account-disable', { user: adele });
    await h.post('/v1/commands/msgraph-user-list', { limit: 'many' });
    const text = (await h.get('/metrics')).text;
    expect(text).to.match(
      /^msgraph_user_commands_total\{command="msgraph-user-get",outcome="ok"\} [1-9]/m,
    );
    expect(text).to.match(
      /^msgraph_user_commands_total\{command="msgraph-user-account-disable",outcome="forbidden"\} 1$/m,
    );
    expect(text).to.match(
      /^msgraph_user_commands_total\{command="msgraph-user-list",outcome="invalid"\} [1-9]/m,
    );
    expect(text).to.match(
      /^msgraph_user_command_duration_seconds_count\{command="msgraph-user-get"\} [1-9]/m,
    );
    expect(text).to.match(
      /^msgraph_user_upstream_requests_total\{instance="default",service="graph"\} [1-9]/m,
    );
    expect(text).to.match(
      /^msgraph_user_upstream_requests_total\{instance="default",service="token"\} 1$/m,
    );
    expect(text).to.match(
      /^msgraph_user_upstream_requests_total\{instance="second",service="token"\} 1$/m,
    );
    expect(text).to.match(/^# TYPE msgraph_user_graph_throttled_total counter$/m);
    expect(text).to.match(/^msgraph_user_commands_queued\{instance="default"\} 0$/m);
  });
});
