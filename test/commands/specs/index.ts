/**
 * Every command's spec. Each family file exports a list; add new families here.
 */
import type { CommandSpec } from '../harness.js';
import { authSpecs } from './auth.js';
import { methodSpecs } from './methods.js';
import { userSpecs } from './users.js';

export const specs: CommandSpec[] = [...authSpecs, ...userSpecs, ...methodSpecs];
