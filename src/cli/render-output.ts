/**
 * @module `render --out`: the output tree and what Slipway owns in it. The index `.slipway-render` lists
 * every file render wrote; only those are ever removed, and only within the environments being rendered
 * now — so rendering one environment keeps the others, and a README or a `.git` in the directory is never
 * touched. A non-empty directory without an index is refused unless `--force` (which still deletes nothing
 * it does not own).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { SlipwayError } from '../errors/index.js';
import { appendAll } from '../io/append-all.js';

export const INDEX = '.slipway-render';
const HEADER =
  '# Written by `slipway render`: the files it owns here. Only these are ever deleted by a re-render.';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) appendAll(out, filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** The files the index says Slipway owns; a legacy index (no list) owned the environment folders. */
function owned(dir: string, environments: readonly string[]): Set<string> {
  const text = readFileSync(join(dir, INDEX), 'utf8');
  const listed = text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('Written by'));
  if (listed.length > 0 || text.startsWith('#')) return new Set(listed);
  return new Set(
    filesUnder(dir)
      .map((f) => relative(dir, f))
      .filter((f) => environments.includes(f.split(sep)[0]!)),
  );
}

export interface WriteResult {
  written: number;
  removed: number;
}

export function writeRenderTree(
  dir: string,
  files: ReadonlyMap<string, string>,
  rendered: { environments: readonly string[]; all: readonly string[]; force?: boolean },
): WriteResult {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new SlipwayError('RENDER_OUT_NOT_DIR', `--out ${dir} is a file, not a directory`, {
      hint: 'give a directory (it is created when missing)',
    });
  const exists = existsSync(dir) && readdirSync(dir).length > 0;
  const hasIndex = existsSync(join(dir, INDEX));
  if (exists && !hasIndex && !rendered.force)
    throw new SlipwayError(
      'RENDER_OUT_NOT_OURS',
      `${dir} is not empty and was not written by slipway render`,
      {
        hint: 'choose an empty or new directory, or --force to write into it (files Slipway did not write are never deleted)',
      },
    );
  mkdirSync(dir, { recursive: true });
  const before = hasIndex ? owned(dir, rendered.all) : new Set<string>();
  let removed = 0;
  for (const file of before) {
    const inRendered = rendered.environments.includes(file.split(sep)[0]!);
    if (!inRendered || files.has(file)) continue;
    if (existsSync(join(dir, file))) {
      rmSync(join(dir, file));
      removed++;
    }
    before.delete(file);
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    before.add(path);
  }
  writeFileSync(join(dir, INDEX), `${HEADER}\n${[...before].sort().join('\n')}\n`);
  return { written: files.size, removed };
}
