/**
 * The cross-process lock, in its own module so it loads only when a command writes the
 * integration context. (A dynamic import of the CommonJS `proper-lockfile` package itself can lose
 * its named exports in the bundle.)
 */
export { lock } from 'proper-lockfile';
