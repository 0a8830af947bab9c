/**
 * @module Credentials out of what Slipway writes: a URL's user and password, secret-looking query
 * parameters, a Telegram bot token and Slack's webhook path — and any known secret value, wherever it
 * appears in a log line, an event or an error message.
 */

const MASK = '***';

/**
 * A secret and, when it is a URL, the parts of it that are credentials on their own: its password and
 * every path segment or query value long enough to be a token (a webhook's path is its key), so a
 * fragment printed elsewhere is masked too.
 */
export function secretParts(secret: string): string[] {
  const parts = [secret];
  let url: URL;
  try {
    url = new URL(secret);
  } catch {
    return parts;
  }
  if (url.password) parts.push(decodeURIComponent(url.password));
  for (const segment of url.pathname.split('/'))
    if (segment.length >= 8) parts.push(decodeURIComponent(segment));
  for (const value of url.searchParams.values()) if (value.length >= 8) parts.push(value);
  // The longest first, so that a part inside another is not masked half way.
  return parts.sort((a, b) => b.length - a.length);
}

/** Replaces every known secret value (and a URL's credential parts), then every credential a URL carries, in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets)
    if (secret && secret.length >= 4)
      for (const part of secretParts(secret)) out = out.split(part).join(MASK);
  return out
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi, `$1${MASK}@`)
    .replace(
      /([?&](?:token|key|secret|password|passwd|sig|signature|access_token|api_key)=)[^&\s#]+/gi,
      `$1${MASK}`,
    )
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, `/bot${MASK}`)
    .replace(/(hooks\.slack\.com\/services)\/[A-Za-z0-9/]+/g, `$1/${MASK}`);
}
