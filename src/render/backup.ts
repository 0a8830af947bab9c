/**
 * @module A service's scheduled backup (`services.*.backup`, the runbooks' "daily dumps, 30-day retention"):
 * a CronJob that runs the backup command in the service's image, with its env and two more —
 * SLIPWAY_SERVICE_HOST/PORT, where the service answers, and BACKUP_DIR, a volume of its own — then deletes
 * the files there older than the retention. Two NetworkPolicies let the job reach the service (and nothing
 * else) under the namespace's default deny.
 */
import { parseDuration } from '../spec/units.js';
import type { K8sObject } from './k8s-object.js';
import { LABEL } from './k8s-object.js';
import { metadata, objectLabels, selectorLabels } from './labels.js';
import { callPorts } from './network-policy.js';
import { podConfig } from './pod-config.js';
import { imageRef, type ServiceView } from './service-view.js';

export const DEFAULT_BACKUP_DIR = '/backups';
const DEFAULT_SIZE = '10Gi';
/** The job writes its files as nobody, into a volume it is given the group of. */
const NOBODY = 65534;

/** The job's shell script: the command, then the retention. */
export function backupScript(command: string, retention: string): string {
  const minutes = Math.max(1, Math.round(parseDuration(retention) / 60_000));
  return [
    'set -eu',
    'mkdir -p "$BACKUP_DIR"',
    command,
    `# Retention ${retention}: whatever is older goes.`,
    `find "$BACKUP_DIR" -type f -mmin +${minutes} -print -delete`,
  ].join('\n');
}

type Backup = NonNullable<ServiceView['service']['backup']>;

/** The backup Job's pod: the service's image running the backup command as nobody, writing to the volume. */
function backupPod(view: ServiceView, backup: Backup, name: string, dir: string) {
  const env = [
    ...podConfig(view).env,
    { name: 'SLIPWAY_SERVICE_HOST', value: `${view.name}.${view.namespace}.svc.cluster.local` },
    ...(view.primary ? [{ name: 'SLIPWAY_SERVICE_PORT', value: String(view.primary.port) }] : []),
    { name: 'BACKUP_DIR', value: dir },
  ];
  return {
    restartPolicy: 'OnFailure',
    // A client of the service, not the service: it needs no root, no token, no capability.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NOBODY,
      runAsGroup: NOBODY,
      fsGroup: NOBODY,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'backup',
        image: imageRef(view),
        command: ['/bin/sh', '-c', backupScript(backup.command, backup.retention)],
        env,
        volumeMounts: [
          { name: 'backups', mountPath: dir },
          { name: 'tmp', mountPath: '/tmp' },
        ],
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '1', memory: '512Mi' },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
    volumes: [
      { name: 'backups', persistentVolumeClaim: { claimName: name } },
      { name: 'tmp', emptyDir: {} },
    ],
  };
}

export function backupObjects(view: ServiceView): K8sObject[] {
  const backup = view.service.backup;
  if (!backup) return [];
  const name = `${view.name}-backup`;
  const dir = backup.destination ?? DEFAULT_BACKUP_DIR;
  const jobLabels = { [LABEL.name]: name, [LABEL.component]: 'backup' };
  const labels = { ...objectLabels(view), ...jobLabels };
  const ports = callPorts(view.ports).map((p) => ({ protocol: p.protocol, port: p.port }));
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: view.namespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: backup.size ?? DEFAULT_SIZE } },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: view.namespace, labels },
      spec: {
        schedule: backup.schedule,
        // A backup still running when the next one is due is not doubled.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            ttlSecondsAfterFinished: 86_400,
            template: {
              metadata: { labels },
              spec: backupPod(view, backup, name, dir),
            },
          },
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(view, name),
      spec: {
        podSelector: { matchLabels: jobLabels },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: selectorLabels(view) } }], ports }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(view, `${view.name}-from-backup`),
      spec: {
        podSelector: { matchLabels: selectorLabels(view) },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: jobLabels } }], ports }],
      },
    },
  ];
}
