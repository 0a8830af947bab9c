/**
 * @module The web dashboard's files (built by `npm run build` into dist/web): the page and its hashed
 * assets, by exact name only — nothing outside that folder can be named — with a strict
 * Content-Security-Policy (own origin only: no inline script, no CDN).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipwayError } from '../errors/index.js';

const DEFAULT_DIR = resolve(import.meta.dirname, '../../dist/web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const DASHBOARD_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface Asset {
  body: Buffer;
  contentType: string;
  /** Hashed assets never change; the page is read again each time. */
  immutable: boolean;
}

export class DashboardAssets {
  constructor(private readonly dir = DEFAULT_DIR) {}

  /** `index.html` for the page, else a file of assets/ by its exact name. */
  read(name: string | undefined): Asset {
    if (name !== undefined && !/^[\w-]+\.[\w.]+$/.test(name))
      throw new SlipwayError(
        'DASHBOARD_FILE_NOT_FOUND',
        `no dashboard file ${JSON.stringify(name.slice(0, 80))}`,
      );
    const path = name === undefined ? join(this.dir, 'index.html') : join(this.dir, 'assets', name);
    try {
      const ext = /\.\w+$/.exec(path)?.[0] ?? '';
      return {
        body: readFileSync(path),
        contentType: TYPES[ext] ?? 'application/octet-stream',
        immutable: !!name,
      };
    } catch {
      throw name === undefined
        ? new SlipwayError('DASHBOARD_NOT_BUILT', `the dashboard is not built (no ${path})`, {
            hint: 'npm run build',
          })
        : new SlipwayError('DASHBOARD_FILE_NOT_FOUND', `no dashboard file ${name}`);
    }
  }
}
