/** `hcarb completion bash|zsh|fish`: a completion script for the shell, from the command definitions. */
import { UsageError } from '../errors.js';
import { completion, SHELLS } from './docs.js';
import type { CommandSpec } from './spec.js';

/** Made with the full list, which includes this command (set by index.ts, or loaded when it runs alone). */
export const command: CommandSpec & { all?: CommandSpec[] } = {
  name: 'completion',
  summary: 'shell completion script: bash, zsh or fish',
  description: 'Prints a completion script for the shell: commands, options and their choices, plot kinds and file names.',
  args: [{ name: 'shell', description: SHELLS.join(', '), choices: SHELLS }],
  files: null,
  takes: { output: false },
  options: [],
  examples: ['source <(hcarb completion bash)', 'hcarb completion zsh > ~/.zfunc/_hcarb', 'hcarb completion fish > ~/.config/fish/completions/hcarb.fish'],
  fields: [],
  async run(ctx, args) {
    const shell = args[0] ?? '';
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: choose a shell: ${SHELLS.join(', ')}${shell ? `, not '${shell}'` : ''}`);
    const all = command.all ?? (await import('./index.js')).COMMANDS;
    ctx.io.stdout(completion(shell, all));
  },
};
