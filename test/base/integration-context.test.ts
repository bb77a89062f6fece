import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrationContextStore } from '../../src/base/integration-context.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'msgraph-user-ctx-'));
// The contract every state backend keeps (versions, conflicts, no lost update, the lock) is
// test/state/instance-store-contract.ts; this is what only the folder does.
describe('integration context store (the state folder)', () => {
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
});
