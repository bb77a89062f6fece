import { expect } from 'chai';
import { readFileSync } from 'node:fs';
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

  it('documents the same test command that CI runs', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).to.contain('npm ci');
    expect(ci).to.contain('npm test');
    expect(readme).to.contain('npm test');
  });
});
