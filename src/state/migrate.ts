/**
 * Copies instances' state from one backend to another (a folder to Redis, or back). Every source
 * instance is read before anything is written, and every target is checked, so a failure (an
 * unreadable source, a target that already holds state) stops the migration before its first
 * write. The source is only read. Each copy is one update under the target instance's lock, which
 * checks again that the target is still empty.
 */
import { UsageError, UserError } from '../base/errors.js';
import type { ContextData, StateBackend } from './instance-store.js';

export interface MigrationOptions {
  /** Replace target instances that already hold state. */
  force?: boolean;
  /** Only these instances (default: every instance the source has). */
  instances?: string[];
}

export interface CopiedInstance {
  instance: string;
  /** Top-level entries of its context (never their values: they are tokens and secrets). */
  entries: number;
  /** Whether the target held state that was replaced (only with `force`). */
  replaced: boolean;
}

export interface MigrationReport {
  from: string;
  to: string;
  copied: CopiedInstance[];
}

const isEmpty = (context: ContextData): boolean => Object.keys(context).length === 0;

function refuseOccupied(occupied: string[], to: string): never {
  throw new UsageError(
    `${to} already holds state for ${occupied.length} of the instances to copy (${occupied.join(', ')}); nothing was copied. Add --force to replace it.`,
  );
}

export async function migrateState(
  from: StateBackend,
  to: StateBackend,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  const available = await from.instances();
  const wanted = options.instances ?? available;
  const missing = wanted.filter((name) => !available.includes(name));
  if (missing.length > 0) {
    throw new UsageError(
      `${from.describe} has no state for instance(s) ${missing.join(', ')}; it has ${available.length > 0 ? available.join(', ') : 'none'}.`,
    );
  }
  const sources = [];
  for (const instance of wanted) {
    sources.push({ instance, context: (await from.store(instance).get()).context });
  }
  const occupied: string[] = [];
  for (const { instance } of sources) {
    if (!isEmpty((await to.store(instance).get()).context)) occupied.push(instance);
  }
  if (occupied.length > 0 && !options.force) refuseOccupied(occupied, to.describe);

  const copied: CopiedInstance[] = [];
  for (const { instance, context } of sources) {
    await copyOne(instance, context).catch((err: unknown) => {
      throw partly(err, instance, copied, to.describe);
    });
    copied.push({
      instance,
      entries: Object.keys(context).length,
      replaced: occupied.includes(instance),
    });
  }
  return { from: from.describe, to: to.describe, copied };

  async function copyOne(instance: string, context: ContextData): Promise<void> {
    await to.store(instance).update((current) => {
      if (!isEmpty(current) && !options.force && !occupied.includes(instance)) {
        // Another process wrote there since the check.
        throw new UsageError(
          `${to.describe} gained state for instance ${instance} during the copy; ${copied.length} instance(s) were copied before it${copied.length > 0 ? ` (${copied.map((c) => c.instance).join(', ')})` : ''}. Add --force to replace it.`,
        );
      }
      return context;
    });
  }
}

/**
 * A copy that failed part-way (the target went away): what is already on the target, so that
 * the user can re-run with --force or with --instance for the rest.
 */
function partly(err: unknown, instance: string, copied: CopiedInstance[], to: string): unknown {
  if (!(err instanceof UserError) || err instanceof UsageError) return err;
  const done =
    copied.length > 0
      ? `${copied.length} instance(s) were copied to ${to} before it (${copied.map((c) => c.instance).join(', ')}); `
      : `nothing was copied to ${to}; `;
  return new UserError(
    `${err.message} The copy stopped at instance ${instance}: ${done}the source is unchanged.`,
    err.hint,
  );
}
