/**
 * Where a command's context outputs go, read from its manifest outputs: the longest dotted prefix
 * its output paths share (`MSGraphUser.TAPPolicy` for `MSGraphUser.TAPPolicy.ID`, ...), leaving out
 * XSOAR's standard `Account` entity, which user commands write beside their own prefix. Handlers
 * take the prefix from here, so a context path is stated once, in integration.yml.
 */
import type { ManifestCommand } from './types.js';

const STANDARD_ENTITIES = ['Account'];

export function outputsPrefix(command: ManifestCommand): string {
  const paths = (command.outputs ?? [])
    .map((o) => o.contextPath.split('.'))
    .filter((parts) => !STANDARD_ENTITIES.includes(parts[0]!));
  if (paths.length === 0) return '';
  const shared: string[] = [];
  for (let i = 0; paths.every((p) => i < p.length - 1 && p[i] === paths[0]![i]); i++) {
    shared.push(paths[0]![i]!);
  }
  return shared.join('.');
}
