/**
 * Ctrl-C during a streamed listing: the run stops with the shell's code for SIGINT, and every
 * line it wrote is whole (each page is written in one piece, and the signal is taken between
 * writes).
 */
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  Cli,
  ensureBuilt,
  printed,
  removeTempDirs,
  tempDir,
  waitForOutput,
  writeParams,
} from './support.js';

describe('e2e: interrupting a streamed listing', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let cli: Cli;
  let params: string;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    sim = await startSimulator({ users: 50_000, outDir: tempDir() });
    cli = new Cli(sim, tempDir());
    params = writeParams(tempDir(), 'params', sim.paramsFor('client-credentials'));
  });
  after(async () => {
    await sim?.close();
    removeTempDirs();
  });

  it('leaves only whole lines behind and exits 130', async () => {
    const list = cli.start(['msgraph-user-list', 'all=true', '--params', params, '-o', 'ndjson']);
    try {
      await waitForOutput(() => list.run.stdout, /\n/, list.exited);
      list.child.kill('SIGINT');
      const result = await list.exited;
      expect(result.code, printed(result)).to.equal(130);
      expect(result.stdout.endsWith('\n')).to.equal(true);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines.length).to.be.at.least(1).and.below(50_000);
      for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.to.throw();
    } finally {
      if (list.child.exitCode === null) list.child.kill();
    }
  });
});
