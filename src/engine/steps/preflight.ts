/** @module Preflight: the spec is valid (it was loaded), and each touched cluster's target can take the release. */
import { type StepExecutor, targetFor } from './step-context.js';

export const preflight: StepExecutor<'preflight'> = async (ctx, step) => {
  if (step.check === 'spec') return { evidence: { verdict: 'pass', summary: 'the spec is valid' } };
  const result = await targetFor(ctx, step.cluster).preflight(step.services);
  return {
    evidence: {
      verdict: result.ok ? 'pass' : 'fail',
      summary: result.ok ? result.summary : `${result.summary}: ${result.findings.join('; ')}`,
      findings: result.findings.join('\n'),
    },
  };
};
