/**
 * @module docs/error-codes.md, made from the table of codes (errors/codes.ts) and where in `src/` each is
 * raised: `npm run error-codes` writes it, and a test checks that the committed page is current.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCode, httpStatusOf } from './codes.js';
import { exitCodeFor } from './exit-codes.js';

/** Every `.ts` file under `dir` but tests, with its text. */
export function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** The modules that name each code (outside the table itself). */
export function codeUses(srcDir = 'src'): Map<ErrorCode, string[]> {
  const uses = new Map<ErrorCode, string[]>();
  for (const { path, text } of sources(srcDir)) {
    if (path.endsWith(join('errors', 'codes.ts'))) continue;
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[])
      if (text.includes(`'${code}'`)) uses.set(code, [...(uses.get(code) ?? []), path]);
  }
  return uses;
}

export function errorCodesMarkdown(srcDir = 'src'): string {
  const uses = codeUses(srcDir);
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const { category } = ERROR_CODES[code];
    const where = (uses.get(code) ?? []).map((p) => `\`${p.replace(/^src\//, '')}\``).join(', ');
    return `| \`${code}\` | ${category} | ${exitCodeFor(category)} | ${httpStatusOf(code)} | ${where} |`;
  });
  return [
    '# Error codes',
    '',
    "Every error Slipway shows carries one of these stable codes. Its category decides the CLI's exit code",
    '(user 2, release 1, infrastructure 3, internal 4) and, unless the table says otherwise, the HTTP status of',
    "the controller's API; the API's error body carries `code`, `category`, `message` and, where there is one,",
    '`hint` and `location`, and the CLI exits with the category the controller sent. Made from',
    '`src/errors/codes.ts` by `npm run error-codes`; a test fails when this page is not current.',
    '',
    '```sh',
    './bin/slipway.js validate test/fixtures/invalid/background-analysis-no-traffic.yaml; echo "exit $?"',
    '# …: error SPEC_INVALID_VALUE: a background analysis ("analysis" beside "steps") needs a step that … / exit 2',
    '```',
    '',
    '| code | category | exit | HTTP | raised in |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
