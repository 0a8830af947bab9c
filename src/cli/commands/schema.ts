/** @module `slipway schema` */
import type { Command } from 'commander';
import { platformJsonSchema } from '../../spec/index.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';

export function registerSchema(program: Command, ctx: CommandContext): void {
  const command = program
    .command('schema')
    .description('Print the JSON Schema of the platform spec (for editor autocompletion and other tools).')
    .action(() => {
      ctx.io.out(JSON.stringify(platformJsonSchema(), null, 2));
    });
  withExamples(
    command,
    `
# Save the schema and point your editor at it with the first line of slipway.yaml:
#   # yaml-language-server: $schema=./slipway.schema.json
slipway schema > slipway.schema.json`,
  );
}
