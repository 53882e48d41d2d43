/**
 * Every command definition, loaded at once (docs, completions, tests, the fuzzer). The order and the
 * modules are in list.ts; the CLI imports this module only when it needs the whole list.
 */
import type { CommandSpec } from './spec.js';
import { loadCommands } from './list.js';
import { command as completion } from './completion.js';

export const COMMANDS: CommandSpec[] = await loadCommands();
completion.all = COMMANDS;
