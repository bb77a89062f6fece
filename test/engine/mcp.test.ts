/**
 * The commands as MCP tools, driven by the MCP SDK's own client: over streamable HTTP on the
 * engine (with API keys), and over stdio from `msgraph-user mcp` started as a real process.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, ensureBuilt } from '../e2e/support.js';
import { ADMIN_KEY, RW_KEY, startEngineHarness, type EngineHarness } from './support.js';
import { inheritedClockEnv } from '../helpers/clock.js';

const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function httpClient(h: EngineHarness, key: string): Promise<Client> {
  const client = new Client({ name: 'msgraph-user-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

describe('the commands as MCP tools', function () {
  this.timeout(60_000);
  let h: EngineHarness;
  let client: Client;
  let admin: Client;
  let adele: string;
  const patches = () =>
    (h.sim.stats() as { requests: Record<string, number> }).requests['PATCH /v1.0/users/{id}'] ?? 0;

  before(async () => {
    h = await startEngineHarness();
    adele = h.sim.users.adele!.userPrincipalName;
    client = await httpClient(h, RW_KEY);
    admin = await httpClient(h, ADMIN_KEY);
  });
  after(async () => {
    await client?.close();
    await admin?.close();
    await h?.close();
  });

  it('lists every command as a tool, with its arguments as input schema and its class as annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).to.be.at.least(44);
    expect(tools.map((t) => t.name).sort()).to.deep.equal(
      [...h.engine.compiled.commands.keys()].sort(),
    );
    const get = tools.find((t) => t.name === 'msgraph-user-get')!;
    expect(get.annotations).to.include({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(get.inputSchema.required).to.deep.equal(['user']);
    expect(Object.keys(get.inputSchema.properties!)).to.include.members([
      'user',
      'properties',
      'dry_run',
      'instance',
    ]);
    const remove = tools.find((t) => t.name === 'msgraph-user-delete')!;
    expect(remove.annotations).to.include({ readOnlyHint: false, destructiveHint: true });
    const tap = tools.find((t) => t.name === 'msgraph-user-tap-policy-create')!;
    expect(tap.inputSchema.properties!.zip_password).to.include({ writeOnly: true });
  });

  it('calls msgraph-user-get: the data as structured content, the war-room markdown as text', async () => {
    const result = (await client.callTool({
      name: 'msgraph-user-get',
      arguments: { user: adele },
    })) as CallToolResult;
    expect(result.isError).to.equal(false);
    const { data } = result.structuredContent as { data: Record<string, unknown>[] };
    expect(data[0]).to.include({ UserPrincipalName: adele, DisplayName: 'Adele Vance' });
    expect(textOf(result)).to.match(/^### AdeleV@msgraphsim\.onmicrosoft\.com data\n\|/);
  });

  it('runs a tool on another instance when asked', async () => {
    const result = (await client.callTool({
      name: 'msgraph-user-get',
      arguments: { user: adele, instance: 'second' },
    })) as CallToolResult;
    expect(result.isError).to.equal(false);
  });

  it('refuses a destructive tool to a key without the class, and changes nothing', async () => {
    const before = patches();
    const result = (await client.callTool({
      name: 'msgraph-user-account-disable',
      arguments: { user: adele },
    })) as CallToolResult;
    expect(result.isError).to.equal(true);
    expect(textOf(result)).to.equal(
      'msgraph-user-account-disable needs the "destructive" class, and this API key may run only: read, write.',
    );
    expect(patches()).to.equal(before);
  });

  it('dry-runs a destructive tool: the requests it would send, none sent', async () => {
    const before = patches();
    const result = (await client.callTool({
      name: 'msgraph-user-account-disable',
      arguments: { user: adele, dry_run: true },
    })) as CallToolResult;
    expect(result.isError).to.equal(false);
    const report = result.structuredContent as {
      dry_run: boolean;
      requests: { method: string; url: string }[];
    };
    expect(report.dry_run).to.equal(true);
    expect(report.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      `PATCH ${h.sim.url}/v1.0/users/${encodeURIComponent(adele)}`,
    ]);
    expect(patches()).to.equal(before);
  });

  it('never echoes a secret argument, in a result or in an argument error', async () => {
    const zipPassword = 'Zip-Secret-Value-0123';
    const created = (await admin.callTool({
      name: 'msgraph-user-tap-policy-create',
      arguments: { user_id: h.sim.users.grady!.userPrincipalName, zip_password: zipPassword },
    })) as CallToolResult;
    expect(created.isError).to.equal(false);
    const clientSecret = 'Mfa-Client-Secret-Value-0123';
    const invalid = (await admin.callTool({
      name: 'msgraph-user-create-mfa-client-access-token',
      arguments: { client_secret: clientSecret, colour: 'blue' },
    })) as CallToolResult;
    expect(invalid.isError).to.equal(true);
    expect(textOf(invalid)).to.match(
      /^Invalid arguments for msgraph-user-create-mfa-client-access-token: unknown argument "colour"/,
    );
    const everything = JSON.stringify([created, invalid]);
    expect(everything).not.to.contain(zipPassword);
    expect(everything).not.to.contain(clientSecret);
  });

  it('logs each MCP request in the access log, with the key that made it', () => {
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.path === '/mcp' && l.face === 'mcp' && l.key === 'env-1')).not.to
      .be.empty;
  });

  it('answers /mcp only with a key', async () => {
    const answer = await h.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, null);
    expect(answer.status).to.equal(401);
  });
});

describe('msgraph-user mcp (stdio)', function () {
  this.timeout(90_000);
  let h: EngineHarness;
  let dir: string;
  let client: Client;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    h = await startEngineHarness();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-mcp-'));
    const params = join(dir, 'params.json');
    const ca = join(dir, 'ca.pem');
    await writeFile(params, JSON.stringify(h.sim.paramsFor('client-credentials')), { mode: 0o600 });
    await writeFile(ca, h.sim.caPem);
    client = new Client({ name: 'msgraph-user-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--params', params, '--state-dir', join(dir, 'state')],
        env: {
          ...inheritedClockEnv(),
          NODE_EXTRA_CA_CERTS: ca,
          TMPDIR: tmpdir(),
          MSGRAPH_USER_CACHE_DIR: process.env.MSGRAPH_USER_CACHE_DIR ?? join(dir, 'code-cache'),
        },
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await client?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the tools and runs msgraph-user-get', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).to.be.at.least(44);
    expect(
      tools.find((t) => t.name === 'msgraph-user-get')!.inputSchema.properties,
    ).not.to.have.property('instance');
    const adele = h.sim.users.adele!.userPrincipalName;
    const result = (await client.callTool({
      name: 'msgraph-user-get',
      arguments: { user: adele },
    })) as CallToolResult;
    expect(result.isError).to.equal(false);
    expect(
      (result.structuredContent as { data: { UserPrincipalName: string }[] }).data[0]!
        .UserPrincipalName,
    ).to.equal(adele);
  });

  it('runs read and write tools only, unless --allow says more', async () => {
    const result = (await client.callTool({
      name: 'msgraph-user-delete',
      arguments: { user: h.sim.users.adele!.userPrincipalName },
    })) as CallToolResult;
    expect(result.isError).to.equal(true);
    expect(textOf(result)).to.contain('needs the "destructive" class');
  });
});
