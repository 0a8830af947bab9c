/** @module How a service's pods are delivered: image or Helm chart, workload kind, placement, volumes. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { duration, objectName, version } from './primitives.js';

export const helmChart = z.strictObject({
  chart: z.string().min(1).meta({ description: 'Chart path or repo/name' }),
  release: z.string().optional().meta({ description: 'Helm release name (default: the service name)' }),
  repo: z.string().optional(),
  version: z.string().optional(),
  values: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Values, as --set paths or a tree' }),
  valuesFiles: z.array(z.string()).optional(),
  createNamespace: z.boolean().optional(),
});

export const localRun = z.strictObject({
  command: z.string().min(1).meta({
    description: 'Command line that starts one replica; gets PORT, SLIPWAY_SERVICE, SLIPWAY_VERSION',
  }),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  versions: z
    .record(
      version,
      z.strictObject({ env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }),
    )
    .optional()
    .meta({ description: 'Per-version env, e.g. to make v3 of the demo fail' }),
  gracePeriod: duration.optional(),
});

export const namedPort = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a port name is a DNS label')
    .max(15),
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});

export const volume = z
  .strictObject({
    name: objectName,
    mountPath: z.string().startsWith('/'),
    readOnly: z.boolean().optional(),
    claim: objectName.optional().meta({ description: 'PersistentVolumeClaim name' }),
    emptyDir: z.strictObject({ sizeLimit: z.string().optional() }).optional(),
    size: z.string().optional().meta({ description: 'StatefulSet: size of a per-replica volume' }),
    storageClass: z.string().optional(),
  })
  .superRefine(exactlyOneOf(['claim', 'emptyDir', 'size'] as const, 'a volume'));

export const toleration = z.strictObject({
  key: z.string(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

export const securityContext = z.strictObject({
  runAsNonRoot: z.boolean().optional(),
  runAsUser: z.number().int().min(0).optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  privileged: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  capabilities: z
    .strictObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() })
    .optional(),
  hostNetwork: z.boolean().optional(),
  serviceAccount: objectName.optional(),
});

export const backup = z.strictObject({
  schedule: z.string().min(1).meta({ description: 'Cron schedule, e.g. "0 2 * * *"' }),
  retention: duration,
  command: z.string().min(1),
  destination: z.string().optional(),
});
