/**
 * Every command, in help order, each loaded on first use. Adding a command means writing its module
 * and adding it here: the CLI, help, completions, the man page, the JSON schemas and the README table
 * follow. The CLI imports only the module of the command it runs (and the whole list for general help
 * or an unknown name), so `hcarb ice` does not load the EIS fitter, the CV analysis or the plots.
 */
import type { CommandSpec } from './spec.js';

type Loader = () => Promise<{ command: CommandSpec }>;

export const COMMAND_LOADERS: ReadonlyArray<readonly [string, Loader]> = [
  ['ice', () => import('./ice.js')],
  ['cycles', () => import('./cycles.js')],
  ['split', () => import('./split.js')],
  ['retention', () => import('./retention.js')],
  ['rate', () => import('./rate.js')],
  ['summary', () => import('./summary.js')],
  ['gitt', () => import('./gitt.js')],
  ['cv', () => import('./cv.js')],
  ['eis', () => import('./eis.js')],
  ['dqdv', () => import('./dqdv.js')],
  ['plot', () => import('./plot-def.js')],
  ['report', () => import('./report.js')],
  ['inspect', () => import('./inspect.js')],
  ['records', () => import('./records.js')],
  ['completion', () => import('./completion.js')],
];

export const COMMAND_NAMES: readonly string[] = COMMAND_LOADERS.map(([name]) => name);

/** One command's definition, or null for a name that is not a command. */
export async function loadCommand(name: string): Promise<CommandSpec | null> {
  const entry = COMMAND_LOADERS.find(([n]) => n === name);
  return entry ? (await entry[1]()).command : null;
}

/** Every definition, in help order. */
export async function loadCommands(): Promise<CommandSpec[]> {
  return Promise.all(COMMAND_LOADERS.map(async ([name, load]) => {
    const { command } = await load();
    if (command.name !== name) throw new Error(`command list: '${name}' loads the definition of '${command.name}'`);
    return command;
  }));
}
