/**
 * @module One executor per step kind, in a table typed over the kinds: a kind without an executor does
 * not compile. Failures a release can have (a crash loop, a timeout) come back as a failed verdict.
 */
import { SlipwayError } from '../../errors/index.js';
import type { Step } from '../../plan/types.js';
import { analysis, backgroundAnalysis } from './analysis.js';
import { backup } from './backup.js';
import { check } from './check.js';
import { criteria } from './criteria.js';
import { ensureReplicas } from './ensure-replicas.js';
import { preflight } from './preflight.js';
import type { StepContext, StepExecutor, StepKind, StepOutcome } from './step-context.js';
import { promote, recordVersion, scaleToZero, setWeights } from './traffic.js';
import { approval, bake, pause } from './waiting.js';
import { watch } from './watch.js';

export type { StepContext, StepOutcome, WaitHost } from './step-context.js';

const EXECUTORS: { [K in StepKind]: StepExecutor<K> } = {
  preflight,
  backup,
  approval,
  'ensure-replicas': ensureReplicas,
  'set-weights': setWeights,
  promote,
  'scale-to-zero': scaleToZero,
  check,
  analysis,
  'background-analysis': backgroundAnalysis,
  pause,
  bake,
  watch,
  criteria,
  'record-version': recordVersion,
};

export async function runStep(ctx: StepContext, step: Step): Promise<StepOutcome> {
  const execute = EXECUTORS[step.kind] as StepExecutor<typeof step.kind>;
  try {
    return await execute(ctx, step as never);
  } catch (error) {
    if (error instanceof SlipwayError && error.category === 'release')
      return { evidence: { verdict: 'fail', summary: error.message, code: error.code } };
    throw error;
  }
}
