/**
 * The suite's own temporary directory (made by test/setup/loader.mjs, before tsx and the specs
 * load): every tmpdir() of the tests, of the product and of the processes they start lands there.
 * It is removed when the run ends, and anything the run still left in the system's temporary
 * directory (a process started without TMPDIR, a path built by hand) fails the run, named.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

interface TempRoot {
  systemTemp: string;
  root: string;
  before: string[];
}

const KEY = Symbol.for('msgraph-user.test-temp');
const registry = globalThis as unknown as Record<symbol, TempRoot | undefined>;

/** Made here when mocha was started without the loader (then tsx's own cache is not covered). */
function ownRoot(): TempRoot {
  const systemTemp = tmpdir();
  const before = readdirSync(systemTemp);
  const root = mkdtempSync(join(systemTemp, 'msgraph-user-test-'));
  process.env.TMPDIR = root;
  process.env.MSGRAPH_USER_CACHE_DIR = join(root, 'code-cache');
  return { systemTemp, root, before };
}

const temp = (registry[KEY] ??= ownRoot());

/** The user's own state dir: a run that creates it wrote instance state outside its temp root. */
const homeState = join(homedir(), '.msgraph-user');
const homeStateBefore = existsSync(homeState);

export function mochaGlobalTeardown(): void {
  rmSync(temp.root, { recursive: true, force: true });
  const before = new Set(temp.before);
  const left = readdirSync(temp.systemTemp).filter((name) => !before.has(name) && ours(name));
  if (left.length > 0) {
    // Thrown: mocha then fails the run (an exit code set here would be overwritten).
    throw new Error(
      `The test run left ${left.length} item(s) in ${temp.systemTemp}: ${left.slice(0, 10).join(', ')}`,
    );
  }
  if (!homeStateBefore && existsSync(homeState)) {
    throw new Error(
      `The test run wrote instance state to ${homeState}: a process it started had no state dir of the run's own (MSGRAPH_USER_STATE_DIR or --state-dir).`,
    );
  }
}

/**
 * What the suite and the tools it runs name their temporary files (other programs' are not ours).
 * Another run's own temporary directory (a second checkout testing at the same time) is that
 * run's to remove.
 */
const ours = (name: string): boolean =>
  /^(msgraph|tsx-)/.test(name) && !name.startsWith('msgraph-user-test-');
