/** @module Loads a spec file: bytes → YAML → schema → rules, collecting every located error at once. */
import { checkAnalysisArgs } from './rules/analysis-args.js';
import { checkAnalysisCount } from './rules/analysis-count.js';
import { checkFreshBaseline } from './rules/fresh-baseline.js';
import { checkExperiments } from './rules/experiment.js';
import { measureDocument, YAML_LIMITS } from '../io/yaml-limits.js';
import { statSync } from 'node:fs';
import { InputTooLarge, readBounded } from '../io/read-bounded.js';
import { type Document, isAlias, LineCounter, parseAllDocuments, visit } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import { issuesToErrors } from './issues.js';
import { checkAnalysisFit } from './rules/analysis-fit.js';
import { checkAnalysisTemplates } from './rules/analysis-templates.js';
import { checkLocalPorts } from './rules/local-ports.js';
import { checkNotifyTargets } from './rules/notify-targets.js';
import { checkReleaseKeys } from './rules/release-keys.js';
import { checkServiceShape } from './rules/service-shape.js';
import { checkSloObjectives } from './rules/slo-objective.js';
import { checkPostRelease } from './rules/post-release.js';
import { checkNotSupportedYet } from './rules/not-supported-yet.js';
import { checkDependencyCycles } from './rules/cycles.js';
import { asMap, type RuleContext, type SpecRule } from './rules/raw.js';
import { checkReferences } from './rules/references.js';
import { checkInlineSecrets } from './rules/secrets.js';
import { type Platform, platform } from './schema/platform.js';
import { locate, positionOf, type SpecSource } from './source.js';
import { formatPath, type SpecPath } from './spec-path.js';

/** Past these a file is hostile or a mistake, not a platform. */
export const LIMITS = { bytes: 16 * 1024 * 1024, ...YAML_LIMITS } as const;

export type LoadResult =
  | { ok: true; spec: Platform; source: SpecSource }
  | { ok: false; errors: SlipwayError[]; source?: SpecSource };

const RULES: SpecRule[] = [
  checkReferences,
  checkDependencyCycles,
  checkInlineSecrets,
  checkServiceShape,
  checkReleaseKeys,
  checkSloObjectives,
  checkAnalysisTemplates,
  checkLocalPorts,
  checkNotifyTargets,
  checkAnalysisFit,
  checkAnalysisArgs,
  checkAnalysisCount,
  checkFreshBaseline,
  checkExperiments,
  checkNotSupportedYet,
  checkPostRelease,
];

function at(file: string, line: number, column: number, path?: SpecPath) {
  return { file, line, column, ...(path ? { path: formatPath(path) } : {}) };
}

function lineColumnOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** Decodes UTF-8 strictly; an invalid byte is reported where it is. */
function decode(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const { line, column } = lineColumnOf(lossy, Math.max(0, lossy.indexOf('\uFFFD')));
    throw new SlipwayError('SPEC_INVALID_UTF8', 'the file is not valid UTF-8', {
      location: at(file, line, column),
      hint: 'save the spec as UTF-8',
    });
  }
}

/** The key written at `offset`, for a duplicate-key message. */
function keyAt(text: string, offset: number): string {
  const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(offset, offset + 200))?.[1];
  return key === undefined ? '' : JSON.stringify(key.replace(/^["']|["']$/g, ''));
}

function yamlErrors(doc: Document.Parsed, source: SpecSource): SlipwayError[] {
  // The YAML composer catches its own stack overflow and reports it as an error at the deepest node.
  const overflow = doc.errors.find((e) => e.message.includes('call stack'));
  if (overflow) {
    const { line, column } = positionOf(source, overflow.pos[0]);
    return [
      new SlipwayError('SPEC_TOO_DEEP', 'the document is nested too deeply to read', {
        location: at(source.file, line, column),
      }),
    ];
  }
  const errors = doc.errors.map((e) => {
    const { line, column } = positionOf(source, e.pos[0]);
    const duplicate = e.code === 'DUPLICATE_KEY';
    const message = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.message;
    return new SlipwayError(
      duplicate ? 'SPEC_DUPLICATE_KEY' : 'SPEC_YAML_SYNTAX',
      duplicate ? `duplicate key ${keyAt(source.text, e.pos[0])}` : message,
      {
        location: at(source.file, line, column),
        ...(duplicate
          ? { hint: 'each key may appear once in a mapping; the second would silently win' }
          : {}),
      },
    );
  });
  for (const w of doc.warnings) {
    const { line, column } = positionOf(source, w.pos[0]);
    errors.push(
      new SlipwayError('SPEC_YAML_TAG', w.message.split('\n')[0] ?? w.message, {
        location: at(source.file, line, column),
        hint: 'a spec uses plain YAML values; custom tags are not allowed',
      }),
    );
  }
  return errors;
}

/** An alias that points nowhere, or too many of them (an "alias bomb"), or a structure too deep to expand. */
function aliasError(doc: Document.Parsed, source: SpecSource, error: Error): SlipwayError {
  if (error instanceof RangeError) {
    return new SlipwayError('SPEC_TOO_DEEP', 'the document is nested too deeply to read', {
      location: at(source.file, 1, 1),
    });
  }
  let unresolved: { offset: number; name: string } | undefined;
  let firstAlias = 0;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node)) return undefined;
      firstAlias ||= node.range?.[0] ?? 0;
      if (node.resolve(doc) === undefined) {
        unresolved = { offset: node.range?.[0] ?? 0, name: node.source };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (unresolved) {
    const { line, column } = positionOf(source, unresolved.offset);
    return new SlipwayError('SPEC_UNKNOWN_ANCHOR', `alias *${unresolved.name} refers to no anchor`, {
      location: at(source.file, line, column),
      hint: `define &${unresolved.name} before using *${unresolved.name}`,
    });
  }
  const { line, column } = positionOf(source, firstAlias);
  return new SlipwayError('SPEC_ALIAS_LIMIT', 'the document expands too many aliases (an "alias bomb")', {
    location: at(source.file, line, column),
    hint: 'write the values out, or use fewer aliases',
  });
}

/** Parses and validates spec text. Never throws for bad input: every problem is in `errors`. */
export function loadSpecText(input: string | Uint8Array, file: string): LoadResult {
  let text: string;
  try {
    if (typeof input !== 'string' && input.byteLength > LIMITS.bytes) {
      throw new SlipwayError(
        'SPEC_TOO_LARGE',
        `the file is ${input.byteLength} bytes; a spec may have at most ${LIMITS.bytes}`,
        {
          location: at(file, 1, 1),
        },
      );
    }
    text = typeof input === 'string' ? input : decode(input, file);
  } catch (error) {
    if (error instanceof SlipwayError) return { ok: false, errors: [error] };
    throw error;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > LIMITS.bytes) {
    return {
      ok: false,
      errors: [
        new SlipwayError('SPEC_TOO_LARGE', `a spec may have at most ${LIMITS.bytes} characters`, {
          location: at(file, 1, 1),
        }),
      ],
    };
  }

  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      merge: true,
    }) as Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError) {
      return {
        ok: false,
        errors: [
          new SlipwayError('SPEC_TOO_DEEP', 'the document is nested too deeply to read', {
            location: at(file, 1, 1),
          }),
        ],
      };
    }
    throw error;
  }
  // parseAllDocuments returns an EmptyStream (not an array) when there is no document at all.
  const first = Array.isArray(documents) ? documents[0] : undefined;
  if (!first || first.contents === null) {
    return {
      ok: false,
      errors: [
        new SlipwayError('SPEC_EMPTY', 'the spec is empty', {
          location: at(file, 1, 1),
          hint: 'start from `slipway schema` or an example in examples/',
        }),
      ],
    };
  }
  const source: SpecSource = { file, text, document: first, lineCounter };
  const errors = documents.flatMap((doc) => yamlErrors(doc, { ...source, document: doc }));
  if (documents.length > 1) {
    const second = documents[1]!;
    const { line, column } = positionOf(source, second.range[0]);
    errors.push(
      new SlipwayError(
        'SPEC_MULTIPLE_DOCUMENTS',
        `the file holds ${documents.length} YAML documents; a spec is one`,
        {
          location: at(file, line, column),
          hint: 'put each platform in its own file',
        },
      ),
    );
  }
  if (errors.length > 0) return { ok: false, errors, source };

  let data: unknown;
  try {
    data = first.toJS({ maxAliasCount: LIMITS.aliases });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      return { ok: false, source, errors: [aliasError(first, source, error)] };
    }
    throw error;
  }

  const size = measureDocument(data);
  if (size.nodes > LIMITS.nodes) {
    return {
      ok: false,
      source,
      errors: [
        new SlipwayError('SPEC_TOO_LARGE', `the spec has more than ${LIMITS.nodes} values`, {
          location: at(file, 1, 1),
        }),
      ],
    };
  }
  if (size.tooDeepAt) {
    return {
      ok: false,
      source,
      errors: [
        new SlipwayError('SPEC_TOO_DEEP', `the spec is nested more than ${LIMITS.depth} levels deep`, {
          location: locate(source, size.tooDeepAt),
        }),
      ],
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      source,
      errors: [
        new SlipwayError(
          'SPEC_NOT_A_MAPPING',
          'a spec is a mapping with apiVersion, kind, metadata, environments and services',
          {
            location: locate(source, []),
          },
        ),
      ],
    };
  }

  const parsed = platform.safeParse(data);
  const all = parsed.success ? [] : issuesToErrors(source, data, platform, parsed.error.issues);
  const ctx: RuleContext = { source, data: asMap(data) };
  for (const rule of RULES) all.push(...rule(ctx));
  if (all.length > 0 || !parsed.success) return { ok: false, errors: sortByLocation(dedupe(all)), source };
  return { ok: true, spec: parsed.data, source };
}

function dedupe(errors: SlipwayError[]): SlipwayError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}|${e.location?.line}|${e.location?.column}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortByLocation(errors: SlipwayError[]): SlipwayError[] {
  return [...errors].sort(
    (a, b) =>
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}

/** Reads and validates a spec file. */
export function loadSpecFile(file: string): LoadResult {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      return {
        ok: false,
        errors: [
          new SlipwayError('SPEC_IS_DIRECTORY', `${file} is a directory`, {
            hint: 'give a spec file, or use `slipway validate DIR`',
          }),
        ],
      };
    }
    if (stat.size > LIMITS.bytes) {
      return {
        ok: false,
        errors: [
          new SlipwayError(
            'SPEC_TOO_LARGE',
            `the file is ${stat.size} bytes; a spec may have at most ${LIMITS.bytes}`,
            { location: at(file, 1, 1) },
          ),
        ],
      };
    }
    bytes = readBounded(file, LIMITS.bytes);
  } catch (error) {
    if (error instanceof InputTooLarge)
      return {
        ok: false,
        errors: [
          new SlipwayError(
            'SPEC_TOO_LARGE',
            `the file has more than ${LIMITS.bytes} bytes, the most a spec may have`,
            {
              location: at(file, 1, 1),
            },
          ),
        ],
      };
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [
        new SlipwayError(
          code === 'ENOENT' ? 'SPEC_FILE_NOT_FOUND' : 'SPEC_FILE_UNREADABLE',
          code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`,
          {
            hint:
              code === 'ENOENT'
                ? 'pass the spec path, e.g. `slipway validate examples/demo/slipway.yaml`'
                : undefined,
          },
        ),
      ],
    };
  }
  return loadSpecText(bytes, file);
}

/** Loads a spec or throws its errors as one list (for commands that need a valid spec). */
export function requireSpec(file: string): { spec: Platform; source: SpecSource } {
  const result = loadSpecFile(file);
  if (result.ok) return result;
  throw new SpecInvalidError(result.errors);
}

export class SpecInvalidError extends SlipwayError {
  readonly errors: SlipwayError[];
  constructor(errors: SlipwayError[], what = 'the spec') {
    super('SPEC_INVALID', `${what} has ${errors.length} error(s)`);
    this.errors = errors;
  }
}
