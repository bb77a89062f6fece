/**
 * The core user commands' specs (get, list, create, update, delete, account enable/disable,
 * sessions, manager, direct reports, groups, auth methods, passwords), by family.
 */
import type { CommandSpec } from '../harness.js';
import { actionSpecs } from './users-actions.js';
import { passwordSpecs } from './users-passwords.js';
import { readSpecs } from './users-read.js';
import { relationSpecs } from './users-relations.js';
import { writeSpecs } from './users-write.js';

export const userSpecs: CommandSpec[] = [
  ...readSpecs,
  ...relationSpecs,
  ...writeSpecs,
  ...actionSpecs,
  ...passwordSpecs,
];
