/**
 * `msgraph-user mcp`: the engine's commands as MCP tools on stdio, for an MCP client that starts
 * it (a desktop assistant, an agent). The protocol owns stdout; logs go to stderr as JSON lines.
 * The client is the local user who could run the CLI, so no API key is asked for; `--allow`
 * says which command classes its tools may run (read and write unless told otherwise), as a
 * key's grant does on the HTTP API.
 */
import { UsageError } from '../base/errors.js';
import { createClock } from '../base/clock.js';
import { Redactor } from '../base/redact.js';
import { keyRing, type Grant } from '../engine/api-keys.js';
import { createEngine } from '../engine/engine.js';
import { jsonLog } from '../engine/log.js';
import { mcpFace, serveMcpStdio } from '../engine/mcp.js';
import { COMMAND_CLASSES, type CommandClass } from '../manifest/types.js';
import { ENGINE_INSTANCE_OPTIONS, engineInstances, engineState } from './engine-options.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';

export const MCP_USAGE = `usage: msgraph-user mcp [--params FILE] [--instances FILE|DIR] [--state-dir DIR]
                        [--state redis://…] [--allow CLASS,...] [--debug]
  CLASS: ${COMMAND_CLASSES.join(', ')} (default: read,write)`;

const OPTIONS = {
  ...ENGINE_INSTANCE_OPTIONS,
  allow: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function allowedClasses(value: string | undefined): CommandClass[] {
  const classes = (value ?? 'read,write')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = classes.filter((c) => !(COMMAND_CLASSES as readonly string[]).includes(c));
  if (unknown.length > 0 || classes.length === 0) {
    throw new UsageError(
      `--allow takes classes separated by commas, from: ${COMMAND_CLASSES.join(', ')} (got "${value}").`,
    );
  }
  return classes as CommandClass[];
}

export async function runMcpCli(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS, 'msgraph-user mcp --help', false);
  if (values.help) {
    io.stdout.write(`${MCP_USAGE}\n`);
    return 0;
  }
  const grant: Grant = { name: 'stdio', instances: ['*'], classes: allowedClasses(values.allow) };
  const instances = await engineInstances(values, io.env);
  const redactor = new Redactor();
  const clock = createClock({ unref: true });
  const log = jsonLog(
    (line) => io.stderr.write(line),
    redactor,
    clock,
    values.debug ? 'debug' : 'warn',
  );
  const state = await engineState(values, io.env, { clock, log, redactor });
  const engine = await createEngine({
    instances,
    keys: keyRing([]),
    redactor,
    clock,
    log,
    state,
  }).catch(async (err: unknown) => {
    await state.close();
    throw err;
  });
  try {
    await serveMcpStdio(mcpFace(engine), grant, process.stdin, process.stdout);
  } finally {
    engine.stop();
    await engine.close();
  }
  return 0;
}
