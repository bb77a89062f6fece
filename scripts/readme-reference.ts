/**
 * The README's parameter and command reference, generated from integration.yml so it can never
 * drift: `npm run docs` rewrites the marked sections; a test fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/manifest/compiled.js';
import { parseManifest } from '../src/manifest/load.js';
import type {
  Manifest,
  ManifestArgument,
  ManifestCommand,
  ManifestParam,
} from '../src/manifest/types.js';

const TYPE_NAMES: Record<number, string> = {
  0: 'text',
  1: 'number',
  4: 'secret',
  8: 'checkbox',
  9: 'credential',
  12: 'long text',
  14: 'secret long text',
  15: 'choice',
  16: 'choices',
};

const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

function paramLabel(param: ManifestParam): string {
  if (
    param.type === 9 &&
    param.display &&
    param.displaypassword &&
    param.display !== param.displaypassword
  ) {
    return `${param.display} / ${param.displaypassword}`;
  }
  return param.displaypassword ?? param.display ?? param.name;
}

export function renderParameters(manifest: Manifest): string {
  const rows = manifest.configuration.map((p) => {
    const type = TYPE_NAMES[p.type] ?? `type ${p.type}`;
    const extra = p.options ? ` (${p.options.join(', ')})` : '';
    const fallback = p.hidden ? ' Hidden legacy field.' : '';
    const def = p.defaultvalue === undefined ? '' : `\`${String(p.defaultvalue)}\``;
    return `| \`${p.name}\` | ${cell(paramLabel(p))} | ${type}${extra} | ${def} | ${cell((p.additionalinfo ?? '') + fallback)} |`;
  });
  return ['| Name | Label | Type | Default | Notes |', '|---|---|---|---|---|', ...rows].join('\n');
}

function argumentFacts(arg: ManifestArgument): string {
  const facts: string[] = [];
  if (arg.required) facts.push('required');
  if (arg.defaultValue !== undefined) facts.push(`default \`${String(arg.defaultValue)}\``);
  if (arg.predefined) facts.push(`one of ${arg.predefined.map((v) => `\`${v}\``).join(', ')}`);
  if (arg.type && arg.type !== 'string' && arg.type !== 'boolean') facts.push(arg.type);
  if (arg['x-minimum'] !== undefined || arg['x-maximum'] !== undefined) {
    facts.push(`${arg['x-minimum'] ?? ''}–${arg['x-maximum'] ?? ''}`);
  }
  if (arg.isArray) facts.push('list');
  if (arg['x-bulk']) facts.push('bulk: comma-separated values run via $batch');
  if (arg.secret) facts.push('secret');
  return facts.join('; ');
}

function renderCommand(command: ManifestCommand): string {
  const lines = [
    `### ${command.name}${command.deprecated ? ' (deprecated)' : ''}`,
    '',
    cell(command.description),
  ];
  const notes: string[] = [];
  if (command['x-class']) notes.push(`Class: \`${command['x-class']}\`.`);
  if (command['x-delegated-only']) {
    notes.push('Requires the authorization code flow (delegated permissions).');
  }
  if (command['x-requires-param']) {
    notes.push(`Runs only when \`${command['x-requires-param']}\` is selected.`);
  }
  if (command.execution) notes.push('Potentially harmful (`execution: true`).');
  if (notes.length) lines.push('', notes.join(' '));
  const args = (command.arguments ?? []).filter((a) => !a.hidden);
  if (args.length) {
    lines.push('', '| Argument | Details | Description |', '|---|---|---|');
    for (const a of args) {
      lines.push(`| \`${a.name}\` | ${argumentFacts(a)} | ${cell(a.description)} |`);
    }
  } else {
    lines.push('', 'No arguments.');
  }
  const outputs = command.outputs ?? [];
  if (outputs.length) {
    lines.push('', '| Context path | Type | Description |', '|---|---|---|');
    for (const o of outputs) {
      lines.push(`| \`${o.contextPath}\` | ${o.type ?? ''} | ${cell(o.description ?? '')} |`);
    }
  }
  return lines.join('\n');
}

export function renderCommands(manifest: Manifest): string {
  return manifest.script.commands.map(renderCommand).join('\n\n');
}

const section = (name: string) =>
  [`<!-- BEGIN GENERATED: ${name} (npm run docs) -->`, `<!-- END GENERATED: ${name} -->`] as const;

function replaceSection(text: string, name: string, body: string): string {
  const [begin, end] = section(name);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) {
    throw new Error(`README.md has no "${begin}" ... "${end}" section`);
  }
  return `${text.slice(0, start + begin.length)}\n\n${body}\n\n${text.slice(stop)}`;
}

/** The README with its generated sections rebuilt from the manifest. */
export function renderReadme(readme: string, manifest: Manifest): string {
  return replaceSection(
    replaceSection(readme, 'parameters', renderParameters(manifest)),
    'commands',
    renderCommands(manifest),
  );
}

export function readmePaths(): { readme: string; manifest: string } {
  const root = packageRoot();
  return { readme: join(root, 'README.md'), manifest: join(root, 'integration.yml') };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const paths = readmePaths();
  const manifest = parseManifest(readFileSync(paths.manifest, 'utf8'));
  writeFileSync(paths.readme, renderReadme(readFileSync(paths.readme, 'utf8'), manifest));
  process.stdout.write('README.md reference sections regenerated from integration.yml\n');
}
