/**
 * @module The environment a replica or a check command starts with: a documented allow-list of the
 * controller's variables (where programs are, locale, time zone, proxies and CA bundles), then what the
 * spec and Slipway give it — never the controller's whole environment, which holds notification
 * webhooks, bot tokens and database URLs that no replica should read from /proc/<pid>/environ.
 */

/** What a child inherits from the controller; everything else it must be given. */
export const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TERM',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
] as const;

export function childEnv(
  given: Record<string, string | undefined>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(given)) if (value !== undefined) env[name] = value;
  return env;
}
