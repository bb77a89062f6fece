/**
 * The suite's own temporary directory. Loaded before any spec file (.mocharc.json `require`), it
 * points TMPDIR at a fresh folder, so every tmpdir() of the tests, of the product and of the
 * processes they start lands there, and removes it at the end. Anything a test run still leaves in
 * the system's temporary directory (a process started without TMPDIR, a path built by hand) fails
 * the run, named.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const systemTemp = tmpdir();
/** What the suite names its temporary files and folders; other programs' files are not ours. */
const OURS = /^msgraph/;
const before = new Set(readdirSync(systemTemp));
const root = mkdtempSync(join(systemTemp, 'msgraph-user-test-'));
before.add(root.slice(systemTemp.length + 1));
process.env.TMPDIR = root;

export function mochaGlobalTeardown(): void {
  rmSync(root, { recursive: true, force: true });
  const left = readdirSync(systemTemp).filter((name) => OURS.test(name) && !before.has(name));
  if (left.length > 0) {
    process.stderr.write(
      `The test run left ${left.length} item(s) in ${systemTemp}: ${left.slice(0, 10).join(', ')}\n`,
    );
    process.exitCode = 1;
  }
}
