/**
 * The promise-returning file calls the command path uses, made from node:fs's callbacks.
 * node:fs/promises would do, but loading it (it loads readline) costs every CLI start a few
 * milliseconds; these behave the same, errors included (the same `code`s).
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

export const writeFile = promisify(fs.writeFile);
export const stat = promisify(fs.stat);
export const mkdir = promisify(fs.mkdir);
export const rename = promisify(fs.rename);
export const unlink = promisify(fs.unlink);
export const open = promisify(fs.open);
export const fsync = promisify(fs.fsync);
export const close = promisify(fs.close);
