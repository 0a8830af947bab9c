/** @module A service: what runs, where, how it is probed, scaled, exposed, configured and released. */
import { z } from 'zod';
import { autoscale } from './autoscale.js';
import { config } from './config.js';
import { expose } from './expose.js';
import { health } from './health.js';
import { alertRule, metricsEndpoint, slo } from './observability.js';
import { image, labels, name, percent, port, version } from './primitives.js';
import { releasePolicy } from './release-policy.js';
import { gpu, resources } from './resources.js';
import { backup, helmChart, localRun, namedPort, securityContext, toleration, volume } from './workload.js';

export const service = z.strictObject({
  description: z.string().optional(),
  workload: z
    .enum(['deployment', 'statefulset', 'daemonset'])
    .optional()
    .meta({ description: 'Kubernetes workload kind (default deployment)' }),
  namespace: name.optional().meta({ description: 'Overrides the cluster namespace for this service' }),
  image: image.optional(),
  helm: helmChart
    .optional()
    .meta({ description: 'Deliver this service as a Helm release instead of rendered objects' }),
  version: version.optional().meta({ description: 'The version running now (before any release)' }),
  local: localRun.optional().meta({ description: 'How the embedded local target runs one replica' }),
  port: port.optional(),
  ports: z.array(namedPort).optional(),
  replicas: z.number().int().min(0).max(10_000).optional(),
  clusters: z
    .array(name)
    .optional()
    .meta({ description: 'Only these clusters run the service (default: all)' }),
  health: health.optional(),
  resources: resources.optional(),
  gpu: gpu.optional(),
  nodeSelector: labels.optional(),
  tolerations: z.array(toleration).optional(),
  volumes: z.array(volume).optional(),
  security: securityContext.optional(),
  autoscale: autoscale.optional(),
  dependsOn: z
    .array(name)
    .optional()
    .meta({ description: 'Services this one calls: network egress and release order' }),
  expose: expose.optional(),
  config: config.optional(),
  critical: z
    .boolean()
    .optional()
    .meta({ description: 'A critical service never loses capacity during a rollout' }),
  release: releasePolicy.optional(),
  traffic: z
    .strictObject({
      requestsPerSecond: z
        .number()
        .positive()
        .meta({ description: 'Requests per second it serves on each cluster it runs on' }),
      errorRate: percent
        .optional()
        .meta({ description: "Its usual error rate (default 0%): a higher one needs a longer analysis to promote" }),
    })
    .optional()
    .meta({
      description:
        "What the service usually serves: plan turns each analysis's sample into time at the canary's weight, and warns when it cannot decide in time",
    }),
  slos: z.array(slo).optional(),
  alerts: z.array(alertRule).optional(),
  metrics: metricsEndpoint.optional(),
  backup: backup.optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});
export type Service = z.infer<typeof service>;
