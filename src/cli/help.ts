/** @module kubectl-style help: description, examples, usage, then commands and flags. */
import { type Command, Help } from 'commander';

const examples = new WeakMap<Command, string>();

/** Attaches an Examples section, shown as kubectl shows it. */
export function withExamples(command: Command, text: string): Command {
  examples.set(command, text.replace(/^\n+|\s+$/g, ''));
  return command;
}

export class KubectlHelp extends Help {
  constructor() {
    super();
    this.showGlobalOptions = true;
  }

  override formatHelp(cmd: Command, helper: Help): string {
    const terms = [
      ...helper.visibleCommands(cmd).map((c) => c.name()),
      ...helper.visibleOptions(cmd).map((o) => helper.optionTerm(o)),
      ...helper.visibleGlobalOptions(cmd).map((o) => helper.optionTerm(o)),
    ];
    const width = Math.max(0, ...terms.map((t) => t.length));
    const item = (term: string, description: string) => `  ${term.padEnd(width + 2)}${description}`;
    const out: string[] = [];
    const description = helper.commandDescription(cmd);
    if (description) out.push(description, '');
    const example = examples.get(cmd);
    if (example)
      out.push(
        'Examples:',
        example
          .split('\n')
          .map((l) => (l ? `  ${l}` : l))
          .join('\n'),
        '',
      );
    const commands = helper.visibleCommands(cmd);
    if (commands.length) {
      out.push('Available Commands:');
      for (const sub of commands) out.push(item(sub.name(), helper.subcommandDescription(sub)));
      out.push('');
    }
    const options = helper.visibleOptions(cmd);
    if (options.length) {
      out.push('Flags:');
      for (const o of options) out.push(item(helper.optionTerm(o), helper.optionDescription(o)));
      out.push('');
    }
    const globals = helper.visibleGlobalOptions(cmd);
    if (globals.length) {
      out.push('Global Flags:');
      for (const o of globals) out.push(item(helper.optionTerm(o), helper.optionDescription(o)));
      out.push('');
    }
    out.push('Usage:', `  ${helper.commandUsage(cmd)}`, '');
    if (commands.length)
      out.push(`Use "${cmd.name()} <command> --help" for more information about a command.`, '');
    return out.join('\n');
  }
}
