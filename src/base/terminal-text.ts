/**
 * Text bound for a terminal. Control characters from input (a playbook argument, a task name, an
 * option typed with an escape sequence) are written as escapes, so nothing printed can move the
 * cursor, clear the screen, retitle the window or hide what comes before it.
 */
// C0 controls except tab and newline, DEL, and C1 controls (8-bit CSI and friends).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_OR_LINE = /[\u0000-\u001f\u007f-\u009f]/g;

/** `\n`, `\t` and `\u001b` style, as JSON writes them. */
const escape = (c: string): string =>
  c.charCodeAt(0) < 0x20
    ? JSON.stringify(c).slice(1, -1)
    : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with control characters escaped; tabs and newlines kept unless `oneLine`. */
export function escapeControlCharacters(text: string, oneLine = false): string {
  return text.replace(oneLine ? CONTROL_OR_LINE : CONTROL, escape);
}
