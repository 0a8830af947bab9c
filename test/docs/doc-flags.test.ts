/**
 * Every `slipway` invocation the pages show — in ```sh blocks and in inline code such as
 * `slipway rollback SERVICE [--to V] [--env E]` — names a command the CLI has and only flags that command
 * (or the program) takes. A renamed flag or command left in a page fails here with its page and line,
 * including the commands no test runs as written (those the doc-commands test maps to another test).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { ROOT } from '../local/local-harness.js';
import { docPages } from './doc-commands.js';

interface Invocation {
  where: string;
  words: string[];
}

/** `slipway …` or `./bin/slipway.js …` up to the end of its shell command, per line of each page. */
function invocations(): Invocation[] {
  const out: Invocation[] = [];
  const start = /(?:^|[\s`($])(?:\.\/bin\/slipway\.js|slipway)\s+(?=[a-z-])/g;
  for (const page of docPages(ROOT)) {
    readFileSync(join(ROOT, page), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const match of line.matchAll(start)) {
          // Up to what ends a shell command or a code span; `\|` inside a span is an alternative, not a pipe.
          const rest = line.slice(match.index + match[0].length).replace(/\\\|/g, '/');
          const text = rest.split(/`|\s(?:&&|\|\||\||;|&|>|<)|\)/)[0]!;
          out.push({ where: `${page}:${i + 1}`, words: text.trim().split(/\s+/) });
        }
      });
  }
  return out;
}

/** The flags a command takes: its own, its parents' (the program's --debug, --version) and help. */
function flagsOf(command: Command): Set<string> {
  const flags = new Set(['-h', '--help']);
  for (let c: Command | null = command; c; c = c.parent)
    for (const option of c.options) {
      if (option.long) flags.add(option.long);
      if (option.short) flags.add(option.short);
    }
  return flags;
}

describe('slipway commands in the docs', () => {
  it('name commands and flags the CLI has', () => {
    const program = buildProgram({
      io: { out: () => undefined, err: () => undefined },
      exitCode: 0,
    } as never);
    const found = invocations();
    assert.ok(found.length > 100, `${found.length} invocations`);
    const wrong: string[] = [];
    for (const { where, words } of found) {
      let command = program;
      let i = 0;
      // Down the command tree while a word names a subcommand (`token create`).
      for (; i < words.length; i++) {
        const sub = command.commands.find((c) => c.name() === words[i] || c.aliases().includes(words[i]!));
        if (!sub) break;
        command = sub;
      }
      if (command === program) {
        // Prose such as "slipway makes them executable" is not an invocation; a command-like word is.
        if (/^[a-z]+$/.test(words[0]!) && i === 0 && looksLikeCommand(words))
          wrong.push(`${where}: no command ${words[0]}`);
        continue;
      }
      const flags = flagsOf(command);
      for (const word of words.slice(i)) {
        const flag = /^\[?(--?[a-zA-Z][\w-]*)/.exec(word)?.[1];
        if (flag && !flags.has(flag)) wrong.push(`${where}: slipway ${command.name()} has no ${flag}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

/** A word after `slipway` in prose is a command when flags or a SERVICE@VERSION follow it. */
function looksLikeCommand(words: string[]): boolean {
  return words.slice(1).some((w) => /^\[?--?[a-z]/.test(w) || /@/.test(w));
}
