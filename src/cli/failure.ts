/**
 * How every CLI entry point reports a failure it did not turn into an entry: one line on stderr,
 * exit 2 for usage errors, 1 otherwise, and no stack trace for user mistakes.
 */
import { UsageError, UserError } from '../base/errors.js';

export function reportFailure(err: unknown, stderr: { write(text: string): unknown }): number {
  if (err instanceof UserError) {
    stderr.write(`msgraph-user: ${err.userMessage}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  stderr.write(`msgraph-user: unexpected error: ${(err as Error).message}\n`);
  return 1;
}
