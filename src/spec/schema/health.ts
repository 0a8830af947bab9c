/** @module Readiness, liveness and startup probes. */
import { z } from 'zod';
import { duration, httpPath, port } from './primitives.js';

const probeObject = z.strictObject({
  path: httpPath,
  port: port.optional().meta({ description: 'Defaults to the service port' }),
  initialDelay: duration.optional(),
  period: duration.optional(),
  timeout: duration.optional(),
  failureThreshold: z.number().int().min(1).optional(),
  successThreshold: z.number().int().min(1).optional(),
});

/** A probe: a path (`/health`) or the full form. */
export const probe = z.union([httpPath, probeObject]);
export type Probe = z.infer<typeof probe>;

export const health = z
  .strictObject({
    readiness: probe.optional(),
    liveness: probe.optional(),
    startup: probe.optional(),
  })
  .superRefine((h, ctx) => {
    for (const kind of ['liveness', 'startup'] as const) {
      const p = h[kind];
      if (typeof p === 'object' && p.successThreshold !== undefined && p.successThreshold !== 1)
        ctx.addIssue({
          code: 'custom',
          path: [kind, 'successThreshold'],
          message: `a ${kind} probe's successThreshold must be 1 (the API server refuses any other)`,
        });
    }
  });
