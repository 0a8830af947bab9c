/**
 * @module How an A/B rule matches a header's value: exactly (a plain string), by prefix, or by a regular
 * expression — as Argo Rollouts' setHeaderRoute does. Gateway API has no prefix match for headers, so a
 * prefix becomes an anchored regular expression there (and in ingress-nginx's header pattern).
 */

export type HeaderValue = string | { prefix: string } | { regex: string };

/** The longest regular expression accepted (the local router compiles it per rule). */
export const MAX_HEADER_REGEX = 256;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value as Gateway API writes it: Exact or RegularExpression. */
export function gatewayHeaderMatch(name: string, value: HeaderValue) {
  if (typeof value === 'string') return { type: 'Exact', name, value };
  return {
    type: 'RegularExpression',
    name,
    value: 'prefix' in value ? `^${escape(value.prefix)}.*` : value.regex,
  };
}

/** A predicate over the request's value of the header (undefined when absent). */
export function headerPredicate(value: HeaderValue): (actual: string | undefined) => boolean {
  if (typeof value === 'string') return (actual) => actual === value;
  if ('prefix' in value) return (actual) => actual !== undefined && actual.startsWith(value.prefix);
  const pattern = new RegExp(value.regex);
  return (actual) => actual !== undefined && pattern.test(actual);
}

/** Why a regular expression cannot be used, or undefined when it can. */
export function regexProblem(regex: string): string | undefined {
  if (regex.length > MAX_HEADER_REGEX) return `longer than ${MAX_HEADER_REGEX} characters`;
  try {
    new RegExp(regex);
  } catch (error) {
    return (error as Error).message;
  }
  // Backreferences and lookaround are not in RE2, which Envoy-based gateways use.
  if (/\\[1-9]|\(\?[=!<]/.test(regex))
    return 'uses backreferences or lookaround, which gateways (RE2) do not support';
  return undefined;
}
