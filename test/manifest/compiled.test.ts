import { expect } from 'chai';
import { loadCompiledManifest } from '../../src/manifest/compiled.js';

describe('argument validators from source', () => {
  it('are compiled from the current code, never taken from a dist/ built earlier', async () => {
    expect((await loadCompiledManifest()).validators).to.equal('compiled');
  });
});
