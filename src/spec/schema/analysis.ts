/** @module Analysis templates: what is measured during a release and what fails it. */
import { z } from 'zod';
import { duration, envVarName, name, percent, promql } from './primitives.js';

const prometheusProvider = z.strictObject({
  url: z.string().url().optional(),
  urlEnv: envVarName.optional().meta({ description: 'Env var holding the Prometheus URL' }),
  timeout: duration.optional(),
  headersEnv: envVarName
    .optional()
    .meta({ description: 'Env var holding extra headers (e.g. auth), never inline' }),
});

export const provider = z.union([z.literal('builtin'), z.strictObject({ prometheus: prometheusProvider })]);

const metricCheck = z.strictObject({
  name: name,
  query: promql,
  max: z.number().optional().meta({ description: 'Fail when the value is above this' }),
  min: z.number().optional().meta({ description: 'Fail when the value is below this' }),
  for: duration.optional().meta({ description: 'Fail only when the breach lasts this long' }),
  baseline: promql
    .optional()
    .meta({ description: 'Same query for the baseline: compare instead of threshold' }),
  maxIncrease: percent.optional(),
});

export const analysisTemplate = z.strictObject({
  description: z.string().optional(),
  provider: provider.optional(),
  interval: duration.optional(),
  maxDuration: duration.optional(),
  minSample: z.number().int().min(0).optional().meta({ description: 'Requests needed before any pass' }),
  failureLimit: z.number().int().min(0).optional(),
  inconclusiveLimit: z.number().int().min(0).optional(),
  onInconclusive: z.enum(['pause', 'rollback']).optional(),
  errorRate: z
    .strictObject({ max: percent.optional(), maxIncrease: percent.optional() })
    .optional()
    .meta({ description: 'Error ratio: absolute ceiling and/or increase over the concurrent baseline' }),
  latencyP95: z.strictObject({ max: duration.optional(), maxIncrease: percent.optional() }).optional(),
  latencyP99: z.strictObject({ max: duration.optional(), maxIncrease: percent.optional() }).optional(),
  sequential: z
    .strictObject({ alpha: z.number().gt(0).lt(0.5), beta: z.number().gt(0).lt(0.5) })
    .optional()
    .meta({
      description: 'False-fail (alpha) and missed-regression (beta) rates of the sequential error test',
    }),
  metrics: z.array(metricCheck).optional(),
});
