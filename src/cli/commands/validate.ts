/** @module `slipway validate [FILE|DIR]` */
import type { Command } from 'commander';
import { ExitCode, errorToJson } from '../../errors/index.js';
import { validatePath } from '../../spec/index.js';
import type { CommandContext } from '../context.js';
import { formatError } from '../format-error.js';
import { withExamples } from '../help.js';

export function registerValidate(program: Command, ctx: CommandContext, debug: () => boolean): void {
  const command = program
    .command('validate')
    .description(
      'Validate platform specs and report every error at once, each with its file, line and column.',
    )
    .argument('[FILE|DIR]', 'a spec file, or a directory searched for slipway.yaml files', 'slipway.yaml')
    .option('--json', 'print the result as JSON')
    .action((path: string, options: { json?: boolean }) => {
      const reports = validatePath(path);
      const invalid = reports.filter((r) => !r.valid);
      if (options.json) {
        ctx.io.out(
          JSON.stringify(
            {
              valid: invalid.length === 0,
              files: reports.map((r) => ({
                file: r.file,
                valid: r.valid,
                ...(r.valid ? { services: r.services, environments: r.environments } : {}),
                errors: r.errors.map(errorToJson),
              })),
            },
            null,
            2,
          ),
        );
      } else {
        for (const report of reports) {
          if (report.valid)
            ctx.io.out(
              `${report.file}: valid (${plural(report.services ?? 0, 'service')}, ${plural(report.environments ?? 0, 'environment')})`,
            );
          else for (const error of report.errors) ctx.io.err(formatError(error, debug()));
        }
        if (invalid.length > 0) {
          const count = invalid.reduce((n, r) => n + r.errors.length, 0);
          ctx.io.err(`${count} error(s) in ${invalid.length} of ${reports.length} file(s)`);
        }
      }
      ctx.exitCode = invalid.length === 0 ? ExitCode.ok : ExitCode.userError;
    });
  withExamples(
    command,
    `
# Validate the spec in the current directory
slipway validate

# Validate every example (each slipway.yaml under the directory)
slipway validate examples

# Machine-readable result
slipway validate examples/demo/slipway.yaml --json`,
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
