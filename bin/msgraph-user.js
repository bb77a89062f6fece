#!/usr/bin/env node
// The installed command, kept small: Node starts it as CommonJS (bin/package.json), which skips
// the ES module loader's start-up. `--version` is answered here and help by a small pack, so
// neither loads the runtime; a command loads dist/cli/warm.pack.cjs, everything a command with a
// cached token runs, through code-cache.js. The bundle is built by `npm run build` (run by
// `npm ci`). `msgraph-user sim` is a separate program (dist/sim.js, an ES module): the command
// path never loads it, and `msgraph-user serve --sim` hands its start function to the CLI.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = join(__dirname, '..', 'dist');
const argv = process.argv.slice(2);
const [first, ...rest] = argv;

function missingBuild() {
  process.stderr.write(
    'msgraph-user: dist/ is missing; run "npm run build" (npm ci does it for you).\n',
  );
  process.exitCode = 2;
}

async function runSim(simHelp) {
  if (!existsSync(join(dist, 'sim.js'))) return missingBuild();
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const { runSimCli } = await import(pathToFileURL(join(dist, 'sim.js')).href);
  process.exitCode = await runSimCli(simHelp ? ['--help'] : rest, io);
}

async function runCli() {
  if (!existsSync(join(dist, 'cli', 'warm.pack.cjs'))) return missingBuild();
  const loader = require('./code-cache.js').createLoader(join(dist, 'cli'), process.env);
  try {
    // Ctrl-C ends the run between writes, never inside one: output streamed so far (a long
    // listing's lines) stays whole. The exit code is the shell's for SIGINT. (The engine stops
    // on its own terms: it finishes what is in flight first.)
    if (first !== 'serve') process.once('SIGINT', () => process.exit(130));
    const helpOnly =
      first === undefined || first === 'help' || first === '--help' || first === '-h';
    if (helpOnly) {
      loader.preload('quick.pack');
      const { answerWithoutRuntime, guardStdio } = loader.load('quick');
      const stdio = guardStdio(process);
      const code = await answerWithoutRuntime(argv, stdio.io);
      if (code !== undefined) return (process.exitCode = stdio.exitCode(code));
    }
    loader.preload('warm.pack');
    // A closed pipe or a full disk under stdout ends in one line, not a stack trace.
    const { main, guardStdio, serveSimulated } = loader.load('main');
    const stdio = guardStdio(process);
    // Standard input only when a command reads it (`name=@-`, a prompt): opening it loads
    // Node's file streams, which most commands never need.
    const io = {
      ...stdio.io,
      get stdin() {
        return process.stdin;
      },
    };
    let code;
    if (first === 'serve' && rest.includes('--sim')) {
      if (!existsSync(join(dist, 'sim.js'))) return missingBuild();
      const sim = await import(pathToFileURL(join(dist, 'sim.js')).href);
      code = await serveSimulated(rest, io, sim.startSimulator);
    } else {
      code = await main(argv, io);
    }
    process.exitCode = stdio.exitCode(code);
  } finally {
    loader.saveCache();
  }
}

if (argv.length === 1 && (first === '--version' || first === '-v')) {
  process.stdout.on('error', () => {}); // a closed pipe: the reader has what it wanted
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (first === 'sim' || (first === 'help' && rest[0] === 'sim')) {
  void runSim(first === 'help');
} else {
  void runCli();
}
