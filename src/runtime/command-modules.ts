/**
 * Loads `commands/<name>.ts`. A bundler cannot follow a computed import, so the build replaces this
 * module with a table of the command files it found (scripts/build.ts); from source, Node (through
 * tsx) resolves the path itself. Only names from the manifest reach here.
 */
import type { Handler } from '../command/handler.js';

export interface CommandModule {
  default: Handler;
}

export async function importCommandModule(name: string): Promise<CommandModule | undefined> {
  try {
    return (await import(`../../commands/${name}.js`)) as CommandModule;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(name)) {
      return undefined;
    }
    throw err;
  }
}
