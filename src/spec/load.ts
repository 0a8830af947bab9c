/** @module Loads a spec file: bytes → YAML → schema → rules, collecting every located error at once. */
import { checkAnalysisArgs } from './rules/analysis-args.js';
import { checkAnalysisCount } from './rules/analysis-count.js';
import { checkFreshBaseline } from './rules/fresh-baseline.js';
import { checkExperiments } from './rules/experiment.js';
import { measureDocument, YAML_LIMITS } from '../io/yaml-limits.js';
import { statSync } from 'node:fs';
import { InputTooLarge, readBounded } from '../io/read-bounded.js';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
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
import { aliasError, at, decode, yamlErrors } from './yaml-errors.js';

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

type Failure = Extract<LoadResult, { ok: false }>;
/** A phase of loading: its value, or why the spec cannot be loaded. */
type Phase<T> = { value: T } | { failure: Failure };

const fail = (errors: SlipwayError[], source?: SpecSource): { failure: Failure } => ({
  failure: { ok: false, errors, ...(source ? { source } : {}) },
});

/** The file's text: decoded, without a byte-order mark, within the size limit. */
function readText(input: string | Uint8Array, file: string): Phase<string> {
  const tooLarge = (message: string) =>
    fail([new SlipwayError('SPEC_TOO_LARGE', message, { location: at(file, 1, 1) })]);
  if (typeof input !== 'string' && input.byteLength > LIMITS.bytes)
    return tooLarge(`the file is ${input.byteLength} bytes; a spec may have at most ${LIMITS.bytes}`);
  let text: string;
  try {
    text = typeof input === 'string' ? input : decode(input, file);
  } catch (error) {
    if (error instanceof SlipwayError) return fail([error]);
    throw error;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > LIMITS.bytes) return tooLarge(`a spec may have at most ${LIMITS.bytes} characters`);
  return { value: text };
}

/** The YAML: exactly one document, free of syntax errors. */
function parseSource(text: string, file: string): Phase<SpecSource> {
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
    if (!(error instanceof RangeError)) throw error;
    return fail([
      new SlipwayError('SPEC_TOO_DEEP', 'the document is nested too deeply to read', {
        location: at(file, 1, 1),
      }),
    ]);
  }
  // parseAllDocuments returns an EmptyStream (not an array) when there is no document at all.
  const first = Array.isArray(documents) ? documents[0] : undefined;
  if (!first || first.contents === null)
    return fail([
      new SlipwayError('SPEC_EMPTY', 'the spec is empty', {
        location: at(file, 1, 1),
        hint: 'start from `slipway schema` or an example in examples/',
      }),
    ]);
  const source: SpecSource = { file, text, document: first, lineCounter };
  const errors = documents.flatMap((doc) => yamlErrors(doc, { ...source, document: doc }));
  if (documents.length > 1) {
    const { line, column } = positionOf(source, documents[1]!.range[0]);
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
  return errors.length > 0 ? fail(errors, source) : { value: source };
}

/** The document's data: aliases within bounds, not too large or deep, and a mapping. */
function dataOf(source: SpecSource): Phase<Record<string, unknown>> {
  let data: unknown;
  try {
    data = source.document.toJS({ maxAliasCount: LIMITS.aliases });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError)
      return fail([aliasError(source.document, source, error)], source);
    throw error;
  }
  const size = measureDocument(data);
  if (size.nodes > LIMITS.nodes)
    return fail(
      [
        new SlipwayError('SPEC_TOO_LARGE', `the spec has more than ${LIMITS.nodes} values`, {
          location: at(source.file, 1, 1),
        }),
      ],
      source,
    );
  if (size.tooDeepAt)
    return fail(
      [
        new SlipwayError('SPEC_TOO_DEEP', `the spec is nested more than ${LIMITS.depth} levels deep`, {
          location: locate(source, size.tooDeepAt),
        }),
      ],
      source,
    );
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return fail(
      [
        new SlipwayError(
          'SPEC_NOT_A_MAPPING',
          'a spec is a mapping with apiVersion, kind, metadata, environments and services',
          { location: locate(source, []) },
        ),
      ],
      source,
    );
  return { value: data as Record<string, unknown> };
}

/** Parses and validates spec text. Never throws for bad input: every problem is in `errors`. */
export function loadSpecText(input: string | Uint8Array, file: string): LoadResult {
  const text = readText(input, file);
  if ('failure' in text) return text.failure;
  const source = parseSource(text.value, file);
  if ('failure' in source) return source.failure;
  const data = dataOf(source.value);
  if ('failure' in data) return data.failure;
  // The schema and every rule, all errors at once, in the order of the file.
  const parsed = platform.safeParse(data.value);
  const all = parsed.success ? [] : issuesToErrors(source.value, data.value, platform, parsed.error.issues);
  const ctx: RuleContext = { source: source.value, data: asMap(data.value) };
  for (const rule of RULES) all.push(...rule(ctx));
  if (all.length > 0 || !parsed.success)
    return { ok: false, errors: sortByLocation(dedupe(all)), source: source.value };
  return { ok: true, spec: parsed.data, source: source.value };
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
