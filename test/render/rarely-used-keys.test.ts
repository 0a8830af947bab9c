/**
 * Keys no example uses, each proved to have its effect (the schema-walk test holds every key to one):
 * ephemeral storage, KEDA polling interval, Prometheus server address and RabbitMQ host variable, env from a
 * ConfigMap key and from the Downward API, a readiness success threshold, runAsUser and the service account,
 * an emptyDir's size limit, an environment's overrides of them, healthTimeout as the rollout deadline and a
 * command check's expected exit code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../src/engine/gates/run-check.js';
import { planRelease } from '../../src/plan/plan-release.js';
import { renderPlatform } from '../../src/render/render-platform.js';
import { loadSpecText } from '../../src/spec/index.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: rarely }
environments:
  staging:
    clusters: { west: { kubernetes: { context: west } } }
  production:
    clusters: { east: { kubernetes: { context: east } } }
    overrides:
      services:
        worker:
          resources: { requests: { ephemeralStorage: 2Gi }, limits: { ephemeralStorage: 4Gi } }
          autoscale:
            min: 1
            max: 9
            keda:
              pollingInterval: 20s
              triggers: [{ rabbitmq: { queue: jobs, length: 10, hostFromEnv: AMQP_URL } }]
services:
  worker:
    image: registry.example.com/worker
    version: v1
    port: 8080
    health:
      readiness: { path: /ready, successThreshold: 2 }
      liveness: { path: /live }
    resources: { requests: { cpu: 100m, memory: 128Mi, ephemeralStorage: 1Gi }, limits: { memory: 256Mi, ephemeralStorage: 2Gi } }
    security: { runAsUser: 10001, serviceAccount: worker-sa }
    volumes: [{ name: scratch, mountPath: /scratch, emptyDir: { sizeLimit: 500Mi } }]
    config:
      env:
        AMQP_URL: { secretRef: { name: amqp, key: url } }
        MODE: { configMapRef: { name: worker-settings, key: mode } }
        POD_IP: { fieldRef: status.podIP }
    autoscale:
      min: 1
      max: 5
      keda:
        pollingInterval: 15s
        triggers: [{ prometheus: { serverAddress: "http://prometheus.monitoring:9090", query: "sum(rate(jobs_total[1m]))", threshold: 50 } }]
    release: { strategy: rolling, healthTimeout: 7m, checks: [exit-three] }
checks:
  exit-three: { command: { run: "exit 3", expectExit: 3 } }
`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('keys no example uses', () => {
  const loaded = loadSpecText(SPEC, 'rarely.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  const { objects } = renderPlatform(loaded.spec);
  const find = (env: string, kind: string) =>
    objects.find((o) => o.environment === env && o.object.kind === kind)!.object as Json;

  it('renders each into the objects, and the environment overrides over them', () => {
    for (const [env, request, limit] of [
      ['staging', '1Gi', '2Gi'],
      ['production', '2Gi', '4Gi'],
    ] as const) {
      const pod = find(env, 'Deployment')['spec']['template']['spec'];
      const container = pod['containers'][0];
      assert.equal(container['resources']['requests']['ephemeral-storage'], request, env);
      assert.equal(container['resources']['limits']['ephemeral-storage'], limit, env);
      assert.equal(container['readinessProbe']['successThreshold'], 2);
      assert.equal(container['securityContext']['runAsUser'], 10001);
      assert.equal(pod['serviceAccountName'], 'worker-sa');
      assert.deepEqual(pod['volumes'].find((v: Json) => v['name'] === 'scratch')['emptyDir'], {
        sizeLimit: '500Mi',
      });
      const env_ = Object.fromEntries(container['env'].map((e: Json) => [e['name'], e['valueFrom']]));
      assert.deepEqual(env_['MODE'], { configMapKeyRef: { name: 'worker-settings', key: 'mode' } });
      assert.deepEqual(env_['POD_IP'], { fieldRef: { fieldPath: 'status.podIP' } });
    }
    const staging = find('staging', 'ScaledObject')['spec'];
    assert.equal(staging['pollingInterval'], 15);
    assert.equal(staging['triggers'][0]['metadata']['serverAddress'], 'http://prometheus.monitoring:9090');
    const production = find('production', 'ScaledObject')['spec'];
    assert.equal(production['pollingInterval'], 20);
    assert.equal(production['triggers'][0]['metadata']['hostFromEnv'], 'AMQP_URL');
  });

  it('gives the rollout healthTimeout as its deadline, and the check its expected exit code', async () => {
    const plan = planRelease(loaded.spec, { changes: [{ service: 'worker', version: 'v2' }] }, () => 'v1');
    const ensure = plan.steps.find((s) => s.kind === 'ensure-replicas');
    assert.equal(ensure?.kind === 'ensure-replicas' && ensure.deadlineMs, 7 * 60_000);
    const t = {
      service: 'worker',
      version: 'v2',
      cluster: 'east',
      environment: 'production',
      namespace: '',
      cwd: process.cwd(),
    };
    assert.equal((await runCheck('exit-three', loaded.spec.checks!['exit-three']!, t)).verdict, 'pass');
    assert.equal(
      (await runCheck('exit-zero', { command: { run: 'exit 0', expectExit: 3 } }, t)).verdict,
      'fail',
    );
  });
});
