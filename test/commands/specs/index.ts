/**
 * Every command's spec. Each family file exports a list; add new families here.
 */
import type { CommandSpec } from '../harness.js';

export const specs: CommandSpec[] = [];
