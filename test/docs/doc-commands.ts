/** @module The shell commands README.md and docs/*.md show, one per line as a reader would paste them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocCommand {
  file: string;
  line: number;
  command: string;
}

/** The pages: README.md and every docs/*.md. */
export function docPages(root: string): string[] {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
}

/**
 * The commands of a page's ```sh blocks: continuation lines joined, a here-document kept with the command
 * that reads it, comment-only lines (expected output) and trailing comments left out.
 */
export function docCommands(root: string, file: string): DocCommand[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: DocCommand[] = [];
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.startsWith('```')) {
      inBlock = !inBlock && raw.trim() === '```sh';
      continue;
    }
    if (!inBlock || raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const start = i;
    let command = raw;
    while (command.endsWith('\\') && i + 1 < lines.length)
      command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
    const heredoc = /<<'?(\w+)'?/.exec(command);
    if (heredoc) while (i + 1 < lines.length && lines[++i]!.trim() !== heredoc[1]);
    out.push({ file, line: start + 1, command: command.replace(/\s+#\s.*$/, '').trim() });
  }
  return out;
}
