/** @module Load is only ever sent to this machine: a guard every generator calls first. */
import { SlipwayError } from '../errors/index.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/;

export function assertLoopback(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SlipwayError('LOAD_BAD_URL', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:')
    throw new SlipwayError('LOAD_BAD_URL', `only http:// is supported, got ${parsed.protocol}`);
  if (!LOOPBACK.test(parsed.hostname)) {
    throw new SlipwayError(
      'LOAD_NOT_LOOPBACK',
      `refusing to send load to ${parsed.hostname}: only loopback addresses`,
      {
        hint: 'load tests target 127.0.0.1, localhost or [::1] only',
      },
    );
  }
  return parsed;
}
