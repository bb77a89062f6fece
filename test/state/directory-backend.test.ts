import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryBackend } from '../../src/state/directory-backend.js';
import { instanceStoreContract } from './instance-store-contract.js';

describe('instance state in a folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  instanceStoreContract(() => ({
    open: async (options) => directoryBackend(dir, { waitMs: options?.lockWaitMs }),
    location: () => dir,
  }));
});
