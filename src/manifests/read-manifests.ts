/**
 * @module Kubernetes objects from YAML or JSON files: multi-document streams, `List`s and Helm's rendered
 * output (its `# Source:` comments name the template), each object with the file and line it came from.
 */
import { measureDocument, YAML_LIMITS } from '../io/yaml-limits.js';
import { InputTooLarge, manifestInputLimit, readBounded } from '../io/read-bounded.js';
import { Composer, type Document, LineCounter, type Node, Parser, parseDocument } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import type { K8sObject, LocatedObject } from '../render/k8s-object.js';
import { appendAll } from '../io/append-all.js';
import { manifestFiles, STDIN } from './manifest-files.js';

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

// Duplicate keys are an error, as kubectl makes them: the last value silently winning hides a mistake.
// Merge keys (`<<: *base`) as kubectl's YAML reader applies them.
const PARSE_OPTIONS = { uniqueKeys: true, merge: true } as const;

/** Up to this many characters a text keeps its documents' syntax trees for placing findings. */
export const KEEP_TREES_UP_TO = 4 * 1024 * 1024;

/** Where a path of a document is: its node's position, else its nearest ancestor's, else the document's. */
function nodeOffset(doc: Document, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node.range[0];
  }
  return (doc.contents as Node | null)?.range?.[0] ?? 0;
}

/**
 * Locates paths in the documents of one text after their syntax trees are gone: a document is parsed again
 * when a finding needs a line in it, and only the last one parsed is kept (findings are placed object by
 * object), so a large stream holds its objects, not its trees.
 */
function relocator(text: string, keepTrees: boolean) {
  if (keepTrees)
    return (range: [number, number], doc?: Document) =>
      (path: readonly (string | number)[]): number =>
        doc ? nodeOffset(doc, path) : range[0];
  let last: { start: number; doc: Document } | undefined;
  // The tree it is given is not kept: this one is the document parsed again.
  return (range: [number, number]) =>
    (path: readonly (string | number)[]): number => {
      if (last?.start !== range[0])
        last = { start: range[0], doc: parseDocument(text.slice(range[0], range[1]), PARSE_OPTIONS) };
      return range[0] + nodeOffset(last.doc, path);
    };
}

/**
 * An object's locator, made outside the reading loop on purpose: a closure made inside it would share the
 * loop's scope, and with it the document's syntax tree, for as long as the object lives.
 */
function located(
  relocate: ReturnType<typeof relocator>,
  range: [number, number],
  doc: Document,
  prefix: (string | number)[],
  position: (offset: number) => { line: number; column: number },
) {
  const within = relocate(range, doc);
  return (path: readonly (string | number)[]) => position(within([...prefix, ...path]));
}

type Position = (offset: number) => { line: number; column: number };

export function readManifestText(
  text: string,
  file: string,
  options: { keepTreesUpTo?: number } = {},
): ReadResult {
  const lines = new LineCounter();
  const result: ReadResult = { objects: [], errors: [] };
  const position: Position = (offset) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  // A text up to a few MB keeps its trees (placing a finding is a lookup); a larger one parses a document
  // again when a finding needs it: twice the parsing, half the memory.
  const relocate = relocator(text, text.length <= (options.keepTreesUpTo ?? KEEP_TREES_UP_TO));
  // Document by document: each one's tree is dropped once its objects are taken out.
  const docs = new Composer(PARSE_OPTIONS).compose(new Parser(lines.addNewLine).parse(text));
  for (const doc of docs) {
    const read = documentValue(doc, file, position);
    if (read instanceof SlipwayError) result.errors.push(read);
    else if (read !== undefined) objectsOf(read.value, { doc, file, position, relocate }, result);
  }
  return result;
}

/** A document's value, or why it cannot be read (syntax, alias bomb, depth or size), or undefined when empty. */
function documentValue(
  doc: Document,
  file: string,
  position: Position,
): { value: unknown } | SlipwayError | undefined {
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    return new SlipwayError(
      'MANIFEST_INVALID_YAML',
      first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      { location: { file, ...position(first.pos[0]) } },
    );
  }
  const root = doc.contents as Node | null;
  if (root === null || root === undefined) return undefined;
  const at = { file, ...position(root.range?.[0] ?? 0) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: YAML_LIMITS.aliases });
  } catch (error) {
    return new SlipwayError(
      'MANIFEST_ALIAS_LIMIT',
      `the document expands too many aliases (${(error as Error).message})`,
      {
        location: at,
        hint: `a YAML alias bomb, or a document that repeats an anchor more than ${YAML_LIMITS.aliases} times`,
      },
    );
  }
  // The same depth and size limits as the spec loader's.
  const shape = measureDocument(value);
  if (shape.tooDeepAt || shape.nodes > YAML_LIMITS.nodes)
    return new SlipwayError(
      shape.tooDeepAt ? 'MANIFEST_TOO_DEEP' : 'MANIFEST_TOO_LARGE',
      shape.tooDeepAt
        ? `the document is nested more than ${YAML_LIMITS.depth} levels deep`
        : `the document has more than ${YAML_LIMITS.nodes} values`,
      { location: at },
    );
  // An empty or comment-only document (a trailing `---`, Helm's skipped templates) holds nothing: kubectl skips it.
  return value === null || value === undefined ? undefined : { value };
}

interface DocumentPlace {
  doc: Document.Parsed;
  file: string;
  position: Position;
  relocate: ReturnType<typeof relocator>;
}

/** The objects of a document's value: itself, or a `List`'s items; kustomize's own files are none. */
function objectsOf(value: unknown, place: DocumentPlace, into: ReadResult): void {
  // kustomize's own files (render --out writes one per cluster) configure a build; they are not objects.
  if (isObject(value) && String(value['apiVersion'] ?? '').startsWith('kustomize.config.k8s.io/')) return;
  const list =
    isObject(value) &&
    typeof value['kind'] === 'string' &&
    value['kind'].endsWith('List') &&
    Array.isArray(value['items']);
  const items = list
    ? (value['items'] as unknown[]).map((item, i) => [item, ['items', i]] as const)
    : [[value, []] as const];
  const detail = helmSource(place.doc);
  for (const [item, prefix] of items) {
    // While the tree is here, places are read from it; a finding located later parses the document again.
    const at = (path: readonly (string | number)[]) => ({
      file: place.file,
      ...place.position(nodeOffset(place.doc, [...prefix, ...path])),
    });
    const problem = objectProblem(item, at);
    if (problem) {
      into.errors.push(problem);
      continue;
    }
    const { doc, position, relocate } = place;
    const range: [number, number] = [doc.range[0], doc.range[2]];
    into.objects.push({
      object: item as K8sObject,
      origin: {
        ...at([]),
        ...(detail ? { detail } : {}),
        locate: located(relocate, range, doc, [...prefix], position),
      },
    });
  }
}

/** Why an item is not a Kubernetes object the API server would take, or undefined. */
function objectProblem(
  item: unknown,
  at: (path: readonly (string | number)[]) => { file: string; line: number; column: number },
): SlipwayError | undefined {
  if (!isObject(item))
    return new SlipwayError('MANIFEST_NOT_OBJECT', 'a Kubernetes object must be a mapping', {
      location: at([]),
    });
  const missing = ['apiVersion', 'kind'].filter((k) => typeof item[k] !== 'string');
  const meta = item['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string') missing.push('metadata.name');
  if (missing.length > 0)
    return new SlipwayError(
      'MANIFEST_NOT_K8S_OBJECT',
      `not a Kubernetes object: missing ${missing.join(', ')}`,
      {
        location: at([]),
      },
    );
  const bad = badMetadata(meta as Record<string, unknown>);
  if (bad)
    return new SlipwayError('MANIFEST_INVALID_METADATA', `metadata.${bad.message}`, {
      location: at(bad.path),
      hint: 'the API server rejects it too: names, namespaces, label and annotation values are strings (quote "true" and numbers)',
    });
  return undefined;
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
    appendAll(objects, result.objects);
    appendAll(errors, result.errors);
  }
  return { objects, errors };
}
