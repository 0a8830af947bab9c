/** @module "Did you mean …?" for misspelt keys and names. */
import { type ErrorCode, SlipwayError } from '../errors/index.js';

/** Damerau–Levenshtein distance (optimal string alignment), enough for typos and swapped letters. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      let best = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a distance that scales with the word, or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** A hint for an unknown word: the closest candidate, or the list when it is short. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const match = closest(word, candidates);
  if (match !== undefined) return `did you mean "${match}"?`;
  if (candidates.length > 0 && candidates.length <= 12) return `expected one of: ${candidates.join(', ')}`;
  return undefined;
}

/** `unknown environment "prodution"`, hinting the closest known name, or all of them when none is close. */
export function unknownNameError(code: ErrorCode, what: string, name: string, known: string[]): SlipwayError {
  const guess = closest(name, known);
  return new SlipwayError(code, `unknown ${what} "${name}"`, {
    hint: guess ? `did you mean "${guess}"?` : `known: ${known.join(', ')}`,
  });
}
