/**
 * Instance state in a folder on this machine: `<dir>/instances/<instance>/context.json` (0600),
 * written atomically and locked across processes by src/base/integration-context.ts.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFileSystemError } from '../base/fs-errors.js';
import { IntegrationContextStore, type LockOptions } from '../base/integration-context.js';
import { INSTANCE_NAME, type StateBackend } from './instance-store.js';

export function directoryBackend(stateDir: string, lock: LockOptions = {}): StateBackend {
  const instancesDir = join(stateDir, 'instances');
  return {
    kind: 'directory',
    describe: stateDir,
    store: (instanceId, options = {}) =>
      new IntegrationContextStore(join(instancesDir, instanceId), lock, options.warn),
    async instances() {
      let names: string[];
      try {
        names = await readdir(instancesDir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw describeFileSystemError(err, 'list the instances in', instancesDir);
      }
      const withState = await Promise.all(
        names
          .filter((name) => INSTANCE_NAME.test(name))
          .map(async (name) =>
            (await stat(join(instancesDir, name, 'context.json')).catch(() => undefined))?.isFile()
              ? name
              : undefined,
          ),
      );
      return withState.filter((name): name is string => name !== undefined).sort();
    },
    close: async () => undefined,
  };
}
