/**
 * @module Kubernetes objects from YAML or JSON files: multi-document streams, `List`s and Helm's rendered
 * output (its `# Source:` comments name the template), each object with the file and line it came from.
 */
import { measureDocument, YAML_LIMITS } from '../io/yaml-limits.js';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { InputTooLarge, manifestInputLimit, readBounded } from '../io/read-bounded.js';
import { extname, join } from 'node:path';
import { type Document, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import type { K8sObject, LocatedObject } from '../render/k8s-object.js';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** `-` reads standard input, so `helm template ./chart | slipway lint -` works. */
const STDIN = '-';

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
    out.push(...manifestFiles(children, problems, seen));
  }
  return out;
}

export interface ReadResult {
  objects: LocatedObject[];
  errors: SlipwayError[];
}

function helmSource(doc: Document): string | undefined {
  // After `---` the comment belongs to the document's contents, before it to the document.
  const comments = `${doc.commentBefore ?? ''}\n${(doc.contents as { commentBefore?: string } | null)?.commentBefore ?? ''}`;
  const match = /Source:\s*(\S+)/.exec(comments);
  return match?.[1];
}

export function readManifestText(text: string, file: string): ReadResult {
  const lines = new LineCounter();
  // Duplicate keys are an error, as kubectl makes them: the last value silently winning hides a mistake.
  // Merge keys (`<<: *base`) as kubectl's YAML reader applies them.
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, merge: true });
  const objects: LocatedObject[] = [];
  const errors: SlipwayError[] = [];
  const position = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      errors.push(
        new SlipwayError(
          'MANIFEST_INVALID_YAML',
          first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
          {
            location: { file, ...position(first.pos[0]) },
          },
        ),
      );
      continue;
    }
    const root = doc.contents as Node | null;
    if (root === null || root === undefined) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_LIMITS.aliases });
    } catch (error) {
      errors.push(
        new SlipwayError(
          'MANIFEST_ALIAS_LIMIT',
          `the document expands too many aliases (${(error as Error).message})`,
          {
            location: { file, ...position(root.range?.[0] ?? 0) },
            hint: `a YAML alias bomb, or a document that repeats an anchor more than ${YAML_LIMITS.aliases} times`,
          },
        ),
      );
      continue;
    }
    // The same depth and size limits as the spec loader's.
    const shape = measureDocument(value);
    if (shape.tooDeepAt || shape.nodes > YAML_LIMITS.nodes) {
      errors.push(
        new SlipwayError(
          shape.tooDeepAt ? 'MANIFEST_TOO_DEEP' : 'MANIFEST_TOO_LARGE',
          shape.tooDeepAt
            ? `the document is nested more than ${YAML_LIMITS.depth} levels deep`
            : `the document has more than ${YAML_LIMITS.nodes} values`,
          { location: { file, ...position(root.range?.[0] ?? 0) } },
        ),
      );
      continue;
    }
    const detail = helmSource(doc);
    const locate = (prefix: (string | number)[]) => (path: readonly (string | number)[]) => {
      for (let n = prefix.length + path.length; n >= 0; n--) {
        const node = doc.getIn([...prefix, ...path].slice(0, n), true) as Node | undefined;
        if (node && typeof node === 'object' && 'range' in node && node.range) return position(node.range[0]);
      }
      return position(root.range?.[0] ?? 0);
    };
    const add = (item: unknown, prefix: (string | number)[]) => {
      const at = locate(prefix)([]);
      if (!isObject(item)) {
        errors.push(
          new SlipwayError('MANIFEST_NOT_OBJECT', 'a Kubernetes object must be a mapping', {
            location: { file, ...at },
          }),
        );
        return;
      }
      const missing = ['apiVersion', 'kind'].filter((k) => typeof item[k] !== 'string');
      const meta = item['metadata'];
      if (!isObject(meta) || typeof meta['name'] !== 'string') missing.push('metadata.name');
      if (missing.length > 0) {
        errors.push(
          new SlipwayError(
            'MANIFEST_NOT_K8S_OBJECT',
            `not a Kubernetes object: missing ${missing.join(', ')}`,
            {
              location: { file, ...at },
            },
          ),
        );
        return;
      }
      const bad = badMetadata(meta as Record<string, unknown>);
      if (bad) {
        errors.push(
          new SlipwayError('MANIFEST_INVALID_METADATA', `metadata.${bad.message}`, {
            location: { file, ...locate(prefix)(bad.path) },
            hint: 'the API server rejects it too: names, namespaces, label and annotation values are strings (quote "true" and numbers)',
          }),
        );
        return;
      }
      objects.push({
        object: item as K8sObject,
        origin: { file, ...at, ...(detail ? { detail } : {}), locate: locate(prefix) },
      });
    };
    // An empty or comment-only document (a trailing `---`, Helm's skipped templates) holds nothing: kubectl skips it.
    if (value === null || value === undefined) continue;
    // kustomize's own files (render --out writes one per cluster) configure a build; they are not objects.
    if (isObject(value) && String(value['apiVersion'] ?? '').startsWith('kustomize.config.k8s.io/')) continue;
    if (
      isObject(value) &&
      typeof value['kind'] === 'string' &&
      value['kind'].endsWith('List') &&
      Array.isArray(value['items'])
    ) {
      value['items'].forEach((item, index) => add(item, ['items', index]));
    } else add(value, []);
  }
  return { objects, errors };
}

/** What the API server would reject in metadata, and where, or undefined. */
function badMetadata(meta: Record<string, unknown>): { message: string; path: string[] } | undefined {
  if (meta['namespace'] !== undefined && typeof meta['namespace'] !== 'string')
    return { message: 'namespace must be a string', path: ['metadata', 'namespace'] };
  for (const field of ['labels', 'annotations']) {
    const map = meta[field];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) return { message: `${field} must be a mapping`, path: ['metadata', field] };
    for (const [key, value] of Object.entries(map))
      if (typeof value !== 'string')
        return {
          message: `${field}[${JSON.stringify(key)}] must be a string, not ${value === null ? 'null' : typeof value}`,
          path: ['metadata', field, key],
        };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readManifests(paths: string[]): ReadResult {
  const objects: LocatedObject[] = [];
  const errors: SlipwayError[] = [];
  for (const file of manifestFiles(paths, errors)) {
    let text: string;
    try {
      text = readBounded(file === STDIN ? 0 : file, manifestInputLimit()).toString('utf8');
    } catch (thrown) {
      errors.push(
        thrown instanceof InputTooLarge
          ? new SlipwayError(
              'MANIFEST_TOO_LARGE',
              `${file === STDIN ? '<stdin>' : file}: more than ${thrown.limit} bytes`,
              {
                hint: 'SLIPWAY_MAX_INPUT_BYTES raises the limit',
              },
            )
          : new SlipwayError('MANIFEST_UNREADABLE', `${file}: ${(thrown as Error).message}`),
      );
      continue;
    }
    if (file === STDIN && text.trim() === '') {
      errors.push(
        new SlipwayError('MANIFEST_EMPTY_INPUT', 'standard input is empty: nothing to check', {
          hint: 'pipe Kubernetes YAML in, e.g. helm template ./chart | slipway lint -',
        }),
      );
      continue;
    }
    const result = readManifestText(text, file === STDIN ? '<stdin>' : file);
    objects.push(...result.objects);
    errors.push(...result.errors);
  }
  return { objects, errors };
}
