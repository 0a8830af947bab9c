/**
 * @module Preflight: the spec is valid (it was loaded); the new image tags exist in the registry; each
 * touched cluster's target can take the release.
 */
import type { Evidence } from '../events.js';
import { type StepContext, type StepExecutor, type StepOf, targetFor } from './step-context.js';

async function imagesExist(
  ctx: StepContext,
  step: Extract<StepOf<'preflight'>, { check: 'images' }>,
): Promise<Evidence> {
  if (!ctx.registry) return { verdict: 'inconclusive', summary: 'no registry client to check images with' };
  const checks = await Promise.all(step.images.map((i) => ctx.registry!.exists(i.image, i.version)));
  const missing = checks.filter((c) => !c.found).map((c) => c.detail);
  return missing.length === 0
    ? { verdict: 'pass', summary: checks.map((c) => c.detail).join(', ') }
    : { verdict: 'fail', summary: `missing from ${step.registry}: ${missing.join('; ')}` };
}

export const preflight: StepExecutor<'preflight'> = async (ctx, step) => {
  if (step.check === 'spec') return { evidence: { verdict: 'pass', summary: 'the spec is valid' } };
  if (step.check === 'images') return { evidence: await imagesExist(ctx, step) };
  const result = await targetFor(ctx, step.cluster).preflight(step.services);
  return {
    evidence: {
      verdict: result.ok ? 'pass' : 'fail',
      summary: result.ok ? result.summary : `${result.summary}: ${result.findings.join('; ')}`,
      findings: result.findings.join('\n'),
    },
  };
};
