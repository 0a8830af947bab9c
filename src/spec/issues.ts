/** @module Turns schema issues into located errors a person can act on. */
import type { z } from 'zod';
import { type ErrorCode, isErrorCode, SlipwayError } from '../errors/index.js';
import { allowedKeys } from './schema-walk.js';
import { locate, type SpecSource } from './source.js';
import type { SpecPath } from './spec-path.js';
import { closest, didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;

/** What a YAML value is, in the words a person uses. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: SpecPath): { found: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return { found: false, value: undefined };
    if (!Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const typeWord = (expected: string) =>
  ({ object: 'mapping', record: 'mapping', array: 'list', int: 'whole number', nonoptional: 'value' })[
    expected
  ] ?? expected;

interface Context {
  source: SpecSource;
  data: unknown;
  root: z.ZodType;
}

function errorAt(
  ctx: Context,
  code: ErrorCode,
  message: string,
  path: SpecPath,
  at: 'key' | 'value',
  hint?: string,
) {
  return new SlipwayError(code, message, {
    location: locate(ctx.source, path, at),
    ...(hint ? { hint } : {}),
  });
}

/** Picks the union branch the value was meant for: the one whose root type matched. */
function bestBranch(branches: Issue[][]): Issue[] | undefined {
  const typed = branches.filter(
    (issues) => !issues.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (typed.length === 0) return undefined;
  return typed.reduce((a, b) => (b.length < a.length ? b : a));
}

function mapIssue(ctx: Context, issue: Issue, base: SpecPath): SlipwayError[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  const { found, value } = valueAt(ctx.data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = allowedKeys(ctx.root, path);
      return issue.keys.map((key) =>
        errorAt(
          ctx,
          'SPEC_UNKNOWN_KEY',
          `unknown key "${key}"`,
          [...path, key],
          'key',
          didYouMean(key, known),
        ),
      );
    }
    case 'invalid_type':
      return [wrongType(ctx, issue.expected, path, found, value)];
    case 'invalid_union': {
      const branch = bestBranch(issue.errors as Issue[][]);
      if (branch) return branch.flatMap((inner) => mapIssue(ctx, inner, path));
      return [noBranch(ctx, issue.errors as Issue[][], path, value)];
    }
    case 'invalid_value':
      return [notAllowed(ctx, issue, path, value)];
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'invalid key';
      return [
        errorAt(
          ctx,
          'SPEC_INVALID_NAME',
          `invalid name "${String(path[path.length - 1])}": ${inner}`,
          path,
          'key',
        ),
      ];
    }
    case 'invalid_format':
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      return [
        errorAt(ctx, 'SPEC_INVALID_VALUE', `${friendly(issue)}; got ${describeValue(value)}`, path, 'value'),
      ];
    case 'custom': {
      const named = (issue.params as { slipwayCode?: string } | undefined)?.slipwayCode;
      const code = named !== undefined && isErrorCode(named) ? named : 'SPEC_INVALID_VALUE';
      return [errorAt(ctx, code, issue.message, path, 'value')];
    }
    case 'invalid_element':
    default:
      return [errorAt(ctx, 'SPEC_INVALID_VALUE', issue.message, path, 'value')];
  }
}

/** A value of the wrong type, or a required key that is not there. */
function wrongType(ctx: Context, expected: string, path: SpecPath, found: boolean, value: unknown) {
  if (!found || value === undefined)
    return errorAt(
      ctx,
      'SPEC_MISSING_KEY',
      `missing required key "${String(path[path.length - 1])}"`,
      path.slice(0, -1),
      'value',
    );
  return errorAt(
    ctx,
    'SPEC_WRONG_TYPE',
    `expected ${article(typeWord(expected))}, got ${describeValue(value)}`,
    path,
    'value',
  );
}

/** A value no branch of a union took even by type: the types the branches expect. */
function noBranch(ctx: Context, branches: Issue[][], path: SpecPath, value: unknown) {
  const expected = [
    ...new Set(
      branches.flatMap((b) =>
        b.filter((i) => i.code === 'invalid_type').map((i) => typeWord((i as { expected: string }).expected)),
      ),
    ),
  ];
  return errorAt(
    ctx,
    'SPEC_WRONG_TYPE',
    `expected ${expected.map(article).join(' or ')}, got ${describeValue(value)}`,
    path,
    'value',
  );
}

/** A value outside an enumeration or a literal: the allowed ones, and the closest to what was written. */
function notAllowed(
  ctx: Context,
  issue: Extract<Issue, { code: 'invalid_value' }>,
  path: SpecPath,
  value: unknown,
) {
  const options = issue.values.map((v) => String(v));
  // A schema's own message (not zod's "Invalid input…") says what to write instead.
  const own = issue.message && !issue.message.startsWith('Invalid') ? issue.message : undefined;
  const hint = typeof value === 'string' ? closest(value, options) : undefined;
  const key = path.at(-1);
  const message =
    options.length === 1 && value === undefined && typeof key === 'string'
      ? `${key} is missing: it must be ${JSON.stringify(issue.values[0])}`
      : options.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}, got ${describeValue(value)}`
        : `must be one of ${options.join(', ')}; got ${describeValue(value)}`;
  return errorAt(ctx, 'SPEC_INVALID_VALUE', message, path, 'value', hint ? `did you mean "${hint}"?` : own);
}

function friendly(issue: Issue): string {
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
    if (issue.origin === 'string')
      return issue.message.startsWith('Too small') ? 'must not be empty' : issue.message;
    return `must be at least ${issue.minimum}`;
  }
  if (issue.code === 'too_big') {
    if (issue.origin === 'string')
      return issue.message.startsWith('Too big')
        ? `has more than ${issue.maximum} characters`
        : issue.message;
    return `must be at most ${issue.maximum}`;
  }
  return issue.message;
}

/** Every schema issue as a located error, in file order. */
export function issuesToErrors(
  source: SpecSource,
  data: unknown,
  root: z.ZodType,
  issues: readonly Issue[],
): SlipwayError[] {
  const ctx: Context = { source, data, root };
  return issues.flatMap((issue) => mapIssue(ctx, issue, []));
}
