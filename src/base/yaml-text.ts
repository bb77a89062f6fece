/**
 * YAML parsing for user files, in its own module so callers can load it on demand. (A dynamic
 * import of the CommonJS `yaml` package itself loses its named exports in the bundle.)
 */
import { parse } from 'yaml';

export function parseYaml(text: string): unknown {
  return parse(text, { uniqueKeys: true }) as unknown;
}
