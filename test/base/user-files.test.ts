/**
 * Files the user names (params files, playbooks, recordings): read whatever they are, or refused
 * in one line, and never a wait without end.
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/base/errors.js';
import { MAX_USER_FILE_BYTES, readUserFile } from '../../src/base/user-files.js';

describe('reading a file the user named', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'msgraph-user-files-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const refusal = (file: string, pipeWaitMs?: number) =>
    readUserFile(file, 'the params file', { pipeWaitMs }).then(
      () => expect.fail('expected a refusal'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(UsageError);
        return (error as Error).message;
      },
    );

  const fifo = (name: string) => {
    const path = join(root, name);
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('a named pipe nothing writes to: one line once the bound passes (was: blocked forever)', async function () {
    if (process.platform === 'win32') this.skip();
    const message = await refusal(fifo('params.yml'), 50);
    expect(message).to.equal(
      `Cannot read the params file ${join(root, 'params.yml')}: it is a named pipe and nothing was written to it within 0.05 s.`,
    );
  });

  it('a named pipe a process writes to is read (--params <(command))', async function () {
    if (process.platform === 'win32') this.skip();
    const path = fifo('params.yml');
    const reading = readUserFile(path, 'the params file', { pipeWaitMs: 10_000 });
    // The writer opens it after the reader, as a shell's process substitution may.
    const writer = spawn('sh', ['-c', 'printf "timeout: 5\\n" > "$0"', path], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.once('exit', resolve));
    expect(await reading).to.equal('timeout: 5\n');
    await written;
  });

  it('a device is refused without reading it', async () => {
    expect(await refusal('/dev/zero')).to.equal(
      'Cannot read the params file /dev/zero: it is a device or socket, not a file.',
    );
  });

  it(`a file over ${MAX_USER_FILE_BYTES / 1024 / 1024} MB is refused without reading it`, async () => {
    const path = join(root, 'huge.yml');
    await writeFile(path, '');
    await truncate(path, MAX_USER_FILE_BYTES + 1);
    expect(await refusal(path)).to.match(/huge\.yml: it is larger than 16 MB\.$/);
  });

  it('a directory and a missing file: one line each', async () => {
    expect(await refusal(root)).to.match(/: it is a directory\.$/);
    expect(await refusal(join(root, 'nope.yml'))).to.match(
      /nope\.yml: no such file or directory\.$/,
    );
  });
});
