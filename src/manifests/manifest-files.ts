/**
 * @module The files a manifest path names: a file as given, `-` for standard input, a directory's YAML and
 * JSON files recursively in sorted order, with what could not be read reported and skipped.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { appendAll } from '../io/append-all.js';
import { SlipwayError } from '../errors/index.js';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** `-` reads standard input, so `helm template ./chart | slipway lint -` works. */
export const STDIN = '-';

/**
 * Files under the paths: a file as given, a directory's YAML/JSON files recursively, in sorted order. A
 * path given that does not exist is a user error; inside a directory, an entry that cannot be read (no
 * permission, a dangling symlink, a symlink loop) is reported in `problems` and the walk goes on.
 */
export function manifestFiles(
  paths: string[],
  problems: SlipwayError[] = [],
  seen = new Set<string>(),
): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      out.push(path);
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      if (seen.size === 0) throw new SlipwayError('MANIFEST_NOT_FOUND', `${path}: no such file or directory`);
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        new SlipwayError(
          'MANIFEST_UNREADABLE',
          `${path}: ${code === 'ELOOP' ? 'a symlink loop' : code === 'ENOENT' ? 'a dangling symlink' : (error as Error).message}; skipped`,
        ),
      );
      continue;
    }
    if (!stat.isDirectory()) {
      out.push(path);
      continue;
    }
    const real = realpathSync(path);
    if (seen.has(real)) {
      problems.push(
        new SlipwayError('MANIFEST_UNREADABLE', `${path}: a symlink loop (back to ${real}); skipped`),
      );
      continue;
    }
    seen.add(real);
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      problems.push(new SlipwayError('MANIFEST_UNREADABLE', `${path}: ${(error as Error).message}; skipped`));
      continue;
    }
    const children = entries
      .filter((e) => e.isDirectory() || e.isSymbolicLink() || EXTENSIONS.has(extname(e.name)))
      .filter((e) => !e.name.startsWith('.'))
      .filter((e) => !e.isSymbolicLink() || EXTENSIONS.has(extname(e.name)) || !extname(e.name))
      .map((e) => join(path, e.name));
    appendAll(out, manifestFiles(children, problems, seen));
  }
  return out;
}
