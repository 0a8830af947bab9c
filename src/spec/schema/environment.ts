/** @module Environments: clusters, waves, approval and per-environment overrides. */
import { z } from 'zod';
import { autoscale } from './autoscale.js';
import { exactlyOneOf } from './one-of.js';
import { duration, labels, name } from './primitives.js';
import { resources } from './resources.js';

export const cluster = z
  .strictObject({
    local: z
      .strictObject({ basePort: z.number().int().min(1024).max(65000).optional() })
      .optional()
      .meta({ description: "The embedded local target: processes behind Slipway's router" }),
    kubernetes: z
      .strictObject({
        context: z.string().min(1).meta({ description: 'kubeconfig context' }),
        namespace: name.optional(),
        gateway: z.strictObject({ name: z.string(), namespace: name.optional() }).optional(),
      })
      .optional(),
    region: z.string().optional(),
    labels: labels.optional(),
  })
  .superRefine(exactlyOneOf(['local', 'kubernetes'] as const, 'a cluster'));

export const approval = z.strictObject({
  required: z.boolean(),
  role: z.string().optional(),
  approvals: z.number().int().min(1).optional().meta({ description: 'How many distinct approvers' }),
  timeout: duration.optional(),
  notByAuthor: z
    .boolean()
    .optional()
    .meta({ description: 'Four eyes: whoever started the release may not approve it' }),
});

export const serviceOverride = z.strictObject({
  replicas: z.number().int().min(0).optional(),
  resources: resources.optional(),
  autoscale: autoscale.optional(),
  clusters: z.array(name).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const environment = z.strictObject({
  description: z.string().optional(),
  namespace: name.optional().meta({ description: 'Default namespace for every cluster of this environment' }),
  clusters: z
    .record(name, cluster)
    .refine((c) => Object.keys(c).length > 0, 'an environment needs at least one cluster'),
  waves: z
    .array(z.array(name).min(1))
    .optional()
    .meta({ description: 'Clusters updated together, wave after wave (default: one wave of all clusters)' }),
  bake: duration.optional().meta({ description: 'Wait between waves while gates keep watching' }),
  approval: approval.optional(),
  overrides: z.strictObject({ services: z.record(name, serviceOverride) }).optional(),
});
