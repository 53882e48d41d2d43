/**
 * Every command, in help order. Adding a command means writing its module and adding it here:
 * the CLI, help, completions, the man page, the JSON schemas and the README table follow.
 */
import type { CommandSpec } from './spec.js';
import { command as ice } from './ice.js';
import { command as cycles } from './cycles.js';
import { command as split } from './split.js';
import { command as retention } from './retention.js';
import { command as rate } from './rate.js';
import { command as summary } from './summary.js';
import { command as gitt } from './gitt.js';
import { command as cv } from './cv.js';
import { command as eis } from './eis.js';
import { command as dqdv } from './dqdv.js';
import { command as plot } from './plot-def.js';
import { command as inspect } from './inspect.js';
import { command as report } from './report.js';
import { command as records } from './records.js';
import { command as completion } from './completion.js';

export const COMMANDS: CommandSpec[] = [ice, cycles, split, retention, rate, summary, gitt, cv, eis, dqdv, plot, report, inspect, records, completion];
completion.all = COMMANDS;
