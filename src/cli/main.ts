/** @module The `slipway` command line: parses flags, calls the API, maps errors to exit codes. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, exitCodeFor, SlipwayError, toSlipwayError } from '../errors/index.js';
import { SpecInvalidError } from '../spec/index.js';
import { registerCost } from './commands/cost.js';
import { registerDemo } from './commands/demo.js';
import { registerDiagnose } from './commands/diagnose.js';
import { registerDora } from './commands/dora.js';
import { registerDown } from './commands/down.js';
import { registerLint } from './commands/lint.js';
import { registerNetpol } from './commands/netpol.js';
import { registerPlan } from './commands/plan.js';
import { registerRender } from './commands/render.js';
import { registerReleaseCommands } from './commands/release-commands.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';
import { registerServices } from './commands/services.js';
import { registerToken } from './commands/token.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import type { CommandContext } from './context.js';
import { formatError } from './format-error.js';
import { KubectlHelp, withExamples } from './help.js';
import { type CliIO, processIO } from './io.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('slipway');
  let debug = false;
  program
    .description(
      'Slipway renders, checks and releases a multi-cluster platform from one spec,\nwith measured gates and automatic rollback.',
    )
    .version(packageVersion(), '-v, --version', 'print the version')
    .option('--debug', 'show stack traces and internal detail')
    .configureHelp({ sortSubcommands: false })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .hook('preAction', (cmd) => {
      debug = Boolean(cmd.opts<{ debug?: boolean }>().debug);
    });
  program.createHelp = () => new KubectlHelp();
  const isDebug = () => debug;
  registerDemo(program, ctx);
  registerValidate(program, ctx, isDebug);
  registerPlan(program, ctx);
  registerRender(program, ctx);
  registerLint(program, ctx, packageVersion());
  registerNetpol(program, ctx);
  registerCost(program, ctx);
  registerServe(program, ctx);
  registerToken(program, ctx);
  registerReleaseCommands(program, ctx);
  registerDora(program, ctx);
  registerServices(program, ctx);
  registerDown(program, ctx);
  registerVerify(program, ctx);
  registerDiagnose(program, ctx);
  registerSchema(program, ctx);
  for (const sub of program.commands) {
    sub.createHelp = () => new KubectlHelp();
    sub.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  }
  withExamples(
    program,
    `
# A canary release and an automatic rollback, on this machine
slipway demo

# Check every example platform
slipway validate examples

# Print the spec's JSON Schema
slipway schema`,
  );
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function run(argv: string[], io: CliIO = processIO): Promise<number> {
  const ctx: CommandContext = { io, exitCode: ExitCode.ok };
  const program = buildProgram(ctx);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and version "errors" are how commander says it printed what was asked.
      if (
        thrown.code === 'commander.helpDisplayed' ||
        thrown.code === 'commander.version' ||
        thrown.code === 'commander.help'
      )
        return ExitCode.ok;
      return ExitCode.userError;
    }
    if (thrown instanceof SpecInvalidError) {
      for (const e of thrown.errors) io.err(formatError(e, debug));
      io.err(thrown.message);
      return ExitCode.userError;
    }
    const error = toSlipwayError(thrown);
    io.err(formatError(error, debug || !(thrown instanceof SlipwayError)));
    return exitCodeFor(error.category);
  }
}
