/**
 * Finding a command's handler from its manifest name, so no file restates the command list:
 *  - a family table claims the names it serves (the authentication-method list/delete pairs);
 *  - otherwise the handler is the default export of `commands/<name>.ts`.
 * Modules load on first use: a command pays only for its own code. The build checks that every
 * manifest command resolves and that every command file belongs to a manifest command.
 */
import type { Handler } from '../command/handler.js';
import { importCommandModule } from './command-modules.js';

export type HandlerSource = (command: string) => Promise<Handler | undefined>;

/** Names served by a family table, and where the table lives. */
export const FAMILY_TABLES: readonly {
  pattern: RegExp;
  load(): Promise<(name: string) => Handler | undefined>;
}[] = [
  {
    pattern: /^msgraph-user-.+-method-(list|delete)$/,
    load: async () => (await import('../../commands/shared/method-commands.js')).familyHandler,
  },
];

const loading = new Map<string, Promise<Handler | undefined>>();

async function resolve(command: string): Promise<Handler | undefined> {
  for (const table of FAMILY_TABLES) {
    if (table.pattern.test(command)) {
      const handler = (await table.load())(command);
      if (handler) return handler;
    }
  }
  return (await importCommandModule(command))?.default;
}

/**
 * The handlers found from the manifest. A load is shared: the runs of a bulk command all wait on
 * one promise and resume together, so their Graph requests still meet in the same $batch.
 */
export const commandHandlers: HandlerSource = (command) => {
  let pending = loading.get(command);
  if (!pending) {
    pending = resolve(command);
    loading.set(command, pending);
    pending.catch(() => loading.delete(command));
  }
  return pending;
};

/** A fixed set of handlers (tests). */
export const handlersFrom =
  (handlers: Record<string, Handler>): HandlerSource =>
  async (command) =>
    Object.hasOwn(handlers, command) ? handlers[command] : undefined;

/**
 * The names in `names` that resolve to a handler, for the build's and the tests' consistency
 * check (src/manifest/consistency.ts): served by a family table, or one of `commandFiles`.
 */
export async function resolvableCommands(
  names: readonly string[],
  commandFiles: readonly string[],
): Promise<string[]> {
  const served: string[] = [];
  for (const name of names) {
    const table = FAMILY_TABLES.find((t) => t.pattern.test(name));
    if (commandFiles.includes(name) || (table && (await table.load())(name))) served.push(name);
  }
  return served;
}
