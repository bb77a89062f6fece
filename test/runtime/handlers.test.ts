/**
 * Handlers are found from the manifest: a family table or commands/<name>.ts. Nothing else lists
 * the commands, so these checks are what keeps the manifest and the handlers in step.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileManifestText, loadCompiledManifest } from '../../src/manifest/compiled.js';
import { BUILTIN_COMMANDS, checkHandlers } from '../../src/manifest/consistency.js';
import { commandHandlers, resolvableCommands } from '../../src/runtime/handlers.js';
import { manifestWith } from '../helpers/manifest.js';

const commandsDir = fileURLToPath(new URL('../../commands', import.meta.url));
const commandFiles = () =>
  readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));

describe('handlers found from the manifest', () => {
  it('resolves every manifest command to a handler, and every command file to a command', async () => {
    const { manifest } = await loadCompiledManifest();
    const names = [...manifest.script.commands.map((c) => c.name), ...BUILTIN_COMMANDS];
    const served = await resolvableCommands(names, commandFiles());
    expect(checkHandlers(manifest, served, commandFiles())).to.deep.equal([]);
    for (const name of names) expect(await commandHandlers(name), name).to.be.a('function');
  });

  it('serves the authentication-method list and delete commands from their family table', async () => {
    expect(commandFiles()).to.not.include('msgraph-user-fido2-method-list');
    expect(await commandHandlers('msgraph-user-fido2-method-list')).to.be.a('function');
    expect(await commandHandlers('msgraph-user-temp-access-pass-method-delete')).to.be.a(
      'function',
    );
  });

  it('answers undefined for a name with neither a file nor a family row', async () => {
    expect(await commandHandlers('msgraph-user-no-such-command')).to.equal(undefined);
    expect(await commandHandlers('msgraph-user-nonsense-method-list')).to.equal(undefined);
  });

  it('reports a manifest command without a handler and a file without a command', async () => {
    const { manifest } = await compileManifestText(
      manifestWith('- name: msgraph-user-brand-new\n  description: New.\n  arguments: []'),
      'test.yml',
    );
    const problems = checkHandlers(manifest, ['test-module'], ['msgraph-user-left-over']);
    expect(problems).to.include(
      'command "msgraph-user-brand-new" is declared in the manifest but has no handler',
    );
    expect(problems).to.include(
      'commands/msgraph-user-left-over.ts is not a command declared in the manifest',
    );
  });
});
