/** @module Finds spec files: a file as given, or every slipway.yaml under a directory. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '../errors/index.js';

export const SPEC_FILE_NAMES = ['slipway.yaml', 'slipway.yml'];
const SKIP = new Set(['node_modules', '.git', 'dist', '.slipway']);

/** Spec files under `path`, sorted; a file path is returned as is (even if it does not exist yet). */
export function discoverSpecs(path: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return [path];
  }
  if (!isDirectory) return [path];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith('.'))
        walk(join(dir, entry.name), depth + 1);
      else if (entry.isFile() && SPEC_FILE_NAMES.includes(entry.name)) found.push(join(dir, entry.name));
    }
  };
  walk(path, 0);
  if (found.length === 0) {
    throw new SlipwayError('SPEC_NOT_FOUND', `no ${SPEC_FILE_NAMES.join(' or ')} under ${path}`, {
      hint: 'name the spec file, or put a slipway.yaml in the directory',
    });
  }
  return found;
}
