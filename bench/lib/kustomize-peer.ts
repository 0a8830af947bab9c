/**
 * The kustomize peer of bench/render, run as its users run it: a base of the platform's objects (one
 * multi-document file per service, as a hand-kept base is) and one overlay per cluster that annotates the
 * objects and pins image tags, each built with its own `kubectl kustomize overlays/<cluster>`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { containersOf } from '../../src/render/object-access.js';
import type { RenderedObject } from '../../src/render/render-platform.js';
import { objectText } from '../../src/render/serialize.js';
import { countKinds } from './bench-platform.js';

/** Writes the tree for `clusters` over the objects Slipway rendered for one of them. */
export function writeKustomizeTree(dir: string, base: RenderedObject[], clusters: string[]): void {
  mkdirSync(join(dir, 'base'), { recursive: true });
  const byFile = new Map<string, string[]>();
  for (const o of base) {
    const file = `${o.origin[0] === 'services' ? String(o.origin[1]) : '_namespaces'}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), objectText(o, 'yaml')]);
  }
  const files = [...byFile.keys()].sort();
  for (const file of files) writeFileSync(join(dir, 'base', file), byFile.get(file)!.join('---\n'));
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), stringify({ resources: files }));
  const deployments = base.filter((o) => o.object.kind === 'Deployment').slice(0, 50);
  for (const cluster of clusters) {
    mkdirSync(join(dir, 'overlays', cluster), { recursive: true });
    // Fields every kustomize since kubectl 1.14 knows (Debian 12's kubectl 1.20 embeds kustomize 2.0.3).
    const images = deployments.map((d) => {
      const image = String(containersOf(d.object)[0]!.container['image']);
      return { name: image.slice(0, image.lastIndexOf(':')), newTag: `${cluster}-pinned` };
    });
    writeFileSync(
      join(dir, 'overlays', cluster, 'kustomization.yaml'),
      stringify({ resources: ['../../base'], commonAnnotations: { 'slipway.dev/cluster': cluster }, images }),
    );
  }
}

/** Builds every cluster's overlay; the objects it wrote, by kind, and the seconds it took. */
export function buildOverlays(dir: string, clusters: string[]) {
  const kinds = new Map<string, number>();
  const start = performance.now();
  for (const cluster of clusters) {
    const run = spawnSync('kubectl', ['kustomize', join(dir, 'overlays', cluster)], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (run.status !== 0) throw new Error(`kubectl kustomize failed: ${run.stderr || run.error?.message}`);
    countKinds(run.stdout, kinds);
  }
  return { kinds, seconds: (performance.now() - start) / 1000 };
}

export function kubectlVersion(): string | undefined {
  const run = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  return /Kustomize Version: (\S+)/.exec(run.stdout)?.[1] ?? run.stdout.split('\n')[0];
}
