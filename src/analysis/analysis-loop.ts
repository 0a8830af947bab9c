/**
 * @module The analysis loop: every interval it asks the judges about the window since the analysis began,
 * stops early on decisive evidence (a failed judge, or the sequential test accepting a healthy canary),
 * needs a minimum sample before any pass, honours failure and inconclusive limits, and returns the
 * evidence the release's events keep. A window that ends before the sequential test has decided is
 * extended up to the template's `maxDuration` (without one: while the test can still reach its maximum
 * sample, at most 10 min), then *inconclusive* — never a pass — unless the template says
 * `decision: fixed-window`. A template's `count` ends it after that many rounds, with no run-on.
 */
import type { Evidence } from '../engine/events.js';
import { parseDuration, parsePercent } from '../spec/units.js';
import { type AnalysisInput, type AnalysisState, analysisState, judgeRound } from './analysis-round.js';
import { judgeLatencyShift } from './judges/mann-whitney.js';
import { judgeQuantiles } from './quantile-rules.js';
import type { Judgement } from './judges/verdict.js';
import { appendPoint, tracePoint } from './analysis-trace.js';

export type { AnalysisInput } from './analysis-round.js';

function finish(s: AnalysisState, verdict: Evidence['verdict'], summary: string): Evidence {
  return {
    verdict,
    summary:
      s.fixedWindow && verdict === 'pass'
        ? `${summary} (fixed window: the miss rate is not bounded)`
        : summary,
    template: s.input.template,
    elapsedMs: s.clock.now() - s.began,
    canaryRequests: s.canaryRequests,
    failures: s.failures,
    inconclusive: s.inconclusive,
    ...(s.fixedWindow ? { design: 'fixed-window: the chance of missing a regression is not bounded' } : {}),
    judgements: s.last.map((j) => ({ verdict: j.verdict, summary: j.summary, ...j.evidence })),
    trace: s.trace,
  };
}

/** Judged once, when the window ends: a rank test on the window's latencies (repeated looks at a ratio inflate false failures). */
function judgeLatency(s: AnalysisState): Judgement | undefined {
  const d = s.input.definition;
  const { canary, baseline } = s.cursors;
  // A source without per-request latencies has its p95 shift judged on quantiles (quantile-rules.ts).
  if (d.latencyP95?.maxIncrease === undefined || !canary?.recentLatencies || !baseline?.recentLatencies)
    return undefined;
  if (s.canaryRequests === 0) return undefined;
  const n = Math.min(4096, s.canaryRequests);
  return judgeLatencyShift(canary.recentLatencies(n), baseline.recentLatencies(4096), {
    allowedIncrease: parsePercent(d.latencyP95.maxIncrease),
    ...(d.latencyP95.minIncrease ? { minIncrease: parseDuration(d.latencyP95.minIncrease) / 1000 } : {}),
    minSample: s.minSample,
  });
}

/** After a round: a decision (fail, inconclusive over the limit, early pass), or undefined to go on. */
function decideRound(s: AnalysisState, round: Judgement[], noAnswer: boolean): Evidence | undefined {
  const failed = round.filter((j) => j.verdict === 'fail');
  if (failed.length > 0) {
    s.failures++;
    if (s.failures > s.failureLimit) return finish(s, 'fail', failed.map((j) => j.summary).join('; '));
  }
  // No data, NaN, a query error, an unreachable server: each is inconclusive, never a pass.
  if (noAnswer) {
    s.inconclusive++;
    if (s.inconclusive > s.inconclusiveLimit)
      return finish(s, 'inconclusive', summaries(round.filter((j) => j.verdict === 'inconclusive')));
  }
  const d = s.input.definition;
  if (s.input.windowEnd) return undefined; // a background analysis watches on until the promotion
  if (s.sequentialAccepted && (d.metrics ?? []).length === 0 && d.latencyP95 === undefined)
    return finish(s, 'pass', `early promotion: ${s.sequentialAccepted}`);
  return undefined;
}

const summaries = (round: Judgement[]) => round.map((j) => j.summary).join('; ');

/**
 * Without a `maxDuration`, an undecided window is extended while the test can still decide: until its
 * maximum sample (maxCanarySample), for at most DEFAULT_EXTENSION_MS, and only while the traffic so far
 * would reach that sample in time. Answers why not, or undefined to wait on.
 */
function stillWorthWaiting(s: AnalysisState, hardEndMs: number): string | undefined {
  if (s.input.definition.maxDuration !== undefined) return undefined; // the template said how long
  const max = s.maxSample;
  if (max === undefined) return 'no comparison with the baseline yet';
  if (s.canaryRequests >= max)
    return `it reached its maximum sample of ${max} canary requests, where it decides in all but rare cases`;
  // The traffic since the window ended once the run-on has lasted a round (a stalled canary stops it);
  // before that, the average since the start.
  const now = s.clock.now();
  s.runOnFrom ??= { at: now, requests: s.canaryRequests };
  const since = now - s.runOnFrom.at;
  const rate =
    since >= s.interval
      ? (s.canaryRequests - s.runOnFrom.requests) / since
      : s.canaryRequests / Math.max(1, now - s.began); // per ms
  const left = s.began + hardEndMs - s.clock.now();
  if (rate * left < max - s.canaryRequests)
    return (
      `at ${(rate * 1000).toFixed(1)} canary requests/s it would not reach its maximum sample of ${max} within ` +
      `${Math.round(hardEndMs / 60_000)} min: more traffic, a larger canary weight or a maxDuration decides`
    );
  return undefined;
}

/** How long an undecided analysis may run on when its template sets no maxDuration. */
export const DEFAULT_EXTENSION_MS = 10 * 60_000;

/** When the window (or its extension) is over: pass only on evidence that decided. */
function decideAtEnd(
  s: AnalysisState,
  round: Judgement[],
  noAnswer: boolean,
  hardEnd: boolean,
  endOfWindow: Judgement[],
  hardEndMs: number,
) {
  const { input } = s;
  if (s.usesTraffic && s.canaryRequests < s.minSample)
    return finish(s, 'inconclusive', `only ${s.canaryRequests} of the ${s.minSample} canary requests needed`);
  const silent = (input.definition.metrics ?? []).filter((m) => !s.answered.has(m.name)).map((m) => m.name);
  if (silent.length > 0)
    return finish(s, 'inconclusive', `no data from ${silent.join(', ')} during the whole analysis`);
  if (noAnswer) return finish(s, 'inconclusive', summaries(round));
  // A latency rule that could not judge (too few samples, NaN) leaves the question open: never a pass.
  const open = endOfWindow.filter((j) => j.verdict === 'inconclusive');
  if (open.length > 0) return finish(s, 'inconclusive', summaries(open));
  if (s.sequentialUsed && !s.sequentialAccepted && !s.fixedWindow) {
    const reason = hardEnd ? undefined : stillWorthWaiting(s, hardEndMs);
    if (reason === undefined && !hardEnd) return undefined; // extend: the test may still decide
    const last = round.find((j) => 'logAccept' in j.evidence);
    return finish(
      s,
      'inconclusive',
      `the sequential error test had not decided when the analysis ended after ${Math.round((s.clock.now() - s.began) / 1000)} s` +
        ` (${s.canaryRequests} canary requests): ${last?.summary ?? 'no comparison'}; ${reason ?? 'a longer window or more traffic decides'}`,
    );
  }
  return finish(s, 'pass', round.length ? summaries(round) : 'no judge objected');
}

/**
 * When the window ends and how long an undecided one may run on, from the analysis's start: after
 * `durationMs`, or for a background analysis when its `windowEnd` signal aborted (then the run-on is
 * what the template allows beyond its nominal window).
 */
function windowBounds(s: AnalysisState): { windowEnd: number; hardEnd: number } {
  const { input } = s;
  const d = input.definition;
  const runOn = d.maxDuration
    ? Math.max(0, parseDuration(d.maxDuration) - input.durationMs)
    : DEFAULT_EXTENSION_MS;
  if (input.windowEnd) {
    s.windowClosedAt ??= input.windowEnd.aborted ? s.clock.now() - s.began : undefined;
    const end = s.windowClosedAt ?? Number.POSITIVE_INFINITY;
    return { windowEnd: end, hardEnd: end + runOn };
  }
  return { windowEnd: input.durationMs, hardEnd: input.durationMs + runOn };
}

export async function runAnalysis(input: AnalysisInput): Promise<Evidence> {
  const s = await analysisState(input);
  const d = input.definition;
  const interval = d.interval ? parseDuration(d.interval) : 5000;
  if ((d.metrics ?? []).length > 0 && !input.provider) {
    s.last = [
      { verdict: 'inconclusive', summary: input.providerProblem ?? 'no metric provider', evidence: {} },
    ];
    return finish(
      s,
      'inconclusive',
      `analysis ${input.template}: ${input.providerProblem ?? 'no metric provider'}`,
    );
  }
  // A background analysis wakes when its window closes; after that only the release's signal cuts a wait.
  const closing = input.windowEnd && AbortSignal.any([input.signal, input.windowEnd].filter((x) => !!x));
  /** The end-of-window judgements (rank test, quantile rules), made once and kept for an extension. */
  let latency: Judgement[] | undefined;
  for (;;) {
    // A window that ends undecided may run on until maxDuration (when it is longer than the window), or
    // without one while the sequential test can still decide (stillWorthWaiting).
    let { windowEnd, hardEnd } = windowBounds(s);
    const until = s.clock.now() < s.began + windowEnd ? s.began + windowEnd : s.began + hardEnd;
    const wake = closing && s.windowClosedAt === undefined ? closing : input.signal;
    await s.clock.sleep(Math.min(interval, Math.max(0, until - s.clock.now())), wake);
    ({ windowEnd, hardEnd } = windowBounds(s));
    const elapsed = s.clock.now() - s.began;
    const aborted = input.signal?.aborted === true;
    const { round, noAnswer } = await judgeRound(s);
    // `count` measurements taken: the analysis is over, with no run-on (Argo's count).
    const counted = d.count !== undefined && ++s.measurements >= d.count;
    const windowOver = elapsed >= windowEnd || aborted || counted;
    if (windowOver && latency === undefined)
      latency = [judgeLatency(s), ...judgeQuantiles(s)].filter((j): j is Judgement => j !== undefined);
    if (latency) round.push(...latency);
    s.last = round;
    appendPoint(s.trace, tracePoint(elapsed, s.canaryRequests, round, s.windows));
    const decided = decideRound(s, round, noAnswer);
    if (decided) return decided;
    input.onSample?.({ ...finish(s, 'inconclusive', summaries(round)), running: true });
    if (windowOver) {
      const hard = elapsed >= hardEnd || aborted || counted;
      const end = decideAtEnd(s, round, noAnswer, hard, latency ?? [], hardEnd);
      if (end) return end;
    }
  }
}
