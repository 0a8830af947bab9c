/**
 * @module Analysis steps: the template's judges over a window, with its metric provider — a window of the
 * step's own, or a background analysis that starts at one step and is closed by its verdict step.
 */
import { type AnalysisInput, runAnalysis } from '../../analysis/analysis-loop.js';
import type { Evidence } from '../events.js';
import { redactAll, resolveArgs } from '../../analysis/template-args.js';
import type { StepContext, StepExecutor, StepOf } from './step-context.js';

type Judged = StepOf<'analysis'> | StepOf<'background-analysis'>;

type Prepared = { input: AnalysisInput; secrets: string[] } | { evidence: Evidence };

/**
 * The loop's input for a step, and the secret argument values every text it records must mask; or the
 * evidence of why it cannot run (an unknown template, an argument without a value).
 */
function analysisInput(ctx: StepContext, step: Judged): Prepared {
  const definition = ctx.spec.analysis?.[step.template];
  if (!definition)
    return { evidence: { verdict: 'fail', summary: `unknown analysis template ${step.template}` } };
  const args = resolveArgs(definition, step.args);
  if (!args.ok)
    return { evidence: { verdict: 'inconclusive', summary: `analysis ${step.template}: ${args.problem}` } };
  const { provider, traffic, problem } = ctx.providers.forTemplate(definition);
  const input: AnalysisInput = {
    template: step.template,
    definition,
    cluster: step.cluster,
    service: step.service,
    namespace: ctx.spec.services[step.service]?.namespace ?? step.environment ?? '',
    version: step.version,
    ...(step.group ? { group: step.group } : {}),
    ...(step.baselineVersion ? { baselineVersion: step.baselineVersion } : {}),
    ...(step.baselineGroup ? { baselineGroup: step.baselineGroup } : {}),
    durationMs: step.durationMs,
    ...(step.alphaShare !== undefined ? { alphaShare: step.alphaShare } : {}),
    traffic: traffic ?? ctx.metrics,
    ...(provider ? { provider } : {}),
    ...(problem ? { providerProblem: problem } : {}),
    ...(Object.keys(args.values).length > 0 ? { args: args.values } : {}),
    signal: ctx.signal,
    clock: ctx.clock,
  };
  return { input, secrets: args.secrets };
}

/** The loop, with every text it reports (evidence, live samples) free of secret argument values. */
function run(prepared: { input: AnalysisInput; secrets: string[] }, extra: Partial<AnalysisInput> = {}) {
  const { input, secrets } = prepared;
  const onSample = extra.onSample;
  return runAnalysis({
    ...input,
    ...extra,
    ...(onSample ? { onSample: (e: Evidence) => onSample(redactAll(e, secrets)) } : {}),
  }).then((e) => redactAll(e, secrets));
}

export const analysis: StepExecutor<'analysis'> = async (ctx, step) => {
  if (step.endsBackground) {
    const evidence = await ctx.background?.close(step.endsBackground);
    if (evidence) return { evidence };
  }
  const prepared = analysisInput(ctx, step);
  if ('evidence' in prepared) return prepared;
  const evidence = await run(prepared, ctx.onSample ? { onSample: ctx.onSample } : {});
  // A background analysis that was not running (its controller restarted while this step waited) is
  // judged on a window of its own: still a decision, never a pass by default.
  if (step.endsBackground)
    evidence.summary = `${evidence.summary} (judged on a window of its own: the background analysis was not running)`;
  return { evidence };
};

/** Starts the background analysis; it runs beside the later steps (engine/background-analyses.ts). */
export const backgroundAnalysis: StepExecutor<'background-analysis'> = async (ctx, step) => {
  const prepared = analysisInput(ctx, step);
  if ('evidence' in prepared) return prepared;
  if (!ctx.background)
    return { evidence: { verdict: 'fail', summary: 'a background analysis needs the release runner' } };
  const ownWindow = step.window === 'own';
  ctx.background.start(step.id, (windowEnd, signal) =>
    run(prepared, { ...(ownWindow ? {} : { windowEnd }), signal }),
  );
  return {
    result: {
      background: ownWindow
        ? `analysis ${step.template} runs for ${Math.round(step.durationMs / 1000)}s beside the others of its step`
        : `analysis ${step.template} runs until the promotion`,
    },
  };
};
