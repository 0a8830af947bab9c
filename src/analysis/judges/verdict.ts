/** @module What every judge returns: a verdict and the evidence behind it. */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface Judgement {
  verdict: Verdict;
  summary: string;
  evidence: Record<string, number | string | boolean | null>;
}
