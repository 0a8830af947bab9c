/** @module The platform spec: the root of `slipway.yaml`. */
import { z } from 'zod';
import { analysisTemplate, provider } from './analysis.js';
import { check } from './checks.js';
import { environment } from './environment.js';
import { notify } from './notify.js';
import { duration, labels, name, percent } from './primitives.js';
import { rollbackPolicy } from './release-policy.js';
import { service } from './service.js';

export const API_VERSION = 'slipway.dev/v1';

const priorityGroup = z.strictObject({
  name: z.string().min(1).max(32),
  description: z.string().optional(),
  services: z.array(name).min(1),
  pauseAfter: z.boolean().optional().meta({ description: 'Wait for approval before the next group' }),
});

const successCriteria = z.strictObject({
  maxDuration: duration.optional().meta({ description: 'The whole release must finish within this' }),
  availability: percent.optional().meta({ description: 'Share of requests served during the release' }),
  maxErrorRate: percent.optional(),
  maxLatencyIncrease: percent
    .optional()
    .meta({ description: 'p95 no worse than the baseline by more than this' }),
});

const releaseDefaults = z.strictObject({
  rollback: rollbackPolicy.optional(),
  backup: z.boolean().optional().meta({ description: 'Record the current objects before changing them' }),
  preflight: z
    .strictObject({
      registry: z.string().optional().meta({ description: 'Registry to check that the new image exists' }),
      checks: z.array(name).optional(),
    })
    .optional(),
  successCriteria: successCriteria.optional(),
  postRelease: z
    .strictObject({
      watch: duration.meta({
        description:
          'After the last promotion the release stays open this long; an alert with action: rollback that fires rolls it back',
      }),
      provider: provider.meta({ description: 'The Prometheus that evaluates the alerts' }),
      interval: duration.optional().meta({ description: 'How often the alerts are evaluated (default 30s)' }),
    })
    .optional(),
});

const recoveryScenario = z.strictObject({
  scenario: z.string().min(1),
  rto: duration,
  rpo: z.union([duration, z.literal('0')]),
  procedure: z.string().optional(),
  services: z.array(name).optional().meta({
    description: 'The services it concerns: shown in the plan and status of a release that touches them (default: all)',
  }),
  fromBackup: z.boolean().optional().meta({
    description: "Recovery restores the services' backups: the plan warns when they are further apart than the RPO",
  }),
});

const disasterRecovery = z.strictObject({
  rto: duration.optional(),
  rpo: duration.optional(),
  regions: z
    .strictObject({ primary: z.string(), dr: z.string().optional(), backup: z.string().optional() })
    .optional(),
  scenarios: z.array(recoveryScenario).optional(),
});

const cost = z.strictObject({
  currency: z.string().length(3).optional(),
  cpuCoreMonth: z.number().min(0).meta({ description: 'Price of one requested CPU core for a month' }),
  memoryGiBMonth: z.number().min(0),
  gpuMonth: z.number().min(0).optional(),
});

const diagnostics = z.strictObject({
  commands: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'a name is letters, digits, ".", "_" and "-"'),
        run: z.string().min(1),
      }),
    )
    .optional()
    .meta({ description: 'Commands whose output goes into the bundle, run on each touched cluster' }),
  dir: z.string().min(1).optional().meta({
    description: 'Where bundles are written, relative to the spec (default .slipway/diagnostics)',
  }),
});

const prerequisite = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  check: z.string().optional().meta({
    description:
      'Command that succeeds when the prerequisite holds, run on each touched Kubernetes cluster before the release (KUBECONFIG, SLIPWAY_KUBE_CONTEXT set)',
  }),
  helm: z
    .strictObject({ chart: z.string(), repo: z.string().optional(), namespace: name.optional() })
    .optional()
    .meta({ description: 'How to install it, named when its check fails (Slipway installs nothing)' }),
  manifest: z
    .string()
    .optional()
    .meta({ description: 'Path or URL of its manifest, named when its check fails (Slipway applies nothing)' }),
});

export const platform = z
  .strictObject({
    apiVersion: z.literal(API_VERSION, { message: `apiVersion must be "${API_VERSION}"` }),
    kind: z.literal('Platform', { message: 'kind must be "Platform"' }),
    metadata: z.strictObject({
      name: name,
      description: z.string().optional(),
      owner: z.string().optional(),
      labels: labels.optional(),
      sources: z.array(z.string()).optional().meta({ description: 'Documents this spec expresses' }),
    }),
    environments: z
      .record(name, environment)
      .meta({ description: 'In promotion order: the first is released first' }),
    services: z.record(name, service),
    priorities: z
      .array(priorityGroup)
      .optional()
      .meta({ description: 'Services released group by group, in this order; the rest follow dependsOn' }),
    analysis: z.record(name, analysisTemplate).optional(),
    checks: z.record(name, check).optional(),
    notify: notify.optional(),
    release: releaseDefaults.optional(),
    prerequisites: z.array(prerequisite).optional(),
    disasterRecovery: disasterRecovery.optional(),
    cost: cost.optional(),
    diagnostics: diagnostics.optional(),
  })
  .meta({ title: 'Slipway platform spec', description: 'One declarative spec of a multi-cluster platform' });

export type Platform = z.infer<typeof platform>;
export type Environment = Platform['environments'][string];
export type Cluster = Environment['clusters'][string];
