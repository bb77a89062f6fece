/**
 * How a playbook run reads on a terminal: one line per task as it finishes (XSOAR's war-room
 * style `!command arg=value`), the war-room text of its entries, and at the end the context.
 */
import { escapeControlCharacters } from '../base/terminal-text.js';
import { entryText, isErrorEntry } from '../command/entries.js';
import type { TaskResult } from './types.js';

function argText(value: unknown): string {
  if (typeof value === 'string') {
    return /[\s"\u0000-\u001f\u007f-\u009f]/.test(value) || value === ''
      ? JSON.stringify(value)
      : value;
  }
  return JSON.stringify(value);
}

/** `!msgraph-user-get user=kim@contoso.com properties="a b"` */
export function commandLine(task: TaskResult): string {
  const args = Object.entries(task.args).map(([k, v]) => `${k}=${argText(v)}`);
  return [`!${task.command}`, ...args].join(' ');
}

const indent = (text: string): string =>
  escapeControlCharacters(text)
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line ? `    ${line}` : line))
    .join('\n');

/** The lines printed for a finished task (empty for the start task). */
export function formatTask(task: TaskResult): string {
  if (task.type === 'start') return '';
  const name = task.name || `task ${task.id}`;
  if (task.type === 'title' || task.type === 'section') {
    return `\n## ${escapeControlCharacters(name, true)}\n`;
  }
  const what =
    task.type === 'condition'
      ? `branch ${task.branch ?? '#default#'}`
      : task.command
        ? commandLine(task)
        : '';
  const head = `[${task.id}] ${name}${what ? `: ${what}` : ''}`;
  const lines = [
    `${escapeControlCharacters(head, true)} -> ${task.status} (${task.durationMs} ms)`,
  ];
  for (const entry of task.entries) {
    if (isErrorEntry(entry)) continue;
    const text = entryText(entry);
    if (text.trim()) lines.push(indent(text));
  }
  if (task.error) {
    lines.push(indent(`${task.status === 'skipped' ? 'skipped' : 'error'}: ${task.error}`));
  }
  return `${lines.join('\n')}\n`;
}
