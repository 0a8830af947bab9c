/**
 * @module Does an image tag exist? The OCI distribution API's manifest HEAD, with the anonymous
 * bearer-token flow (a 401's `WWW-Authenticate: Bearer realm=…` answered by a token for `repository:…:pull`)
 * and credentials from the docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`) —
 * as `docker pull` resolves a tag, without pulling. Loopback registries are spoken to over plain HTTP, as
 * docker treats them; every other one over HTTPS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ImageCheck, ImageRegistry } from '../engine/ports.js';
import { redact } from '../security/redact.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface ImageRef {
  host: string;
  repository: string;
}

/** `registry.example.com/team/api` → host and repository (Docker Hub when the first part is no host). */
export function parseImage(image: string): ImageRef {
  const [first, ...rest] = image.split('/');
  if (rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost'))
    return { host: first!, repository: rest.join('/') };
  return { host: 'registry-1.docker.io', repository: rest.length ? image : `library/${image}` };
}

const isLoopback = (host: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);

/** The docker config's credentials for a registry host, as `user:password`. */
function dockerCredentials(host: string): string | undefined {
  const file = join(process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, { auth?: string }> };
    const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`];
    return entry?.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

function challenge(header: string | null): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.split(' ');
  const params: Record<string, string> = {};
  for (const m of rest.join(' ').matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return { scheme: scheme!.toLowerCase(), params };
}

export class OciRegistry implements ImageRegistry {
  constructor(private readonly timeoutMs = 10_000) {}

  async exists(image: string, tag: string): Promise<ImageCheck> {
    const ref = parseImage(image);
    const base = `${isLoopback(ref.host) ? 'http' : 'https'}://${ref.host}`;
    const url = `${base}/v2/${ref.repository}/manifests/${tag}`;
    const credentials = dockerCredentials(ref.host);
    try {
      let res = await this.head(url, {});
      const auth = res.status === 401 ? challenge(res.headers.get('www-authenticate')) : undefined;
      if (auth?.scheme === 'bearer' && auth.params['realm']) {
        const token = await this.token(auth.params, ref.repository, credentials);
        res = await this.head(url, { authorization: `Bearer ${token}` });
      } else if (auth?.scheme === 'basic' && credentials) {
        res = await this.head(url, { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
      }
      if (res.ok)
        return {
          found: true,
          detail: `${image}:${tag} (${res.headers.get('docker-content-digest') ?? 'found'})`,
        };
      if (res.status === 404) return { found: false, detail: `${image}:${tag} is not in ${ref.host}` };
      if (res.status === 401 || res.status === 403)
        return {
          found: false,
          detail: `${ref.host} refused to show ${ref.repository} (HTTP ${res.status}): add credentials with docker login ${ref.host}`,
        };
      return { found: false, detail: `${ref.host} answered HTTP ${res.status} for ${image}:${tag}` };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return {
        found: false,
        detail: redact(
          `${ref.host} is unreachable: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
          [credentials],
        ),
      };
    }
  }

  private head(url: string, headers: Record<string, string>): Promise<Response> {
    return fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES, ...headers },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  private async token(
    params: Record<string, string>,
    repository: string,
    credentials?: string,
  ): Promise<string> {
    const url = new URL(params['realm']!);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? `repository:${repository}:pull`);
    const res = await fetch(url, {
      headers: credentials ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`the token service answered HTTP ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error('the token service gave no token');
    return token;
  }
}
