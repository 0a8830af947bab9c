/** @module Secrets are referenced, never written in the spec: the spec is committed and rendered. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { isSecretName, secretValueKind } from '../../security/secret-heuristic.js';
import { asMap, type RuleContext, specError } from './raw.js';

/** Keys whose literal value would be a secret. `...Env`, `...Ref` and `...Name` keys name a place instead. */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|apikey|private[-_]?key|credentials?)$/i;

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
      const what = secretValueKind(value);
      if (what)
        errors.push(specError(ctx, 'SPEC_INLINE_SECRET', `${what} is written inline`, path, { hint: HINT }));
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
      // The same name rule as lint's plain-env-secret (security/secret-heuristic.ts).
      const envLiteral = inEnv && isSecretName(key);
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
