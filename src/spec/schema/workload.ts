/** @module How a service's pods are delivered: image or Helm chart, workload kind, placement, volumes. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { MEMORY_PATTERN } from '../units.js';
import { cronSchedule } from './cron.js';
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
  schedule: cronSchedule.meta({ description: 'Cron schedule, e.g. "0 2 * * *" (the CronJob\'s)' }),
  retention: duration.meta({ description: 'Backups older than this are deleted after each run' }),
  command: z.string().min(1).meta({
    description:
      'Shell command run in the service\'s image; it writes into $BACKUP_DIR and reaches the service at $SLIPWAY_SERVICE_HOST:$SLIPWAY_SERVICE_PORT',
  }),
  destination: z
    .string()
    .regex(/^\/[^\0]*$/, 'a destination is a directory (an absolute path); uploading to object storage is not supported yet')
    .optional()
    .meta({ description: 'Directory of the backup volume in the job (default /backups)' }),
  size: z.string().regex(new RegExp(MEMORY_PATTERN), 'a size is like 10Gi').optional().meta({
    description: 'Size of the backup volume (default 10Gi)',
  }),
});
