/** @module Secrets are referenced, never written in the spec: the spec is committed and rendered. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { asMap, type RuleContext, specError } from './raw.js';

/** Keys whose literal value would be a secret. `...Env`, `...Ref` and `...Name` keys name a place instead. */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|apikey|private[-_]?key|credentials?)$/i;
const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
const HARMLESS_ENV_SUFFIX =
  /_(FILE|PATH|TTL|TIMEOUT|EXPIRY|EXPIRES|NAME|LENGTH|ALGORITHM|ISSUER|AUDIENCE|URL_ENV|REF)$/i;

/** Values that are secrets whatever key holds them. */
const SECRET_VALUES: { pattern: RegExp; what: string }[] = [
  { pattern: /hooks\.slack\.com\/services\//, what: 'a Slack webhook URL' },
  { pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with a password' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /^\d{8,10}:[A-Za-z0-9_-]{35}$/, what: 'a Telegram bot token' },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, what: 'a GitHub token' },
];

const HINT =
  'reference it instead: { secretRef: { name, key } } or { vault: { path, key } } for a service, or an environment variable (…Env) for Slipway itself';

function isLiteral(value: unknown): value is string | number {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

export function checkInlineSecrets(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: SpecPath): void => {
    if (typeof value === 'string') {
      const match = SECRET_VALUES.find((s) => s.pattern.test(value));
      if (match)
        errors.push(
          specError(ctx, 'SPEC_INLINE_SECRET', `${match.what} is written inline`, path, { hint: HINT }),
        );
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i]);
      });
      return;
    }
    const inEnv = path.length >= 2 && path[path.length - 1] === 'env';
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = [...path, key];
      const lastSegment = key.split('.').pop() ?? key;
      const envLiteral = inEnv && SECRET_ENV_NAME.test(key) && !HARMLESS_ENV_SUFFIX.test(key);
      const literal = isLiteral(child) ? child : envLiteral ? asMap(child).value : undefined;
      if (isLiteral(literal) && (envLiteral || SECRET_KEY.test(lastSegment))) {
        errors.push(
          specError(ctx, 'SPEC_INLINE_SECRET', `"${key}" holds a secret value written inline`, childPath, {
            hint: HINT,
          }),
        );
        continue;
      }
      walk(child, childPath);
    }
  };
  walk(ctx.data, []);
  return errors;
}
