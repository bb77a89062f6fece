#!/usr/bin/env node
// The installed command. The CLI is bundled into dist/ by `npm run build` (run by `npm ci`).
// `msgraph-user sim` is a separate program (the simulated tenant): the command path never loads it.
import { existsSync } from 'node:fs';

const [first, ...rest] = process.argv.slice(2);
const simHelp = first === 'help' && rest[0] === 'sim';
const entry = first === 'sim' || simHelp ? 'sim' : 'cli';
const bundle = new URL(`../dist/${entry}.js`, import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'msgraph-user: dist/ is missing; run "npm run build" (npm ci does it for you).\n',
  );
  process.exit(2);
}
if (entry === 'sim') {
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const { runSimCli } = await import(bundle.href);
  process.exitCode = await runSimCli(simHelp ? ['--help'] : rest, io);
} else {
  // Ctrl-C ends the run between writes, never inside one: output streamed so far (a long
  // listing's lines) stays whole. The exit code is the shell's for SIGINT.
  process.once('SIGINT', () => process.exit(130));
  // A closed pipe or a full disk under stdout ends in one line, not a stack trace.
  const { main, guardStdio } = await import(bundle.href);
  const stdio = guardStdio(process);
  const io = { ...stdio.io, stdin: process.stdin };
  process.exitCode = stdio.exitCode(await main(process.argv.slice(2), io));
}
