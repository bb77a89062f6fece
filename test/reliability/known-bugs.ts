/**
 * Product bugs these suites found and reported (with a reproduction and a patch) but may not fix:
 * only test/reliability is ours to edit. A case that depends on one is registered as pending, with
 * the bug in its title, so `npm test` stays green and the report stays visible. When a fix lands,
 * delete its entry here: the compiler then points at every case to re-enable. To see which
 * pending cases a patch already fixes, run with RELIABILITY_OPEN_BUGS=run.
 */
export const OPEN_BUGS: Record<string, string> = {};

export type BugId = string;

interface TestFunction {
  (title: string, fn: Mocha.Func | Mocha.AsyncFunc): Mocha.Test;
}

/** `it`, or a pending `it` titled with the open bug(s) the case waits for. */
export function itUnlessOpen(bugs: BugId | readonly BugId[] | undefined): TestFunction {
  const open = [bugs ?? []].flat();
  if (open.length === 0 || process.env.RELIABILITY_OPEN_BUGS === 'run') return it;
  return (title, fn) =>
    it.skip(`${title} [pending: ${open.map((b) => OPEN_BUGS[b]).join('; ')}]`, fn);
}
