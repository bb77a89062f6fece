// Loaded with `node --import` before anything else in the mocha process (.mocharc.json): gives
// the run its own temporary directory before any module (tsx's compile cache included) asks for
// one, then loads tsx. test/setup/temp-root.ts removes the directory when the run ends.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const systemTemp = tmpdir();
const before = readdirSync(systemTemp);
const root = mkdtempSync(join(systemTemp, 'msgraph-user-test-'));
process.env.TMPDIR = root;
// The CLI's code cache (bin/code-cache.js) of every process the run starts, never ~/.cache.
process.env.MSGRAPH_USER_CACHE_DIR = join(root, 'code-cache');
// The default instance state of every process the run starts (a test that does not name a state
// dir), never the user's ~/.msgraph-user.
process.env.MSGRAPH_USER_STATE_DIR = join(root, 'default-state');
globalThis[Symbol.for('msgraph-user.test-temp')] = { systemTemp, root, before };

await import('tsx');
