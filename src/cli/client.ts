/** @module The CLI's client of the controller API (`slipway serve`). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCategory, isErrorCode, RemoteError, SlipwayError } from '../errors/index.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:7447';

export function serverUrl(flag?: string): string {
  return flag ?? process.env['SLIPWAY_SERVER'] ?? DEFAULT_SERVER;
}

/**
 * The API token the CLI sends: `SLIPWAY_TOKEN`, else the file `SLIPWAY_TOKEN_FILE` names, else the one
 * `slipway token create --save` left in `.slipway/cli-token` here — so local use stays one command.
 */
export function apiToken(env = process.env, cwd = process.cwd()): string | undefined {
  if (env['SLIPWAY_TOKEN']) return env['SLIPWAY_TOKEN'];
  const file = env['SLIPWAY_TOKEN_FILE'] ?? join(cwd, '.slipway', 'cli-token');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

/** The bearer header for the CLI's token, when there is one. */
export function authorization(): Record<string, string> {
  const token = apiToken();
  // A token from `slipway token create`, once the controller requires one.
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** fetch to the controller; a controller that does not answer is CLI_NO_CONTROLLER (infrastructure). */
export async function fetchController(server: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${server}${path}`, init);
  } catch (error) {
    throw new SlipwayError('CLI_NO_CONTROLLER', `no Slipway controller answers at ${server}`, {
      hint: 'start one with `slipway serve` (or point --server / SLIPWAY_SERVER at it)',
      cause: error,
    });
  }
}

export async function api<T>(
  server: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetchController(server, path, {
    method,
    headers: { 'content-type': 'application/json', ...authorization() },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SlipwayError(
      'CLI_BAD_RESPONSE',
      `the controller answered ${res.status} with something that is not JSON`,
    );
  }
  if (!res.ok) throw apiError(res.status, json);
  return json as T;
}

const CATEGORIES: readonly ErrorCategory[] = ['user', 'release', 'infrastructure', 'internal'];

/**
 * The error the controller answered with, in the category it says (so the CLI exits as the server
 * decided); from an older server without one, the category of a code this client knows, else the status's.
 */
export function apiError(status: number, body: unknown): RemoteError {
  const e =
    (body as { error?: { code?: string; message?: string; hint?: string; category?: string } } | undefined)
      ?.error ?? {};
  const code = e.code ?? 'API_ERROR';
  const category: ErrorCategory = CATEGORIES.includes(e.category as ErrorCategory)
    ? (e.category as ErrorCategory)
    : isErrorCode(code)
      ? ERROR_CODES[code].category
      : status >= 500
        ? 'infrastructure'
        : 'user';
  return new RemoteError(code, category, e.message ?? `HTTP ${status}`, e.hint);
}

export function actorName(flag?: string): string {
  return flag ?? process.env['SLIPWAY_ACTOR'] ?? process.env['USER'] ?? 'anonymous';
}
