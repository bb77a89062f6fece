/**
 * What a playbook run prints per task: nothing from the playbook reaches the terminal raw.
 */
import { expect } from 'chai';
import { textEntry } from '../../src/command/entries.js';
import { formatTask } from '../../src/playbook/report.js';
import type { TaskResult } from '../../src/playbook/types.js';

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const task = (overrides: Partial<TaskResult>): TaskResult => ({
  id: '1',
  name: 'Get',
  type: 'regular',
  command: 'msgraph-user-get',
  args: {},
  status: 'completed',
  entries: [],
  durationMs: 3,
  ...overrides,
});

describe('playbook report', () => {
  it('escapes terminal control characters from arguments, task names and entries (was: printed raw)', () => {
    const printed = formatTask(
      task({
        name: 'Get \u001b]0;pwned\u0007',
        args: { user: 'adele\u001b[2J@contoso.com', note: 'bell\u0007', csi: 'x\u009b31m' },
        entries: [textEntry('found \u001b[31madele\u001b[0m\n| a | b |')],
        status: 'failed',
        error: 'User "adele\u001b[2J" not found',
      }),
    );
    expect(printed).not.to.match(RAW_CONTROL);
    expect(printed.split('\n')[0]).to.equal(
      '[1] Get \\u001b]0;pwned\\u0007: !msgraph-user-get user="adele\\u001b[2J@contoso.com" note="bell\\u0007" csi="x\\u009b31m" -> failed (3 ms)',
    );
    expect(printed).to.include('    found \\u001b[31madele\\u001b[0m\n    | a | b |');
  });

  it('prints ordinary values as they are', () => {
    expect(formatTask(task({ args: { user: 'kim@contoso.com', q: 'a b' } }))).to.equal(
      '[1] Get: !msgraph-user-get user=kim@contoso.com q="a b" -> completed (3 ms)\n',
    );
  });
});
