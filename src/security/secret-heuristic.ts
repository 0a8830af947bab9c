/**
 * @module One rule for "this is a secret written in plain text", shared by `validate` (the spec) and `lint`
 * (any manifest), so the two never disagree. In the spirit of kube-linter's env-var-secret:
 *
 * - a **name** is secret-looking when one of its `_`/`-`-separated words (or its end) is PASSWORD, PASSWD,
 *   PASS, PWD, SECRET, TOKEN, CREDENTIAL(S), or it ends in API_KEY, ACCESS_KEY, PRIVATE_KEY,
 *   SIGNING_KEY — unless it names a place or a property of the secret instead (…_FILE, …_PATH, …_REF,
 *   …_NAME, …_URL, …_HOST, …_TTL, …_TIMEOUT and the like);
 * - a **value** is a secret whatever its name when it looks like one: an HTTP `Bearer`/`Basic` credential,
 *   a JWT, a private key, a URL with a password, a Slack webhook, a Telegram bot token, AWS and GitHub keys.
 */

const SECRET_WORD =
  /^(PASSWORD|PASSWD|PASS|PWD|SECRET|SECRETS|TOKEN|TOKENS|CREDENTIAL|CREDENTIALS|AUTH|APIKEY)$/i;
const SECRET_SUFFIX = /(API|ACCESS|PRIVATE|SIGNING|SECRET|ENCRYPTION|MASTER)[_-]?KEY$/i;
const HARMLESS_SUFFIX =
  /[_-](FILE|PATH|DIR|TTL|TIMEOUT|EXPIRY|EXPIRES|NAME|LENGTH|ALGORITHM|ISSUER|AUDIENCE|URL|URI|HOST|PORT|ENDPOINT|REF|ENV|HEADER|TYPE|ENABLED|REQUIRED)$/i;

export const SECRET_VALUES: { pattern: RegExp; what: string }[] = [
  { pattern: /hooks\.slack\.com\/services\//, what: 'a Slack webhook URL' },
  { pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with a password' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /^\d{8,10}:[A-Za-z0-9_-]{35}$/, what: 'a Telegram bot token' },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, what: 'a GitHub token' },
  { pattern: /^(Bearer|Basic|Token)\s+\S{8,}/i, what: 'an HTTP credential' },
  { pattern: /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+$/, what: 'a JWT' },
];

export function isSecretName(name: string): boolean {
  if (HARMLESS_SUFFIX.test(name)) return false;
  if (SECRET_SUFFIX.test(name)) return true;
  return name.split(/[_\-.]/).some((word) => SECRET_WORD.test(word));
}

/** What kind of secret a value is, when it plainly is one. */
export function secretValueKind(value: string): string | undefined {
  return SECRET_VALUES.find((s) => s.pattern.test(value))?.what;
}
