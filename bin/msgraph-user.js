#!/usr/bin/env node
// The installed command. The CLI is bundled into dist/ by `npm run build` (run by `npm ci`).
// `msgraph-user sim` is a separate program (the simulated tenant): the command path never loads it.
// `msgraph-user serve --sim` loads both and hands the simulator's start function to the CLI.
import { existsSync } from 'node:fs';

const [first, ...rest] = process.argv.slice(2);
const simHelp = first === 'help' && rest[0] === 'sim';
const simulated = first === 'serve' && rest.includes('--sim');
const bundle = (entry) => new URL(`../dist/${entry}.js`, import.meta.url);
const entries = first === 'sim' || simHelp ? ['sim'] : simulated ? ['cli', 'sim'] : ['cli'];
if (!entries.every((entry) => existsSync(bundle(entry)))) {
  process.stderr.write(
    'msgraph-user: dist/ is missing; run "npm run build" (npm ci does it for you).\n',
  );
  process.exit(2);
}
if (first === 'sim' || simHelp) {
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const { runSimCli } = await import(bundle('sim').href);
  process.exitCode = await runSimCli(simHelp ? ['--help'] : rest, io);
} else {
  // Ctrl-C ends the run between writes, never inside one: output streamed so far (a long
  // listing's lines) stays whole. The exit code is the shell's for SIGINT. (The engine stops
  // on its own terms: it finishes what is in flight first.)
  if (first !== 'serve') process.once('SIGINT', () => process.exit(130));
  // A closed pipe or a full disk under stdout ends in one line, not a stack trace.
  const { main, guardStdio, serveSimulated } = await import(bundle('cli').href);
  const stdio = guardStdio(process);
  const io = { ...stdio.io, stdin: process.stdin };
  const code = simulated
    ? await serveSimulated(rest, io, (await import(bundle('sim').href)).startSimulator)
    : await main(process.argv.slice(2), io);
  process.exitCode = stdio.exitCode(code);
}
