/**
 * `msgraph-user state migrate --from LOCATION --to LOCATION [--force] [--instance NAME ...]`:
 * copies instances' state between a state folder and a Redis server (either way), and says what
 * it copied: instance names and how many entries each had, never a value.
 */
import { UsageError } from '../base/errors.js';
import type { StateBackend } from '../state/instance-store.js';
import type { MigrationReport } from '../state/migrate.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';

export const STATE_USAGE = `Usage: msgraph-user state migrate --from LOCATION --to LOCATION [options]

Copies every instance's state (tokens, MSAL cache, backoff, MFA secrets, the integration context)
from one place to another. A LOCATION is a state folder (as --state-dir) or a Redis URL
(redis://[user:password@]host:port/db, rediss://… for TLS). The source is only read. Target
instances that already hold state are left alone and nothing is copied, unless --force.

With MSGRAPH_USER_STATE_KEY set, what is written to Redis is encrypted with it, and Redis state
is read with it (unencrypted Redis state is read too, so a migration can encrypt it).

Options:
  --from LOCATION       where the state is now
  --to LOCATION         where to copy it
  --instance NAME       copy only this instance (repeatable)
  --force               replace target instances that already hold state
  -h, --help            this help`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  instance: { type: 'string', multiple: true },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function formatReport(report: MigrationReport): string {
  const { copied } = report;
  const width = Math.max(0, ...copied.map((c) => c.instance.length));
  const lines = copied.map(
    (c) =>
      `  ${c.instance.padEnd(width)}  ${c.entries} ${c.entries === 1 ? 'entry' : 'entries'}${c.replaced ? ' (replaced the target)' : ''}`,
  );
  const head =
    copied.length === 0
      ? `${report.from} has no instance state; nothing was copied to ${report.to}.`
      : `Copied ${copied.length} instance(s) from ${report.from} to ${report.to}:`;
  return [head, ...lines].join('\n');
}

async function open(location: string, option: '--from' | '--to', io: CliIo): Promise<StateBackend> {
  if (location.trim() === '') {
    throw new UsageError(`${option} needs a state folder or a Redis URL.`);
  }
  const { openStateBackend } = await import('../state/open-backend.js');
  return openStateBackend(location, {
    origin: option,
    key: io.env.MSGRAPH_USER_STATE_KEY || undefined,
    asSource: option === '--from',
  });
}

export async function runStateCli(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, 'msgraph-user state --help');
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${STATE_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const [sub, ...extra] = positionals;
  if (sub !== 'migrate') {
    throw new UsageError(`Unknown state subcommand "${sub}"; the one there is: migrate.`);
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (values.from === undefined || values.to === undefined) {
    throw new UsageError('state migrate needs --from LOCATION and --to LOCATION.');
  }
  const from = await open(values.from, '--from', io);
  try {
    const to = await open(values.to, '--to', io);
    try {
      if (from.describe === to.describe && from.kind === to.kind) {
        throw new UsageError('--from and --to name the same state; name two different places.');
      }
      const { migrateState } = await import('../state/migrate.js');
      const report = await migrateState(from, to, {
        force: values.force ?? false,
        instances: values.instance,
      });
      io.stdout.write(`${formatReport(report)}\n`);
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
