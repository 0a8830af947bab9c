/** @module `slipway plan`: the release plan, without changing anything. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { liveVersions } from '../../engine/live-versions.js';
import { planRelease } from '../../plan/plan-release.js';
import { type MeasuredTraffic, measuredTraffic } from '../../plan/measured-traffic.js';
import { renderPlan } from '../../plan/render-plan.js';
import type { Plan, ReleaseRequest } from '../../plan/types.js';
import { requireSpec } from '../../spec/index.js';
import { requireVersion } from '../../spec/version.js';
import { openStore } from '../../store/open-store.js';
import { kubernetesTargets } from '../../targets/kubernetes/targets-from-spec.js';
import { api } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { parseChanges } from './release-commands.js';

interface LocalPlanOptions {
  file: string;
  stateDir: string;
  kubeconfig?: string;
  from?: string;
}

/**
 * The plan from here: the spec file, the history in the state directory (what runs now, the traffic last
 * measured) and, with a kubeconfig, what the clusters run.
 */
async function planHere(request: ReleaseRequest, o: LocalPlanOptions): Promise<Plan> {
  const { spec } = requireSpec(o.file);
  const current = new Map<string, string>();
  let measured: Map<string, MeasuredTraffic> | undefined;
  if (process.env['SLIPWAY_DATABASE_URL'] || existsSync(join(o.stateDir, 'state.db'))) {
    const store = openStore(o.stateDir);
    for (const d of await store.desiredState())
      if (d.groups.stable) current.set(`${d.cluster}/${d.service}`, d.groups.stable.version);
    measured = await measuredTraffic(store);
    await store.close();
  }
  const isLocal = (cluster: string) =>
    Object.values(spec.environments).some((e) => e.clusters[cluster]?.local);
  const live = o.kubeconfig
    ? await liveVersions(
        spec,
        kubernetesTargets(spec, { kubeconfig: o.kubeconfig, client: { attempts: 2 } }),
        request,
        current,
      )
    : new Map<string, string | undefined>();
  const plan = planRelease(
    spec,
    request,
    (_e, cluster, service) => {
      if (o.from !== undefined) return o.from;
      const key = `${cluster}/${service}`;
      if (current.has(key)) return current.get(key);
      if (live.has(key)) return live.get(key);
      return isLocal(cluster) ? undefined : spec.services[service]?.version;
    },
    measured,
  );
  return plan;
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  const command = program
    .command('plan')
    .description(
      'Print the plan of a release — preflight, environments, approvals, waves, steps, gates — and change nothing.',
    )
    .argument('<SERVICE@VERSION...>', 'what would be released')
    .option('-f, --file <spec>', 'the platform spec', 'slipway.yaml')
    .option('--env <names>', 'only these environments (comma-separated)')
    .option('--state-dir <dir>', 'where the history is (for the versions running now)', '.slipway')
    .option(
      '--kubeconfig <file>',
      "ask Kubernetes clusters what they run (else the spec's version is assumed)",
    )
    .option(
      '--from <version>',
      'plan as if this version ran now wherever the release goes (else: the history, or the clusters)',
    )
    .option(
      '--server <url>',
      'ask this controller for the plan: its spec, its history, its clusters (-f, --state-dir and --kubeconfig are then not read)',
    )
    .option('--json', 'print the plan as JSON')
    .action(
      async (
        args: string[],
        o: {
          file: string;
          env?: string;
          stateDir: string;
          kubeconfig?: string;
          from?: string;
          server?: string;
          json?: boolean;
        },
      ) => {
        const request = { changes: parseChanges(args), ...(o.env ? { environments: o.env.split(',') } : {}) };
        if (o.from !== undefined) requireVersion(o.from, '--from');
        const show = (plan: Plan) => ctx.io.out(o.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
        if (o.server) {
          const from = o.from !== undefined ? { from: o.from } : {};
          show(await api<Plan>(o.server, 'POST', '/v1/plan', { request, ...from }));
          return;
        }
        show(await planHere(request, o));
      },
    );
  withExamples(
    command,
    `
slipway plan web@v2 -f examples/demo/slipway.yaml
slipway plan rollouts-demo@green --from blue -f examples/argo-parity/background-analysis.yaml
slipway plan web@v3 --server http://127.0.0.1:7447   # what the running controller would do
slipway plan api-gateway@v1.1.0 quantum-services@v1.1.0 -f examples/x0tta6bl4-update/slipway.yaml --env production`,
  );
}
