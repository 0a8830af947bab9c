/** @module How a service changes version: strategy, steps, rollback. */
import { z } from 'zod';
import { regexProblem } from '../../targets/header-match.js';
import { exactlyOneOf } from './one-of.js';
import { argName, duration, name, percent, version } from './primitives.js';

const surge = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+%$/, 'a surge is a count or a percentage like 25%'),
]);

/** One variant of an experiment step: a version run as a group of its own while the step lasts. */
const experimentVariant = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/, 'a variant name is 1–20 lowercase letters, digits or dashes')
      .meta({ description: 'Names its group: experiment-<name>' }),
    version: version.optional().meta({ description: 'The version it runs (an image tag)' }),
    specRef: z
      .enum(['stable', 'canary'])
      .optional()
      .meta({ description: "Or the version of stable or of the canary (Argo's specRef)" }),
    replicas: z.number().int().min(1).max(100).optional().meta({ description: 'Its replicas (default 1)' }),
    weight: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: "Percentage of traffic it takes from stable while it runs (default 0: reached only by pinning)" }),
    analysis: z
      .union([name, z.array(name).min(1)])
      .optional()
      .meta({ description: 'Analysis templates that judge it against stable over the step: a failure fails the release' }),
  })
  .superRefine(exactlyOneOf(['version', 'specRef'] as const, 'an experiment variant'));

const experiment = z
  .strictObject({
    for: duration.meta({ description: 'How long the variants run' }),
    variants: z
      .array(experimentVariant)
      .min(1)
      .max(5)
      .superRefine((variants, ctx) => {
        const names = variants.map((v) => v.name);
        const twice = names.find((n, i) => names.indexOf(n) !== i);
        if (twice) ctx.addIssue({ code: 'custom', message: `two variants are named ${twice}` });
      }),
  })
  .meta({
    description:
      "Argo's experiment step: versions run as groups of their own for a while, each with its share of traffic and its analyses, then removed",
  });

/** One canary step. Exactly one action per step, so a plan reads as a list of verbs. */
export const canaryStep = z
  .strictObject({
    weight: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: 'Send this percentage of traffic to the canary' }),
    pause: z
      .union([
        duration,
        z.number().positive().meta({ description: 'Seconds, as Argo Rollouts writes them' }),
        z.strictObject({
          untilPromoted: z.literal(true, {
            error: 'write pause: { untilPromoted: true } to wait for `slipway promote`, or a duration like pause: 5m',
          }),
        }),
      ])
      .optional()
      .meta({ description: 'Wait a duration (or seconds), or { untilPromoted: true } for `slipway promote`' }),
    analysis: z
      .union([name, z.array(name).min(2)])
      .optional()
      .meta({ description: 'Run this analysis template, or these templates in parallel, each over the same window' }),
    args: z
      .record(argName, z.string().max(1000))
      .optional()
      .meta({
        description:
          "With analysis: values for the template's args, used as {{args.NAME}} in its queries (Argo's analysis args)",
      }),
    check: name.optional().meta({ description: 'Run this check' }),
    match: z
      .strictObject({
        headers: z
          .record(
            z.string(),
            z.union([
              z.string().meta({ description: 'The exact value' }),
              z.strictObject({ prefix: z.string().min(1) }),
              z.strictObject({
                regex: z
                  .string()
                  .min(1)
                  .superRefine((regex, ctx) => {
                    const problem = regexProblem(regex);
                    if (problem) ctx.addIssue({ code: 'custom', message: `not a usable regular expression: ${problem}` });
                  }),
              }),
            ]),
          )
          .refine((h) => Object.keys(h).length > 0, 'match needs at least one header'),
        for: duration.optional(),
      })
      .optional()
      .meta({ description: 'A/B step: route requests with these headers to the canary' }),
    scale: z
      .union([
        z.literal('matchTrafficWeight'),
        z.strictObject({ replicas: z.number().int().min(1) }),
        z.strictObject({ percent: z.number().gt(0).max(100) }),
      ])
      .optional()
      .meta({
        description:
          "Size the canary apart from its weight (Argo's setCanaryScale): { replicas: N } or { percent: P } holds through later weights; matchTrafficWeight gives sizing back to the weight",
      }),
    experiment: experiment.optional(),
    for: duration
      .optional()
      .meta({ description: 'With analysis: how long it runs; with weight: how long the weight holds' }),
  })
  .superRefine(
    exactlyOneOf(['weight', 'pause', 'analysis', 'check', 'match', 'scale', 'experiment'] as const, 'a canary step'),
  )
  .superRefine((step, ctx) => {
    if (step.args !== undefined && step.analysis === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['args'],
        message: "args are the values of an analysis template's arguments: they go with analysis",
      });
    if (step.for !== undefined && step.weight === undefined && step.analysis === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['for'],
        message: step.pause !== undefined
          ? 'a pause has its own duration: write pause: 5m'
          : step.match !== undefined
            ? 'a match step holds for match.for'
            : 'for goes with a weight (how long it holds) or an analysis (how long it runs)',
      });
  });

export const rollbackPolicy = z.union([
  z.enum(['automatic', 'manual']),
  z.strictObject({
    mode: z.enum(['automatic', 'manual']),
    when: z
      .array(z.enum(['gate-failed', 'health-failed', 'analysis-failed', 'alert-firing', 'timeout']))
      .optional(),
    notify: z.boolean().optional(),
    scope: z
      .enum(['service', 'release'])
      .optional()
      .meta({ description: 'Undo only the failing service, or every service of the release' }),
  }),
]);

export const releasePolicy = z.strictObject({
  strategy: z.enum(['rolling', 'blue-green', 'canary']),
  maxSurge: surge.optional(),
  maxUnavailable: surge.optional(),
  steps: z.array(canaryStep).optional(),
  analysis: z.array(name).optional().meta({ description: 'Analysis templates that run through every step' }),
  checks: z
    .array(name)
    .optional()
    .meta({ description: 'Checks that run after the rollout (smoke, integration)' }),
  previewChecks: z
    .array(name)
    .optional()
    .meta({ description: 'Blue-green: checks against the preview stack' }),
  scaleDownDelay: duration.optional().meta({ description: 'Blue-green: keep the old stack this long' }),
  baseline: z.enum(['stable', 'fresh']).optional().meta({
    description:
      "Canary: what analyses compare it with — the running stable pods (default), or a fresh baseline group of stable's version started with the canary, as large and with as much traffic (Kayenta's baseline-vs-canary)",
  }),
  autoPromote: z
    .union([z.boolean(), duration])
    .optional()
    .meta({
      description:
        'Canary: false stops before promotion until `slipway promote`; blue-green: the preview stack waits for it before the switch (default true). A duration (Argo\'s autoPromotionSeconds) waits for `slipway promote` at most that long, then goes on by itself',
    }),
  progressDeadline: duration.optional(),
  healthTimeout: duration.optional(),
  rollback: rollbackPolicy.optional(),
  maxErrorRate: percent.optional(),
});
export type ReleasePolicy = z.infer<typeof releasePolicy>;
