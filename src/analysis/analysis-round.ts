/**
 * @module One round of an analysis: the builtin traffic judges (sequential error test, error-rate
 * ceiling) and the PromQL metrics, each with the state that spans rounds (breaches held `for` a while,
 * metrics that answered at least once, whether the sequential test has accepted).
 */
import { judgesTraffic } from '../spec/traffic-rules.js';
import type { Evidence } from '../engine/events.js';
import type { TrafficCursor, TrafficMetrics, TrafficRead, TrafficWindow } from '../engine/ports.js';
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration, parsePercent } from '../spec/units.js';
import { judgeRelative } from './judges/relative.js';
import { judgeSequentialErrors, maxCanarySample } from './judges/sequential.js';
import { DEFAULT_MIN_SAMPLE, sequentialRuleOf } from './sequential-rule.js';
import { judgeErrorCeiling } from './judges/ceiling.js';
import { judgeThreshold } from './judges/threshold.js';
import type { Judgement } from './judges/verdict.js';
import type { TracePoint } from './analysis-trace.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type MetricProvider, type QueryContext, type QueryResult, renderQuery } from './metric-provider.js';
import type { ExperimentGroup, SeparateGroup } from '../targets/target.js';

type Template = NonNullable<Platform['analysis']>[string];
type Metric = NonNullable<Template['metrics']>[number];

export interface AnalysisInput {
  template: string;
  definition: Template;
  cluster: string;
  service: string;
  namespace: string;
  version: string;
  baselineVersion?: string;
  /** The baseline's traffic is a fresh baseline group's (stable's version started with the canary). */
  baselineGroup?: 'baseline';
  /** The judged version's traffic is this group's alone (an experiment's variant). */
  group?: ExperimentGroup;
  durationMs: number;
  /** This analysis's share of the template's α (the release's error budget over its analyses; default 1). */
  alphaShare?: number;
  /** The template's arguments, resolved ({{args.NAME}}). */
  args?: Record<string, string>;
  traffic: TrafficMetrics;
  /** For templates with PromQL metrics; undefined when the template's provider cannot be reached. */
  provider?: MetricProvider;
  providerProblem?: string;
  signal?: AbortSignal;
  /**
   * A background analysis (Argo's `canary.analysis`): the window stays open until this signal aborts (the
   * promotion) instead of ending after `durationMs`, and an early acceptance does not end it — the loop
   * keeps watching for a failure through every later step.
   */
  windowEnd?: AbortSignal;
  onSample?: (evidence: Evidence) => void;
  /** What time it is and how to wait (default the system's; tests pass a ManualClock). */
  clock?: Clock;
}

export interface AnalysisState {
  input: AnalysisInput;
  clock: Clock;
  began: number;
  minSample: number;
  failureLimit: number;
  inconclusiveLimit: number;
  interval: number;
  usesTraffic: boolean;
  fixedWindow: boolean;
  ctx: QueryContext;
  /** The canary's and the baseline's traffic, counted from the start of the analysis. */
  cursors: { canary?: TrafficCursor; baseline?: TrafficCursor };
  /** Their windows at the last round (the end-of-window rules judge these). */
  windows: { canary?: TrafficWindow; baseline?: TrafficWindow };
  failures: number;
  inconclusive: number;
  /** Rounds judged so far (a template's `count` ends the analysis at that many). */
  measurements: number;
  breachSince: Map<string, number>;
  /** Metrics that have answered with a number at least once: a pass must rest on data. */
  answered: Set<string>;
  last: Judgement[];
  canaryRequests: number;
  /** Whether the sequential error test ran, and the summary of its acceptance once it accepted. */
  sequentialUsed: boolean;
  sequentialAccepted?: string;
  /** The most canary requests worth waiting for, at the baseline's error rate so far (a truncated design). */
  maxSample?: number;
  /** When the window ended undecided, and the canary requests by then (the run-on's own traffic rate). */
  runOnFrom?: { at: number; requests: number };
  /** The analysis over time, a point a round (the dashboard's charts). */
  trace: TracePoint[];
  /** A background analysis's window end (ms from the start), once its promotion closed it. */
  windowClosedAt?: number;
}

export async function analysisState(input: AnalysisInput): Promise<AnalysisState> {
  const d = input.definition;
  const usesTraffic = judgesTraffic(d);
  const ref = (version: string, group?: SeparateGroup) => ({
    cluster: input.cluster,
    service: input.service,
    namespace: input.namespace,
    version,
    ...(group ? { group } : {}),
  });
  const [canary, baseline] = usesTraffic
    ? await Promise.all([
        input.traffic.open(ref(input.version, input.group)),
        input.baselineVersion
          ? input.traffic.open(ref(input.baselineVersion, input.baselineGroup))
          : undefined,
      ])
    : [];
  const ctx: QueryContext = {
    service: input.service,
    version: input.version,
    namespace: input.namespace,
    cluster: input.cluster,
    window: `${Math.max(10, Math.round(Math.min(input.durationMs, 300_000) / 1000))}s`,
    ...(input.args ? { args: input.args } : {}),
  };
  const provider = input.provider?.bind?.(ctx) ?? input.provider;
  const clock = input.clock ?? systemClock;
  return {
    input: { ...input, ...(provider ? { provider } : {}) },
    clock,
    began: clock.now(),
    minSample: d.minSample ?? DEFAULT_MIN_SAMPLE,
    failureLimit: d.failureLimit ?? 0,
    inconclusiveLimit: d.inconclusiveLimit ?? 0,
    interval: d.interval ? parseDuration(d.interval) : 5000,
    usesTraffic,
    fixedWindow: d.decision === 'fixed-window',
    ctx,
    cursors: { ...(canary ? { canary } : {}), ...(baseline ? { baseline } : {}) },
    windows: {},
    failures: 0,
    inconclusive: 0,
    measurements: 0,
    breachSince: new Map(),
    answered: new Set(),
    last: [],
    canaryRequests: 0,
    sequentialUsed: false,
    trace: [],
  };
}

const describeResult = (r: QueryResult) =>
  r.kind === 'value'
    ? String(r.value)
    : r.kind === 'error' || r.kind === 'unreachable'
      ? `${r.kind}: ${r.message}`
      : r.kind;

/** Reads one cursor; a source that cannot answer makes the round inconclusive with its reason. */
async function readWindow(
  cursor: TrafficCursor | undefined,
  label: string,
  problems: string[],
  signal?: AbortSignal,
): Promise<TrafficWindow | undefined> {
  if (!cursor) return undefined;
  const read: TrafficRead = await cursor.read(signal);
  if (read.kind === 'window') return read.window;
  problems.push(`${label}: ${read.message}`);
  return undefined;
}

/** The builtin judges on request counts: the sequential error test and the error-rate ceiling. */
async function judgeTraffic(s: AnalysisState, round: Judgement[]): Promise<boolean> {
  const { input } = s;
  const d = input.definition;
  const problems: string[] = [];
  const [canary, baseline] = await Promise.all([
    readWindow(s.cursors.canary, `canary ${input.version}`, problems, input.signal),
    readWindow(
      s.cursors.baseline,
      `${input.baselineGroup ? 'fresh baseline' : 'baseline'} ${input.baselineVersion}`,
      problems,
      input.signal,
    ),
  ]);
  if (problems.length > 0) {
    round.push({ verdict: 'inconclusive', summary: problems.join('; '), evidence: {} });
    return true;
  }
  s.windows = { ...(canary ? { canary } : {}), ...(baseline ? { baseline } : {}) };
  s.canaryRequests = canary?.requests ?? 0;
  if (input.baselineVersion) s.sequentialUsed = true;
  if (baseline && canary) {
    const counts = {
      canaryRequests: canary.requests,
      canaryErrors: canary.errors,
      baselineRequests: baseline.requests,
      baselineErrors: baseline.errors,
    };
    const rule = sequentialRuleOf(d, input.alphaShare);
    const judged = judgeSequentialErrors(counts, rule);
    s.maxSample = maxCanarySample(counts, rule);
    // Wald's test decides once, at its first crossing: later wobbles of the statistic do not undo it.
    if (judged.verdict === 'pass') s.sequentialAccepted ??= judged.summary;
    round.push(judged);
  }
  // The ceiling is a test of its own, valid at every look: no minimum sample needed to fail on evidence.
  if (d.errorRate?.max !== undefined && canary && s.canaryRequests > 0) {
    const alpha = (d.sequential?.alpha ?? 0.01) * (input.alphaShare ?? 1);
    round.push(judgeErrorCeiling(canary.errors, canary.requests, parsePercent(d.errorRate.max), alpha));
  }
  return false;
}

async function judgeMetric(s: AnalysisState, m: Metric): Promise<{ j: Judgement; noAnswer: boolean }> {
  const provider = s.input.provider!;
  const signal = s.input.signal;
  const result = await provider.query(renderQuery(m.query, s.ctx), signal);
  if (result.kind === 'value') s.answered.add(m.name);
  if (m.baseline && m.maxIncrease !== undefined) {
    const base = await provider.query(renderQuery(m.baseline, s.ctx), signal);
    const j = judgeRelative(
      m.name,
      result.kind === 'value' ? result.value : undefined,
      base.kind === 'value' ? base.value : undefined,
      parsePercent(m.maxIncrease),
    );
    if (result.kind === 'value' && base.kind === 'value') return { j, noAnswer: false };
    j.summary = `${m.name}: canary ${describeResult(result)}, baseline ${describeResult(base)}`;
    return { j, noAnswer: true };
  }
  const j = judgeThreshold(
    m.name,
    result.kind === 'value' ? result.value : result.kind === 'nan' ? Number.NaN : undefined,
    { ...(m.max !== undefined ? { max: m.max } : {}), ...(m.min !== undefined ? { min: m.min } : {}) },
  );
  if (result.kind === 'value') return { j, noAnswer: false };
  j.summary = `${m.name}: ${describeResult(result)}`;
  return { j, noAnswer: true };
}

/**
 * A breach must last `for` before it counts, as an alert's `for` does. With history (Prometheus), the
 * whole `for` range must breach, so a restarted controller judges the same; without, it is tracked from
 * the first breach this loop saw.
 */
async function breachHeld(s: AnalysisState, m: Metric, forMs: number): Promise<boolean> {
  const provider = s.input.provider;
  if (provider?.queryRange) {
    const now = s.clock.now() / 1000;
    const step = Math.max(1, s.interval / 1000);
    const range = await provider.queryRange(
      renderQuery(m.query, s.ctx),
      now - forMs / 1000,
      now,
      step,
      s.input.signal,
    );
    return (
      range.kind === 'series' &&
      range.points[0]![0] <= now - forMs / 1000 + step &&
      range.points.every(([, v]) => (m.max !== undefined && v > m.max) || (m.min !== undefined && v < m.min))
    );
  }
  const since = s.breachSince.get(m.name) ?? s.clock.now();
  s.breachSince.set(m.name, since);
  return s.clock.now() - since >= forMs;
}

/** Asks every judge once about the window so far. */
export async function judgeRound(s: AnalysisState): Promise<{ round: Judgement[]; noAnswer: boolean }> {
  const round: Judgement[] = [];
  let noAnswer = false;
  if (s.usesTraffic) noAnswer = await judgeTraffic(s, round);
  for (const m of s.input.definition.metrics ?? []) {
    const judged = await judgeMetric(s, m);
    let j: Judgement = { ...judged.j, evidence: { metric: m.name, ...judged.j.evidence } };
    noAnswer ||= judged.noAnswer;
    if (j.verdict === 'fail' && m.for) {
      if (!(await breachHeld(s, m, parseDuration(m.for))))
        j = { ...j, verdict: 'pass', summary: `${j.summary} (not yet for ${m.for})` };
    } else if (j.verdict !== 'fail') s.breachSince.delete(m.name);
    round.push(j);
  }
  return { round, noAnswer };
}
