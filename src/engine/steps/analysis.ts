/** @module An analysis step: the template's judges over the window, with its metric provider. */
import { runAnalysis } from '../../analysis/analysis-loop.js';
import type { StepExecutor } from './step-context.js';

export const analysis: StepExecutor<'analysis'> = async (ctx, step) => {
  const definition = ctx.spec.analysis?.[step.template];
  if (!definition)
    return { evidence: { verdict: 'fail', summary: `unknown analysis template ${step.template}` } };
  const { provider, traffic, problem } = ctx.providers.forTemplate(definition);
  const evidence = await runAnalysis({
    template: step.template,
    definition,
    cluster: step.cluster,
    service: step.service,
    namespace: ctx.spec.services[step.service]?.namespace ?? step.environment ?? '',
    version: step.version,
    ...(step.baselineVersion ? { baselineVersion: step.baselineVersion } : {}),
    durationMs: step.durationMs,
    ...(step.alphaShare !== undefined ? { alphaShare: step.alphaShare } : {}),
    traffic: traffic ?? ctx.metrics,
    ...(provider ? { provider } : {}),
    ...(problem ? { providerProblem: problem } : {}),
    signal: ctx.signal,
    ...(ctx.onSample ? { onSample: ctx.onSample } : {}),
  });
  return { evidence };
};
