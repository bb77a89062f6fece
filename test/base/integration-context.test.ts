import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IntegrationContextStore,
  VersionConflictError,
} from '../../src/base/integration-context.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'msgraph-user-ctx-'));
const writerScript = fileURLToPath(new URL('./fixtures/context-writer.ts', import.meta.url));

function runWriter(dir: string, times: number, id: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', writerScript, dir, String(times), String(id)],
      { stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

describe('integration context store', () => {
  it('starts empty at version 0', async () => {
    const store = new IntegrationContextStore(join(await tempDir(), 'i1'));
    expect(await store.get()).to.deep.equal({ context: {}, version: 0 });
  });

  it('persists across store objects and increments the version on every write', async () => {
    const dir = join(await tempDir(), 'i1');
    const first = new IntegrationContextStore(dir);
    expect(await first.set({ a: 1 })).to.equal(1);
    expect(await first.set({ a: 2 })).to.equal(2);
    expect(await new IntegrationContextStore(dir).get()).to.deep.equal({
      context: { a: 2 },
      version: 2,
    });
  });

  it('rejects a versioned write when another writer got there first', async () => {
    const store = new IntegrationContextStore(join(await tempDir(), 'i1'));
    const { version } = await store.get();
    await store.set({ by: 'other' });
    const err = await store.set({ by: 'me' }, version).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(VersionConflictError);
    expect((await store.get()).context).to.deep.equal({ by: 'other' });
  });

  it('writes the file with mode 0600 inside a 0700 directory, leaving no temp files', async () => {
    const dir = join(await tempDir(), 'i1');
    const store = new IntegrationContextStore(dir);
    await store.set({ token: 'x' });
    expect((await stat(store.file)).mode & 0o777).to.equal(0o600);
    expect((await stat(dir)).mode & 0o777).to.equal(0o700);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('moves an unreadable file aside instead of failing every command', async () => {
    const dir = join(await tempDir(), 'i1');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'context.json'), '{not json');
    const warnings: string[] = [];
    const store = new IntegrationContextStore(dir, {}, (m) => warnings.push(m));
    expect(await store.get()).to.deep.equal({ context: {}, version: 0 });
    expect(warnings[0]).to.match(/moved to .*context\.json\.corrupt-/);
    expect((await readdir(dir)).some((f) => f.startsWith('context.json.corrupt-'))).to.equal(true);
  });

  it('is replaced whole: a reader running beside the writer never sees a torn file', async function () {
    this.timeout(60_000);
    const dir = join(await tempDir(), 'i1');
    const store = new IntegrationContextStore(dir);
    await store.set({ filler: '' });
    // A reader in another process parses the file as fast as it can while this one rewrites it
    // with a few megabytes: a write in place would be seen half done.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); let reads = 0, torn = 0; const end = Date.now() + 60000;
         process.stdin.on('data', () => { console.log(JSON.stringify({ reads, torn })); process.exit(0); });
         (function loop() {
           for (let i = 0; i < 50; i++) {
             try { JSON.parse(fs.readFileSync(process.argv[1], 'utf8')); reads++; } catch { torn++; }
           }
           if (Date.now() < end) setImmediate(loop);
         })();`,
        join(dir, 'context.json'),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    for (let i = 0; i < 20; i++) await store.set({ filler: String(i).repeat(3_000_000) });
    let output = '';
    reader.stdout!.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => reader.on('exit', resolve));
    reader.stdin!.write('stop\n');
    await exited;
    const { reads, torn } = JSON.parse(output) as { reads: number; torn: number };
    expect(reads).to.be.above(0);
    expect(torn).to.equal(0);
  });

  it('loses no update when 8 processes write concurrently', async function () {
    this.timeout(60_000);
    const dir = join(await tempDir(), 'i1');
    const perWriter = 10;
    const codes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runWriter(dir, perWriter, i)),
    );
    expect(codes).to.deep.equal(Array(8).fill(0));
    const { context, version } = await new IntegrationContextStore(dir).get();
    expect(context.count).to.equal(8 * perWriter);
    expect(version).to.equal(8 * perWriter);
    for (let i = 0; i < 8; i++) expect(context[`writer_${i}`]).to.equal(perWriter);
    expect((await stat(join(dir, 'context.json'))).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(await readFile(join(dir, 'context.json'), 'utf8')).version).to.equal(80);
  });
});
