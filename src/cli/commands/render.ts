/** @module `slipway render`: the Kubernetes objects, alert rules and dashboards of the platform. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '../../errors/index.js';
import { renderPlatform } from '../../render/render-platform.js';
import {
  clusterKustomizations,
  objectPath,
  objectText,
  type RenderFormat,
  streamText,
} from '../../render/serialize.js';
import { locate, requireSpec } from '../../spec/index.js';
import type { CommandContext } from '../context.js';
import { parseFormat, splitList } from '../options.js';
import { withExamples } from '../help.js';

/** Marks a directory as Slipway's output, so a re-render may delete the files it no longer produces. */
const MARKER = '.slipway-render';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.name !== MARKER) out.push(path);
  }
  return out;
}

function writeTree(dir: string, files: Map<string, string>): { written: number; removed: number } {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, MARKER)))
    throw new SlipwayError(
      'RENDER_OUT_NOT_OURS',
      `${dir} is not empty and was not written by slipway render`,
      {
        hint: 'choose an empty or new directory; slipway deletes stale files only in its own output directories',
      },
    );
  mkdirSync(dir, { recursive: true });
  let removed = 0;
  for (const file of filesUnder(dir))
    if (!files.has(relative(dir, file))) {
      rmSync(file);
      removed++;
    }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, MARKER), 'Written by `slipway render`; files it no longer renders are deleted.\n');
  return { written: files.size, removed };
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
    .action((o: { file: string; env?: string; out?: string; format: string }) => {
      const format = parseFormat(o.format, ['yaml', 'json']) as RenderFormat;
      const { spec, source } = requireSpec(o.file);
      const environments = splitList(o.env);
      const result = renderPlatform(spec, {
        ...(environments ? { environments } : {}),
        locate: (path) => locate(source, path, 'key'),
      });
      for (const note of result.notes) ctx.io.err(`note: ${note}`);
      if (o.out) {
        const files = new Map(result.objects.map((r) => [objectPath(r, format), objectText(r, format)]));
        for (const [path, text] of clusterKustomizations(result.objects, format)) files.set(path, text);
        const { written, removed } = writeTree(o.out, files);
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
