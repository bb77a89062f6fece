import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseManifest } from '../../src/manifest/load.js';
import { readmePaths, renderReadme } from '../../scripts/readme-reference.js';

describe('README', () => {
  const paths = readmePaths();
  const readme = readFileSync(paths.readme, 'utf8');

  it('has a command and parameter reference that matches integration.yml (run "npm run docs" to refresh)', () => {
    const manifest = parseManifest(readFileSync(paths.manifest, 'utf8'));
    expect(
      readme === renderReadme(readme, manifest),
      'README.md reference is stale: run "npm run docs"',
    ).to.equal(true);
  });

  describe('the differences table', () => {
    const root = dirname(paths.readme);
    const section = readme
      .split('## Differences from the reference integration')[1]!
      .split('\n## ')[0]!;
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Behaviour |'))
      .map((line) => line.slice(2, -2).split(' | '));

    it('gives every difference what the reference does, what we do, why, what to change and its tests', () => {
      expect(rows.length).to.be.greaterThan(20);
      for (const cells of rows) {
        expect(cells, cells[0]).to.have.length(6);
        expect(
          cells.filter((cell) => cell.trim() === ''),
          cells[0],
        ).to.deep.equal([]);
      }
    });

    it('names only tests that exist: `file: test name` (rename the test here when you rename it)', () => {
      const missing: string[] = [];
      for (const cells of rows) {
        const pointers = [...cells[5]!.matchAll(/`(test\/[^`:]+\.ts): ([^`]+)`/g)];
        if (pointers.length === 0) missing.push(`${cells[0]}: no test named`);
        for (const [, file, name] of pointers) {
          const path = join(root, file!);
          if (!existsSync(path)) missing.push(`${cells[0]}: ${file} does not exist`);
          else if (!readFileSync(path, 'utf8').includes(name!)) {
            missing.push(`${cells[0]}: no test "${name}" in ${file}`);
          }
        }
      }
      expect(missing).to.deep.equal([]);
    });
  });

  it('documents the same test command that CI runs', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).to.contain('npm ci');
    expect(ci).to.contain('npm test');
    expect(readme).to.contain('npm test');
  });
});
