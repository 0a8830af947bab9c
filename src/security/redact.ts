/**
 * @module Credentials out of what Slipway writes: a URL's user and password, secret-looking query
 * parameters, a Telegram bot token and Slack's webhook path — and any known secret value, wherever it
 * appears in a log line, an event or an error message.
 */

const MASK = '***';

/** Replaces every known secret value, then every credential a URL carries, in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  return out
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi, `$1${MASK}@`)
    .replace(
      /([?&](?:token|key|secret|password|passwd|sig|signature|access_token|api_key)=)[^&\s#]+/gi,
      `$1${MASK}`,
    )
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, `/bot${MASK}`)
    .replace(/(hooks\.slack\.com\/services)\/[A-Za-z0-9/]+/g, `$1/${MASK}`);
}
