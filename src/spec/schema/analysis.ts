/** @module Analysis templates: what is measured during a release and what fails it. */
import { z } from 'zod';
import { argName, duration, envVarName, name, percent, promql } from './primitives.js';

const prometheusProvider = z.strictObject({
  url: z.string().url().optional(),
  urlEnv: envVarName.optional().meta({ description: 'Env var holding the Prometheus URL' }),
  timeout: duration.optional(),
  gateway: z.enum(['traefik', 'ingress-nginx', 'istio', 'envoy-gateway']).optional().meta({
    description:
      "Whose request counters and latency histograms errorRate, latencyP95/P99 and the sequential test read (built-in queries, no PromQL to write)",
  }),
  headersEnv: envVarName.optional().meta({
    description: 'Env var holding extra headers, one "Name: value" per line (e.g. Authorization), never inline',
  }),
});

const webProvider = z.strictObject({
  url: z.string().min(1).optional().meta({
    description:
      'The JSON endpoint; may use {{service}}, {{version}}, {{namespace}}, {{cluster}}, {{window}}. Each metric query is a JSONPath into its answer',
  }),
  urlEnv: envVarName.optional().meta({ description: 'Env var holding the endpoint URL' }),
  timeout: duration.optional(),
  headersEnv: envVarName.optional().meta({
    description: 'Env var holding headers, one "Name: value" per line (e.g. Authorization), never inline',
  }),
});

export const provider = z.union([
  z.literal('builtin'),
  z.strictObject({ prometheus: prometheusProvider }),
  z.strictObject({ web: webProvider }).meta({
    description: "An HTTP JSON endpoint read with a JSONPath per metric (Argo Rollouts' web provider)",
  }),
]);

const metricCheck = z.strictObject({
  name: name,
  query: promql.meta({
    description:
      'PromQL for a prometheus provider, a JSONPath ($.data.value) for a web one; may use {{service}}, {{version}}, {{namespace}}, {{cluster}}, {{window}}',
  }),
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
  count: z.number().int().min(1).max(10_000).optional().meta({
    description:
      "Measurements to take, one every interval (Argo's count): the analysis ends after the last at the latest — count × interval, in the background too — and a sequential test that has not decided by then is inconclusive",
  }),
  args: z
    .record(
      argName,
      z
        .strictObject({
          value: z.string().max(1000).optional().meta({ description: 'The value when a step gives none' }),
          env: envVarName.optional().meta({
            description:
              "Read from the controller's environment when the analysis starts (a token): never logged, never in the history",
          }),
        })
        .refine((a) => a.value === undefined || a.env === undefined, 'an argument has a value or an env, not both'),
    )
    .optional()
    .meta({
      description:
        "Arguments the queries and the web provider's url use as {{args.NAME}}: given by each analysis step (args), else value, else env",
    }),
  maxDuration: duration.optional().meta({
    description:
      'The longest an analysis runs: the default window, and how far an undecided window is extended',
  }),
  minSample: z.number().int().min(0).optional().meta({ description: 'Requests needed before any pass' }),
  failureLimit: z.number().int().min(0).optional(),
  inconclusiveLimit: z.number().int().min(0).optional(),
  onInconclusive: z.enum(['pause', 'rollback']).optional(),
  errorRate: z
    .strictObject({ max: percent.optional(), maxIncrease: percent.optional() })
    .optional()
    .meta({ description: 'Error ratio: absolute ceiling and/or increase over the concurrent baseline' }),
  latencyP95: z
    .strictObject({
      max: duration.optional(),
      maxIncrease: percent.optional(),
      minIncrease: duration.optional().meta({
        description: 'The smallest slowdown that matters (default 5ms): a smaller shift passes however significant',
      }),
    })
    .optional(),
  latencyP99: z.strictObject({ max: duration.optional(), maxIncrease: percent.optional() }).optional(),
  sequential: z
    .strictObject({
      alpha: z.number().gt(0).lt(0.5).optional(),
      beta: z.number().gt(0).lt(0.5).optional(),
      errorRatio: z.number().gt(1).max(100).optional().meta({
        description: 'The smallest error-rate ratio over the baseline that must be caught (default 2)',
      }),
      minIncrease: percent.optional().meta({
        description: 'The smallest rise of the error rate that must be caught (default 0.5%)',
      }),
    })
    .optional()
    .meta({
      description:
        'False-fail (alpha) and missed-regression (beta) rates of the sequential error test (default 0.01), ' +
        'and the smallest regression it must catch: errorRatio times the baseline and at least minIncrease more',
    }),
  decision: z.enum(['sequential', 'fixed-window']).optional().meta({
    description:
      'sequential (default): a pass needs the sequential test to accept, and a window that ends undecided is ' +
      'inconclusive; fixed-window: no objection by the end of the window passes, with no bound on the miss rate',
  }),
  metrics: z.array(metricCheck).optional(),
});
