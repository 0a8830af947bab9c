/**
 * @module The API's OpenAPI 3.1 document, served at `/v1/openapi.json`: the request bodies are generated
 * from the same zod schemas that validate them (request-bodies.ts), so the document cannot drift from
 * what the server accepts.
 */
import { z } from 'zod';
import { BODIES } from './request-bodies.js';

/** What the document says of each route; the HTTP API registers the same method, path and role. */
export interface RouteDoc {
  method: string;
  path: string;
  summary: string;
  role: string | null;
  body?: keyof typeof BODIES;
}

const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};

export function openApiDocument(routes: RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.role ? { security: [{ token: [] }], 'x-slipway-role': r.role } : { security: [] }),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(BODIES[r.body], { io: 'input' }) } },
            },
          }
        : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: {} } } },
        default: {
          description: 'An error, with a stable code',
          content: { 'application/json': { schema: error } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slipway controller API',
      version,
      description:
        'Loopback only. Once a token exists (slipway token create), every call but /healthz needs `Authorization: Bearer` and the role in x-slipway-role (viewer < operator < approver < admin).',
    },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
