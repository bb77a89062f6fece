/**
 * Who may run what: a key's grant names the instances it may use and the command classes
 * (integration.yml's `x-class`) it may run. A dry run sends nothing that changes anything, so it
 * needs only `read`, except for `credential` commands: their dry run may still obtain a token.
 */
import type { CommandClass, ManifestCommand } from '../manifest/types.js';
import type { Grant } from './api-keys.js';

/** The command's class; the engine refuses to start with a manifest that leaves one out. */
export const classOf = (command: ManifestCommand): CommandClass =>
  command['x-class'] ?? 'credential';

export function neededClass(command: ManifestCommand, dryRun: boolean): CommandClass {
  const cls = classOf(command);
  return dryRun && cls !== 'credential' ? 'read' : cls;
}

export const mayUseInstance = (grant: Grant, instance: string): boolean =>
  grant.instances.includes('*') || grant.instances.includes(instance);

/** Why `grant` may not run `command` on `instance`, or undefined when it may. */
export function refusal(
  grant: Grant,
  instance: string,
  command: ManifestCommand,
  dryRun: boolean,
): string | undefined {
  if (!mayUseInstance(grant, instance)) {
    return `This API key may not use instance "${instance}".`;
  }
  const needed = neededClass(command, dryRun);
  if (grant.classes.includes(needed)) return undefined;
  const allowed = grant.classes.length > 0 ? grant.classes.join(', ') : 'none';
  const what = dryRun ? `A dry run of ${command.name}` : command.name;
  return `${what} needs the "${needed}" class, and this API key may run only: ${allowed}.`;
}
