/** @module `slipway render`: the Kubernetes objects, alert rules and dashboards of the platform. */
import type { Command } from 'commander';
import { renderPlatform, type RenderResult } from '../../render/render-platform.js';
import {
  clusterKustomizations,
  objectPath,
  objectText,
  type RenderFormat,
  streamText,
} from '../../render/serialize.js';
import { locate, requireSpec } from '../../spec/index.js';
import { api } from '../client.js';
import type { CommandContext } from '../context.js';
import { parseFormat, splitList } from '../options.js';
import { withExamples } from '../help.js';
import { writeRenderTree } from '../render-output.js';

interface RenderOptions {
  file: string;
  env?: string;
  out?: string;
  format: string;
  force?: boolean;
  server?: string;
}

function localRender(file: string, environments: string[] | undefined) {
  const { spec, source } = requireSpec(file);
  const result = renderPlatform(spec, {
    ...(environments ? { environments } : {}),
    locate: (path) => locate(source, path, 'key'),
  });
  return { result, environmentNames: Object.keys(spec.environments) };
}

/** The controller's objects, written here by the same serialiser (so --out and --format work alike). */
async function remoteRender(server: string, environments: string[] | undefined) {
  const answer = await api<RenderResult & { environments: string[] }>(
    server,
    'POST',
    '/v1/render',
    environments ? { environments } : {},
  );
  return { result: answer, environmentNames: answer.environments };
}

export function registerRender(program: Command, ctx: CommandContext): void {
  const command = program
    .command('render')
    .description(
      'Render the Kubernetes objects, alert rules and dashboards of every service, validated against the Kubernetes schemas.',
    )
    .option('-f, --file <spec>', 'the platform spec', 'slipway.yaml')
    .option('--env <names>', 'only these environments (comma-separated)')
    .option('--out <dir>', 'write one file per object under DIR/ENV/CLUSTER/NAMESPACE/ (for Argo CD)')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--force', 'write into a non-empty directory render did not write (its files are never deleted)')
    .option('--server <url>', 'render the spec this controller runs (-f is then not read)')
    .action(async (o: RenderOptions) => {
      const format = parseFormat(o.format, ['yaml', 'json']) as RenderFormat;
      const environments = splitList(o.env);
      const { result, environmentNames } = o.server
        ? await remoteRender(o.server, environments)
        : localRender(o.file, environments);
      for (const note of result.notes) ctx.io.err(`note: ${note}`);
      if (o.out) {
        const files = new Map(result.objects.map((r) => [objectPath(r, format), objectText(r, format)]));
        for (const [path, text] of clusterKustomizations(result.objects, format)) files.set(path, text);
        const { written, removed } = writeRenderTree(o.out, files, {
          environments: environments ?? environmentNames,
          all: environmentNames,
          ...(o.force ? { force: true } : {}),
        });
        ctx.io.err(
          `${o.out}: ${result.objects.length} object(s) in ${written} file(s) written${removed ? `, ${removed} stale file(s) removed` : ''}; apply a cluster with kubectl apply -k ${o.out}/ENV/CLUSTER`,
        );
      } else {
        ctx.io.out(streamText(result.objects, format));
      }
    });
  withExamples(
    command,
    `
# Every object of the production environment, as one YAML stream
slipway render -f examples/medical-platform/slipway.yaml --env production

# One file per object, ready to commit for Argo CD
slipway render -f examples/medical-platform/slipway.yaml --out deploy/

# As a JSON List
slipway render -f examples/demo/slipway.yaml --format json`,
  );
}
