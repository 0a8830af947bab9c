/** @module A spec's YAML problems as located errors: bad UTF-8, syntax, duplicate keys, tags, aliases. */
import { type Document, isAlias, visit } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import { positionOf, type SpecSource } from './source.js';
import { formatPath, type SpecPath } from './spec-path.js';

export function at(file: string, line: number, column: number, path?: SpecPath) {
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
export function decode(bytes: Uint8Array, file: string): string {
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

export function yamlErrors(doc: Document.Parsed, source: SpecSource): SlipwayError[] {
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
export function aliasError(doc: Document.Parsed, source: SpecSource, error: Error): SlipwayError {
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
