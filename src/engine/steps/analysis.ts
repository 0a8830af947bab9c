/**
 * @module Analysis steps: the template's judges over a window, with its metric provider — a window of the
 * step's own, or a background analysis that starts at one step and is closed by its verdict step.
 */
import { type AnalysisInput, runAnalysis } from '../../analysis/analysis-loop.js';
import type { StepContext, StepExecutor, StepOf } from './step-context.js';

type Judged = StepOf<'analysis'> | StepOf<'background-analysis'>;

/** The loop's input for a step; undefined when the template is not in the spec. */
function analysisInput(ctx: StepContext, step: Judged, alphaShare?: number): AnalysisInput | undefined {
  const definition = ctx.spec.analysis?.[step.template];
  if (!definition) return undefined;
  const { provider, traffic, problem } = ctx.providers.forTemplate(definition);
  return {
    template: step.template,
    definition,
    cluster: step.cluster,
    service: step.service,
    namespace: ctx.spec.services[step.service]?.namespace ?? step.environment ?? '',
    version: step.version,
    ...(step.baselineVersion ? { baselineVersion: step.baselineVersion } : {}),
    durationMs: step.durationMs,
    ...(alphaShare !== undefined ? { alphaShare } : {}),
    traffic: traffic ?? ctx.metrics,
    ...(provider ? { provider } : {}),
    ...(problem ? { providerProblem: problem } : {}),
    signal: ctx.signal,
  };
}

const unknown = (step: Judged) => ({
  evidence: { verdict: 'fail' as const, summary: `unknown analysis template ${step.template}` },
});

export const analysis: StepExecutor<'analysis'> = async (ctx, step) => {
  if (step.endsBackground) {
    const evidence = await ctx.background?.close(step.endsBackground);
    if (evidence) return { evidence };
  }
  const input = analysisInput(ctx, step, step.alphaShare);
  if (!input) return unknown(step);
  const evidence = await runAnalysis({ ...input, ...(ctx.onSample ? { onSample: ctx.onSample } : {}) });
  // A background analysis that was not running (its controller restarted while this step waited) is
  // judged on a window of its own: still a decision, never a pass by default.
  if (step.endsBackground)
    evidence.summary = `${evidence.summary} (judged on a window of its own: the background analysis was not running)`;
  return { evidence };
};

/** Starts the background analysis; it runs beside the later steps (engine/background-analyses.ts). */
export const backgroundAnalysis: StepExecutor<'background-analysis'> = async (ctx, step) => {
  const input = analysisInput(ctx, step, step.alphaShare);
  if (!input) return unknown(step);
  if (!ctx.background)
    return { evidence: { verdict: 'fail', summary: 'a background analysis needs the release runner' } };
  const ownWindow = step.window === 'own';
  ctx.background.start(
    step.id,
    (windowEnd, signal) => runAnalysis({ ...input, ...(ownWindow ? {} : { windowEnd }), signal }),
    ownWindow,
  );
  return {
    result: {
      background: ownWindow
        ? `analysis ${step.template} runs for ${Math.round(step.durationMs / 1000)}s beside the others of its step`
        : `analysis ${step.template} runs until the promotion`,
    },
  };
};
