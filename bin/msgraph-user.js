#!/usr/bin/env node
// The installed command. The CLI is bundled into dist/ by `npm run build` (run by `npm ci`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'msgraph-user: dist/ is missing; run "npm run build" (npm ci does it for you).\n',
  );
  process.exit(2);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
