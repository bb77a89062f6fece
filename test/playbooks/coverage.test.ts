/**
 * Every command the manifest declares, and test-module, must succeed in at least one replayed
 * playbook; and every sample playbook must have a recording.
 */
import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCompiledManifest } from '../../src/manifest/compiled.js';
import { BUILTIN_COMMANDS } from '../../src/manifest/consistency.js';
import { RECORDINGS, ROOT, recordingName } from './catalog.js';
import { replayedOnce } from './support.js';

describe('sample playbooks: coverage', () => {
  it('run every manifest command and test-module successfully in at least one replay', async () => {
    const { manifest } = await loadCompiledManifest();
    const expected = [...manifest.script.commands.map((c) => c.name), ...BUILTIN_COMMANDS];
    const ranBy = new Map<string, string[]>();
    for (const recording of RECORDINGS) {
      for (const task of (await replayedOnce(recording)).result.tasks) {
        if (task.command && task.status === 'completed') {
          ranBy.set(task.command, [...(ranBy.get(task.command) ?? []), recordingName(recording)]);
        }
      }
    }
    const missing = expected.filter((name) => !ranBy.has(name));
    expect(missing, `commands no replayed playbook runs: ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('have a recording for every playbook in playbooks/', async () => {
    const files = (await readdir(join(ROOT, 'playbooks'))).filter((f) => f.endsWith('.yml'));
    const recorded = new Set(RECORDINGS.map((r) => r.playbook));
    expect(files.map((f) => `playbooks/${f}`).filter((f) => !recorded.has(f))).to.deep.equal([]);
  });
});
