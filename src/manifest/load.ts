/**
 * Parses integration.yml, validates it against the strict schema and the consistency checks, and
 * reports every problem at once, each with its file, line, column and YAML path.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { checkManifest, type Problem, type YamlPath } from './consistency.js';
import { manifestSchema } from './schema.js';
import type { Manifest } from './types.js';

export interface LocatedProblem extends Problem {
  line?: number;
  column?: number;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: LocatedProblem[],
  ) {
    super(
      `${file} is not a valid integration manifest (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => formatProblem(file, p)).join('\n'),
    );
    this.name = 'ManifestError';
  }
}

/** `script.commands[3].arguments[0]` */
export function formatYamlPath(path: YamlPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

export function formatProblem(file: string, problem: LocatedProblem): string {
  const where = problem.line ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
  const path = formatYamlPath(problem.path);
  return `${where}: ${path ? `${path}: ` : ''}${problem.message}`;
}

function describeAjvError(error: ErrorObject): {
  path: YamlPath;
  message: string;
  keyPath?: string;
} {
  const path: YamlPath = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path,
        message: `unknown key "${String(params.additionalProperty)}"`,
        keyPath: String(params.additionalProperty),
      };
    case 'required':
      return { path, message: `missing required key "${String(params.missingProperty)}"` };
    case 'enum':
      return {
        path,
        message: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    case 'type':
      return { path, message: `must be ${String(params.type).replace(',', ' or ')}` };
    case 'pattern':
      return { path, message: `has an invalid format (expected ${String(params.pattern)})` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minItems':
      return { path, message: `must have at least ${String(params.limit)} item(s)` };
    default:
      return { path, message: error.message ?? `fails "${error.keyword}"` };
  }
}

/** The line and column of the node at `path` (or of a key `keyName` inside it). */
function locate(
  doc: Document,
  lines: LineCounter,
  path: YamlPath,
  keyName?: string,
): { line?: number; column?: number } {
  let node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (keyName !== undefined && isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && item.key.value === keyName,
    );
    if (pair && isScalar(pair.key)) node = pair.key;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return {};
  const { line, col } = lines.linePos(range[0]);
  return { line, column: col };
}

/** Adds the command's name to paths inside script.commands, so problems are easy to find. */
function withCommandName(path: YamlPath, message: string, data: unknown): string {
  if (path[0] !== 'script' || path[1] !== 'commands' || typeof path[2] !== 'number') return message;
  const commands = (data as { script?: { commands?: { name?: unknown }[] } }).script?.commands;
  const name = commands?.[path[2]]?.name;
  return typeof name === 'string' ? `(${name}) ${message}` : message;
}

let validateSchema: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates manifest text; throws ManifestError listing every problem. */
export function parseManifest(text: string, file = 'integration.yml'): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ManifestError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        // The library appends "at line L, column C:" and a code frame; we print the position ourselves.
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return {
          path: [],
          message: `YAML syntax error: ${message}`,
          line: pos?.line,
          column: pos?.col,
        };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // e.g. "Excessive alias count indicates a resource exhaustion attack"
    throw new ManifestError(file, [{ path: [], message: `YAML error: ${(err as Error).message}` }]);
  }
  validateSchema ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    manifestSchema,
  );
  if (!validateSchema(data)) {
    const problems = (validateSchema.errors ?? []).map((error) => {
      const described = describeAjvError(error);
      return {
        path: described.path,
        message: withCommandName(described.path, described.message, data),
        ...locate(doc, lines, described.path, described.keyPath),
      };
    });
    throw new ManifestError(file, problems);
  }
  const manifest = data as Manifest;
  const problems = checkManifest(manifest).map((p) => ({
    ...p,
    message: withCommandName(p.path, p.message, data),
    ...locate(doc, lines, p.path),
  }));
  if (problems.length > 0) throw new ManifestError(file, problems);
  return manifest;
}
