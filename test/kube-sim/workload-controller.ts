/**
 * @module The simulator's workload controller: Deployments (and StatefulSets, alike here) get pods that
 * become ready after a delay, replaced within maxSurge / maxUnavailable; status and conditions as the
 * real controller writes them, ProgressDeadlineExceeded included. An image whose tag holds `crashloop`
 * crash-loops (exit code 1); one holding `nopull` cannot be pulled.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from './field-ownership.js';
import { metadataOf, type ObjectStore } from './object-store.js';
import { RESOURCES, type ResourceType } from './resources.js';

export interface WorkloadOptions {
  /** How long a healthy pod takes to become ready. */
  readyDelayMs: number;
  /** Seconds in the spec (progressDeadlineSeconds) are multiplied by this to give milliseconds here. */
  msPerSpecSecond: number;
  /** Nodes a DaemonSet runs on (default 3). */
  nodes?: number;
  /** How an image fails here (default: by its tag, `crashloop` or `nopull`). */
  badImage?: (image: string) => 'crashloop' | 'nopull' | undefined;
  /** A ready delay of its own for some images (slow starters). */
  readyDelayFor?: (image: string) => number | undefined;
}

const byTag = (image: string) =>
  image.includes('crashloop')
    ? ('crashloop' as const)
    : image.includes('nopull')
      ? ('nopull' as const)
      : undefined;

const POD = RESOURCES.find((r) => r.kind === 'Pod')!;
const OWNER_LABEL = 'kube-sim/owner';

interface PodView {
  name: string;
  hash: string;
  image: string;
  createdAt: number;
  ready: boolean;
}

const templateHash = (template: unknown) =>
  createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);

/** A surge or unavailability bound resolved as the Deployment controller does: surge up, unavailable down. */
export function resolveBound(value: unknown, replicas: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const pct = Number(String(v).replace('%', '')) / 100;
  return roundUp ? Math.ceil(pct * replicas) : Math.floor(pct * replicas);
}

function podStatus(
  image: string,
  createdAt: number,
  now: number,
  readyDelayMs: number,
  bad: 'crashloop' | 'nopull' | undefined,
) {
  const age = now - createdAt;
  if (bad === 'crashloop') {
    return {
      ready: false,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [
          {
            name: 'app',
            image,
            ready: false,
            restartCount: Math.floor(age / Math.max(1, readyDelayMs)),
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' },
            },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      },
    };
  }
  if (bad === 'nopull') {
    return {
      ready: false,
      status: {
        phase: 'Pending',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [
          {
            name: 'app',
            image,
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: age > readyDelayMs ? 'ImagePullBackOff' : 'ErrImagePull',
                message: `pull of ${image} failed: not found`,
              },
            },
          },
        ],
      },
    };
  }
  const ready = age >= readyDelayMs;
  return {
    ready,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'app',
          image,
          ready,
          restartCount: 0,
          state: { running: { startedAt: new Date(createdAt).toISOString() } },
        },
      ],
    },
  };
}

/** Pods in total, updated and ready, from a workload's status, whatever its kind. */
function countsOf(kind: string, status: JsonObject) {
  return kind === 'DaemonSet'
    ? {
        total: status['currentNumberScheduled'],
        updated: status['updatedNumberScheduled'],
        ready: status['numberReady'],
      }
    : { total: status['replicas'], updated: status['updatedReplicas'], ready: status['readyReplicas'] };
}

export class WorkloadController {
  private readonly rolloutStart = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly options: WorkloadOptions,
  ) {}

  tick(now = Date.now()): void {
    const live = new Set<string>();
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
      const r = RESOURCES.find((x) => x.kind === kind)!;
      for (const stored of this.store.list(r)) {
        const meta = metadataOf(stored.object);
        live.add(`${meta.namespace ?? 'default'}/${meta.name}`);
        this.reconcile(r, stored.object, now);
      }
    }
    this.collectGarbage(live);
  }

  /** Workloads seen at the last tick: the pods of one that is gone are deleted (Kubernetes' garbage collector). */
  private workloads = new Set<string>();

  private collectGarbage(live: Set<string>): void {
    const gone = [...this.workloads].filter((k) => !live.has(k));
    this.workloads = live;
    for (const key of gone) {
      const [namespace, owner] = key.split('/') as [string, string];
      for (const pod of this.pods(namespace, owner)) this.store.delete(POD, namespace, pod.name);
      for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'])
        this.rolloutStart.delete(`${kind}/${key}`);
    }
  }

  private pods(namespace: string, owner: string): PodView[] {
    return this.store
      .list(POD, namespace)
      .filter(
        (p) =>
          (metadataOf(p.object)['labels'] as Record<string, string> | undefined)?.[OWNER_LABEL] === owner,
      )
      .map((p) => {
        const meta = metadataOf(p.object);
        const annotations = meta['annotations'] as Record<string, string>;
        return {
          name: meta.name,
          hash: annotations['kube-sim/hash']!,
          image: annotations['kube-sim/image']!,
          createdAt: Number(annotations['kube-sim/created']),
          ready:
            (p.object['status'] as JsonObject | undefined)?.['conditions'] instanceof Array
              ? (p.object['status'] as { conditions: { type: string; status: string }[] }).conditions.some(
                  (c) => c.type === 'Ready' && c.status === 'True',
                )
              : false,
        };
      });
  }

  private writePod(
    namespace: string,
    owner: string,
    template: JsonObject,
    hash: string,
    name: string,
    createdAt: number,
    now: number,
  ) {
    const containers = ((template['spec'] as JsonObject)['containers'] as JsonObject[]) ?? [];
    const image = String(containers[0]?.['image'] ?? '');
    const labels = {
      ...((template['metadata'] as JsonObject | undefined)?.['labels'] as Record<string, string>),
      [OWNER_LABEL]: owner,
      'pod-template-hash': hash,
    };
    const { status } = podStatus(
      image,
      createdAt,
      now,
      this.options.readyDelayFor?.(image) ?? this.options.readyDelayMs,
      (this.options.badImage ?? byTag)(image),
    );
    const pod: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels,
        annotations: {
          'kube-sim/hash': hash,
          'kube-sim/image': image,
          'kube-sim/created': String(createdAt),
        },
      },
      spec: template['spec']!,
      status,
    };
    const existing = this.store.get(POD, namespace, name);
    if (existing && JSON.stringify(existing.object['status']) === JSON.stringify(status)) return;
    this.store.put(POD, pod, {}, {});
  }

  private reconcile(r: ResourceType, object: JsonObject, now: number): void {
    const meta = metadataOf(object);
    const namespace = meta.namespace ?? 'default';
    const key = `${r.kind}/${namespace}/${meta.name}`;
    const spec = object['spec'] as JsonObject;
    // A DaemonSet runs one pod per node; a StatefulSet replaces one pod at a time (no surge).
    const replicas =
      r.kind === 'DaemonSet'
        ? (this.options.nodes ?? 3)
        : typeof spec['replicas'] === 'number'
          ? spec['replicas']
          : 1;
    const template = spec['template'] as JsonObject;
    const hash = templateHash(template);
    const strategyKey = r.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
    const strategy =
      ((spec[strategyKey] as JsonObject | undefined)?.['rollingUpdate'] as JsonObject | undefined) ?? {};
    const surge =
      r.kind === 'StatefulSet'
        ? 0
        : resolveBound(strategy['maxSurge'], replicas, true, r.kind === 'DaemonSet' ? '0' : '25%');
    const unavailable = Math.max(
      resolveBound(strategy['maxUnavailable'], replicas, false, r.kind === 'Deployment' ? '25%' : '1'),
      surge === 0 ? 1 : 0,
    );
    const generation = Number(meta['generation'] ?? 1);
    const status = (object['status'] as JsonObject | undefined) ?? {};
    // A workload that has settled (its status says so for this generation) needs no work until it
    // changes: a simulator with thousands of them must not list pods for each, every tick.
    const seen = countsOf(r.kind, status);
    const settled =
      status['observedGeneration'] === generation &&
      seen.total === replicas &&
      seen.updated === replicas &&
      seen.ready === replicas &&
      this.rolloutStart.has(key);
    if (settled) return;
    if (status['observedGeneration'] !== generation || !this.rolloutStart.has(key))
      this.rolloutStart.set(key, now);

    let pods = this.pods(namespace, meta.name);
    for (const p of pods)
      this.writePod(
        namespace,
        meta.name,
        p.hash === hash ? template : template,
        p.hash,
        p.name,
        p.createdAt,
        now,
      );
    pods = this.pods(namespace, meta.name);
    const fresh = pods.filter((p) => p.hash === hash);
    const old = pods.filter((p) => p.hash !== hash);
    // Scale up the new pods within the surge.
    const room = Math.min(replicas - fresh.length, replicas + surge - pods.length);
    for (let i = 0; i < room; i++)
      this.writePod(
        namespace,
        meta.name,
        template,
        hash,
        `${meta.name}-${hash.slice(0, 5)}-${(++this.sequence).toString(36)}`,
        now,
        now,
      );
    // Scale down: unready old pods first, then ready ones while enough stay available.
    pods = this.pods(namespace, meta.name);
    let ready = pods.filter((p) => p.ready).length;
    const removable = pods.filter((p) => p.hash !== hash).sort((a, b) => Number(a.ready) - Number(b.ready));
    for (const p of removable) {
      const total = pods.length;
      if (p.ready && ready - 1 < replicas - unavailable) continue;
      if (!p.ready && total - 1 < 0) continue;
      this.store.delete(POD, namespace, p.name);
      pods = pods.filter((x) => x.name !== p.name);
      if (p.ready) ready--;
    }
    // Too many new pods (a scale-down): remove the newest.
    const freshNow = pods.filter((p) => p.hash === hash).sort((a, b) => b.createdAt - a.createdAt);
    for (const p of freshNow.slice(0, Math.max(0, freshNow.length - replicas))) {
      this.store.delete(POD, namespace, p.name);
      pods = pods.filter((x) => x.name !== p.name);
    }
    void old;
    this.writeStatus(r, object, pods, hash, replicas, generation, now - this.rolloutStart.get(key)!);
  }

  private writeStatus(
    r: ResourceType,
    object: JsonObject,
    pods: PodView[],
    hash: string,
    replicas: number,
    generation: number,
    elapsed: number,
  ) {
    const spec = object['spec'] as JsonObject;
    const updated = pods.filter((p) => p.hash === hash);
    const readyCount = pods.filter((p) => p.ready).length;
    const complete = updated.length === replicas && updated.every((p) => p.ready) && pods.length === replicas;
    const deadlineMs = Number(spec['progressDeadlineSeconds'] ?? 600) * this.options.msPerSpecSecond;
    const before = (object['status'] as JsonObject | undefined) ?? {};
    const previous = ((before['conditions'] as JsonObject[] | undefined) ?? []).find(
      (c) => c['type'] === 'Progressing',
    );
    const stalled =
      !complete && (elapsed > deadlineMs || previous?.['reason'] === 'ProgressDeadlineExceeded');
    const progressing = complete
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${metadataOf(object).name}-${hash}" has successfully progressed.`,
        }
      : stalled
        ? {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${metadataOf(object).name}-${hash}" has timed out progressing.`,
          }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${metadataOf(object).name}-${hash}" is progressing.`,
          };
    if (r.kind === 'DaemonSet') {
      const ds: JsonObject = {
        observedGeneration: generation,
        desiredNumberScheduled: replicas,
        currentNumberScheduled: pods.length,
        updatedNumberScheduled: updated.length,
        numberReady: readyCount,
        numberAvailable: readyCount,
        ...(pods.length - readyCount > 0 ? { numberUnavailable: pods.length - readyCount } : {}),
      };
      if (JSON.stringify(before) === JSON.stringify(ds)) return;
      const stored = this.store.get(r, metadataOf(object).namespace, metadataOf(object).name)!;
      this.store.put(r, { ...stored.object, status: ds }, stored.owners, stored.operations);
      return;
    }
    const status: JsonObject = {
      observedGeneration: generation,
      replicas: pods.length,
      updatedReplicas: updated.length,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
      ...(pods.length - readyCount > 0 ? { unavailableReplicas: pods.length - readyCount } : {}),
      ...(r.kind === 'StatefulSet'
        ? {
            currentReplicas: updated.length,
            updateRevision: `${metadataOf(object).name}-${hash}`,
            ...(complete ? { currentRevision: `${metadataOf(object).name}-${hash}` } : {}),
          }
        : {}),
      conditions: [
        {
          type: 'Available',
          status: readyCount >= replicas - 0 ? 'True' : 'False',
          reason: readyCount >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        },
        progressing,
      ],
    };
    const comparable = (s: JsonObject) =>
      JSON.stringify({ ...s, conditions: undefined }) +
      JSON.stringify(
        (s['conditions'] as JsonObject[] | undefined)?.map((c) => [c['type'], c['status'], c['reason']]),
      );
    if (comparable(before) === comparable(status)) return;
    const stored = this.store.get(r, metadataOf(object).namespace, metadataOf(object).name)!;
    this.store.put(r, { ...stored.object, status }, stored.owners, stored.operations);
  }
}
