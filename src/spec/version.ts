/**
 * @module The one grammar of a version, wherever a version enters (spec, `release`, `rollback --to`,
 * the API): an OCI image tag or a digest, so that a version can become an image reference, a label
 * value, part of a file name or an argument without escaping.
 */
import { SlipwayError } from '../errors/index.js';

/** An OCI tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`) or a digest (`sha256:<64 hex>`, `sha512:<128 hex>`). */
export const VERSION_PATTERN =
  /^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export const VERSION_RULE =
  'a version is an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-") ' +
  'or a digest (sha256:<64 hex digits>)';

/** Shown in place of the version in a message, so a hostile one cannot flood or steer a terminal. */
function shown(version: string): string {
  const cut = version.length > 60 ? `${version.slice(0, 60)}…` : version;
  return JSON.stringify(cut);
}

export function isVersion(version: unknown): version is string {
  return typeof version === 'string' && VERSION_PATTERN.test(version);
}

/** Throws a user error (`VERSION_INVALID`) unless `version` follows the grammar. */
export function requireVersion(version: unknown, where: string): string {
  if (isVersion(version)) return version;
  throw new SlipwayError(
    'VERSION_INVALID',
    `${where}: ${typeof version === 'string' ? shown(version) : 'no version'} is not a version`,
    { hint: VERSION_RULE },
  );
}
