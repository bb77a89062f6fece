/**
 * The hang guard and the suites' figures. Every case (a CLI invocation, in process or as a real
 * process, or a runtime call) runs under a deadline: a case that does not end fails its test with
 * the command line. Every case that ends is judged: handled when it ended with exit code 0, 1 or
 * 2, no stack trace and no "unexpected error … please report it"; otherwise its test fails too.
 */

/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at\s/m;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock duration in ms (reported, never asserted except by hang guards). */
  ms: number;
}

/**
 * What the suites tried and how it ended: the figures the README shows (figures.test.ts prints
 * them). Secret scans add what they searched and what they found.
 */
export const figures = {
  tried: 0,
  handled: 0,
  hangs: 0,
  /** Each case that was not handled, with why. */
  unhandled: [] as string[],
  /** Outputs, logs, files and recordings searched for secrets, and the leaks found in them. */
  scanned: 0,
  leaks: 0,
};

/** How long a CLI invocation may take before it counts as a hang (generous: it only has to end). */
export const IN_PROCESS_DEADLINE_MS = 15_000;
export const PROCESS_DEADLINE_MS = 60_000;

const BUG_REPORT = /unexpected error|please report it/i;

/** The command line as a failure message shows it: long values cut, control characters escaped. */
export function shownCommand(argv: string[]): string {
  const shown = argv.map((a) => (a.length > 80 ? `${a.slice(0, 60)}… (${a.length} chars)` : a));
  return JSON.stringify(['msgraph-user', ...shown].join(' ')).slice(1, -1);
}

export class HangError extends Error {}

/** Counts a case that had to be stopped. */
export function hang(what: string, ms: number): HangError {
  figures.tried += 1;
  figures.hangs += 1;
  figures.unhandled.push(`${what}: a hang`);
  return new HangError(`hang: ${what} did not end within ${ms / 1000} s`);
}

/** Fails with the command line when `work` does not end within `ms`. */
export async function underDeadline<T>(what: string, work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(hang(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts a finished case, and fails it (with the command line) unless it was handled. */
export function judge(what: string, result: Pick<CliResult, 'code' | 'stdout' | 'stderr'>): void {
  figures.tried += 1;
  const problems: string[] = [];
  if (BUG_REPORT.test(result.stdout) || BUG_REPORT.test(result.stderr)) {
    problems.push('an "unexpected error … please report it"');
  }
  if (STACK_LINE.test(result.stderr)) problems.push('a stack trace');
  // 3 is an answer too: the user, manager or method does not exist.
  if (![0, 1, 2, 3].includes(result.code)) problems.push(`exit code ${result.code}`);
  if (problems.length === 0) {
    figures.handled += 1;
    return;
  }
  figures.unhandled.push(`${what}: ${problems.join(', ')}`);
  throw new Error(`${what} ended with ${problems.join(' and ')}:\n${result.stderr.slice(0, 800)}`);
}

/** A runtime call as a case: under the in-process deadline, judged like the CLI would print it. */
export async function runtimeCase<T extends { Type: number; Contents: unknown }[]>(
  what: string,
  work: Promise<T>,
  deadlineMs = IN_PROCESS_DEADLINE_MS,
): Promise<T> {
  const entries = await underDeadline(what, work, deadlineMs);
  const errors = entries.filter((e) => e.Type === 4).map((e) => String(e.Contents));
  judge(what, { code: errors.length > 0 ? 1 : 0, stdout: '', stderr: errors.join('\n') });
  return entries;
}
