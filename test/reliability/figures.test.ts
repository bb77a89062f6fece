/**
 * The reliability suites' figures, printed once every suite has run (a root-level hook): how many
 * cases were tried and handled, how many hung, and how many secrets leaked. The README quotes
 * them from a full `npm test`.
 */
import { figures } from './support.js';

after(function () {
  if (figures.tried === 0 && figures.scanned === 0) return;
  const line =
    `reliability: ${figures.tried} cases tried, ${figures.handled} handled, ` +
    `${figures.hangs} hangs; ${figures.scanned} outputs, logs and files scanned for secrets, ` +
    `${figures.leaks} secrets leaked`;
  const unhandled = figures.unhandled.map((u) => `\n  not handled: ${u}`).join('');
  process.stdout.write(`\n${line}${unhandled}\n`);
});
