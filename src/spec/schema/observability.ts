/** @module SLOs, alert rules and the metrics a service exposes. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { duration, httpPath, labels, name, percent, port, promql, severity } from './primitives.js';

export const slo = z.strictObject({
  name: name,
  objective: percent.meta({ description: 'Target share of good events, e.g. 99.9%' }),
  window: duration.optional().meta({ description: 'Compliance window (default 30d)' }),
  description: z.string().optional(),
  sli: z
    .strictObject({
      availability: z
        .strictObject({})
        .optional()
        .meta({ description: 'Built in: non-5xx responses / all responses' }),
      latency: z
        .strictObject({ threshold: duration })
        .optional()
        .meta({ description: 'Built in: responses faster than threshold' }),
      errorRatio: z.strictObject({ errors: promql, total: promql }).optional(),
    })
    .superRefine(exactlyOneOf(['availability', 'latency', 'errorRatio'] as const, 'an SLI')),
});

export const alertRule = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an alert name is letters, digits and "_" (Prometheus rule)'),
  expr: promql,
  for: duration.optional(),
  severity: severity,
  labels: labels.optional(),
  summary: z.string().optional(),
  action: z
    .enum(['notify', 'rollback'])
    .optional()
    .meta({
      description:
        "rollback: when it fires during the release's post-release watch (release.postRelease), the release rolls back",
    }),
});

export const metricsEndpoint = z.strictObject({
  path: httpPath.optional(),
  port: z.union([port, z.string()]).optional(),
  interval: duration.optional(),
  kpis: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Key metrics to watch and chart: metric name → what it means' }),
});
