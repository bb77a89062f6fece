/**
 * Output faults: a closed pipe ends quietly, a failed write is one line and a non-zero exit. The
 * real CLI process writes to a pipe whose reader is gone and to /dev/full; the guard itself is
 * also driven with fake streams.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guardStdio } from '../../src/cli/safe-output.js';

const bin = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'msgraph-user.js');
const STACK_LINE = /^\s+at\s/m;

/** `msgraph-user --help` with stdout as given; its stderr and exit code. */
function helpTo(stdout: 'closed-pipe' | number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--help'], {
      stdio: ['ignore', stdout === 'closed-pipe' ? 'pipe' : stdout, 'pipe'],
    });
    // The reader goes away before the CLI writes a byte, as `| head -c 0` would.
    if (stdout === 'closed-pipe') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}

class FakeStream extends EventEmitter {
  readonly written: string[] = [];
  isTTY = false;
  write(text: string) {
    this.written.push(text);
    return true;
  }
}

describe('output faults', function () {
  this.timeout(40_000);

  it('a closed pipe (… | head): ends quietly, exit 0 (was: an uncaught EPIPE stack trace)', async () => {
    const { code, stderr } = await helpTo('closed-pipe');
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
  });

  it('a full disk (/dev/full): one line and exit 1 (was: an ENOSPC stack trace)', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const full = openSync('/dev/full', 'w');
    try {
      const { code, stderr } = await helpTo(full);
      expect(stderr).to.equal(
        'msgraph-user: cannot write the output to stdout: no space left on the device (ENOSPC).\n',
      );
      expect(stderr).not.to.match(STACK_LINE);
      expect(code).to.equal(1);
    } finally {
      closeSync(full);
    }
  });

  describe('the guard', () => {
    const streams = () => {
      const proc = {
        stdout: new FakeStream(),
        stderr: new FakeStream(),
        env: {},
        exitCode: undefined as number | undefined,
      };
      return { proc, stdio: guardStdio(proc) };
    };
    const failure = (code: string) => Object.assign(new Error(code), { code });

    it('drops what follows a closed pipe and keeps the exit code', () => {
      const { proc, stdio } = streams();
      stdio.io.stdout.write('a');
      expect(stdio.io.stdout.closed).to.equal(false);
      proc.stdout.emit('error', failure('EPIPE'));
      // Told to whoever streams a listing into it, so it stops fetching pages.
      expect(stdio.io.stdout.closed).to.equal(true);
      stdio.io.stdout.write('b');
      proc.stdout.emit('error', failure('ERR_STREAM_DESTROYED'));
      expect(proc.stdout.written).to.deep.equal(['a']);
      expect(proc.stderr.written).to.deep.equal([]);
      expect(stdio.exitCode(0)).to.equal(0);
      expect(proc.exitCode).to.equal(undefined);
    });

    it('reports another failure once, and makes a successful exit code 1', () => {
      const { proc, stdio } = streams();
      proc.stdout.emit('error', failure('EIO'));
      proc.stdout.emit('error', failure('ERR_STREAM_DESTROYED'));
      expect(proc.stderr.written).to.deep.equal([
        'msgraph-user: cannot write the output to stdout: input/output error (EIO).\n',
      ]);
      expect(stdio.exitCode(0)).to.equal(1);
      expect(stdio.exitCode(2)).to.equal(2);
      expect(proc.exitCode).to.equal(1);
    });

    it('never leaves a writer waiting for drain on a stream that failed', () => {
      const { proc, stdio } = streams();
      const released: string[] = [];
      stdio.io.stdout.once('drain', () => released.push('waiting'));
      proc.stdout.emit('error', failure('EPIPE'));
      stdio.io.stdout.once('drain', () => released.push('after'));
      expect(released).to.deep.equal(['waiting', 'after']);
      proc.stdout.emit('drain');
      expect(released).to.deep.equal(['waiting', 'after']);
    });

    it('stays silent when stderr itself is gone', () => {
      const { proc, stdio } = streams();
      proc.stderr.emit('error', failure('EPIPE'));
      stdio.io.stderr.write('lost');
      expect(proc.stderr.written).to.deep.equal([]);
    });

    it('passes isTTY through (progress is shown only on a terminal)', () => {
      const { proc, stdio } = streams();
      proc.stderr.isTTY = true;
      expect(stdio.io.stderr.isTTY).to.equal(true);
      expect(stdio.io.stdout.isTTY).to.equal(false);
    });
  });
});
