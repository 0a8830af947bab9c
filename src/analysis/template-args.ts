/**
 * @module An analysis template's arguments (Argo's analysis args): `{{args.NAME}}` in its queries and its
 * web provider's url, valued by the step, else the template's `value`, else the controller's environment
 * (`env`: a token, which is never logged — every text the analysis records has it masked).
 */
import { redact } from '../security/redact.js';
import type { Platform } from '../spec/index.js';

type Template = NonNullable<Platform['analysis']>[string];

const PLACEHOLDER = /\{\{\s*args\.([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

/** The argument names a text uses. */
export function argsIn(text: string | undefined): string[] {
  return text ? [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!) : [];
}

/**
 * Arguments a step must give: declared with neither a value nor an env. Takes the template's `args` as
 * raw data too (spec rules run on what did not pass the schema): no mapping there declares nothing.
 */
export function requiredArgs(args: unknown): string[] {
  const mapping = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  return Object.entries(mapping(args))
    .filter(([, a]) => mapping(a)['value'] === undefined && mapping(a)['env'] === undefined)
    .map(([name]) => name);
}

export type ResolvedArgs =
  { ok: true; values: Record<string, string>; secrets: string[] } | { ok: false; problem: string };

/** The arguments' values when an analysis starts; an unset env or a missing value is the problem. */
export function resolveArgs(
  t: Template,
  given: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedArgs {
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, a] of Object.entries(t.args ?? {})) {
    if (given[name] !== undefined) values[name] = given[name];
    else if (a.value !== undefined) values[name] = a.value;
    else if (a.env !== undefined) {
      const value = env[a.env];
      if (!value)
        return { ok: false, problem: `argument ${name}: the environment variable ${a.env} is not set` };
      values[name] = value;
      secrets.push(value);
    } else return { ok: false, problem: `argument ${name} has no value: the step gives none` };
  }
  return { ok: true, values, secrets };
}

export function fillArgs(text: string, values: Record<string, string> | undefined): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values?.[name] ?? whole);
}

/** Every string in `value` with each secret masked: what an analysis records never holds a token. */
export function redactAll<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
