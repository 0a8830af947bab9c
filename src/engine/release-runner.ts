/**
 * @module The durable executor. It owns a release through a lease, runs each step not yet completed,
 * appends an event after each, and on a failed gate rolls back every touched cluster in reverse order.
 * Killed at any instant, a new runner resumes from the log by re-running the current (idempotent) step.
 */
import { SlipwayError } from '../errors/index.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { Plan, Step } from '../plan/types.js';
import type { Platform } from '../spec/schema/platform.js';
import type { DesiredState, NewEvent, Store } from '../store/store.js';
import type { Snapshot } from '../targets/target.js';
import { applyStep, emptyDesired } from './desired-state.js';
import { type Evidence, EventType } from './events.js';
import { diagnosticsDirOf, writeDiagnostics } from './diagnostics.js';
import { failpoint } from './failpoints.js';
import { LeaseKeeper } from './lease-keeper.js';
import type {
  ImageRegistry,
  MetricProviders,
  NotificationMessage,
  Notifier,
  TargetsByCluster,
  TrafficMetrics,
} from './ports.js';
import { type RollbackHost, runRollback, startRollback } from './rollback-phase.js';
import { gateFails, rollbackIsManual, rollsBackOnInconclusive } from './rollback-policy.js';
import { applyEvents, emptyState, type ReleaseState, TERMINAL } from './state.js';
import { runStep, type StepContext, type StepOutcome, type WaitHost } from './steps/index.js';
import { ReleaseNotifications } from './release-notifications.js';
import { BackgroundAnalyses } from './background-analyses.js';

export interface EngineDeps {
  store: Store;
  spec: Platform;
  targets: TargetsByCluster;
  metrics: TrafficMetrics;
  providers: MetricProviders;
  /** Where `release.preflight.registry` images are looked up. */
  registry?: ImageRegistry;
  notifier: Notifier;
  /** This controller's identity, for the lease. */
  owner: string;
  cwd: string;
  log?: (line: string) => void;
  leaseTtlMs?: number;
  /** Where diagnostics bundles go by default (the state directory's diagnostics/). */
  diagnosticsDir?: string;
  /** How often a release another controller owns is tried again (default 2 s). */
  standbyPollMs?: number;
  /** How often a waiting step looks at the log for approvals, promotions and aborts. */
  pollMs?: number;
  /** What time it is and how to wait (default the system's; tests pass a ManualClock). */
  clock?: Clock;
}

const ENGINE = 'engine';

/** An analysis's latest round while it runs. */
export interface LiveSample {
  step: string;
  at: string;
  evidence: Evidence;
}

export class ReleaseRunner {
  /** Controller shutdown or a lost lease: stop where we are, resume later. */
  private readonly abort = new AbortController();
  /** A person's `slipway abort`: stop the running gate and roll back. */
  private readonly userAbort = new AbortController();
  /** Snapshots taken by the release's backup steps, by `cluster/service`: what its rollback restores. */
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly folded = emptyState();
  /** The sequence number of the last event folded into `folded`. */
  private seen = 0;
  /** The diagnostics bundle being written since the release started going wrong, when the spec asks for one. */
  private diagnosing: Promise<void> | undefined;
  private readonly lease: LeaseKeeper;
  /** The running analysis's latest round (not stored: the dashboard's live chart). */
  private sample: LiveSample | undefined;
  private readonly notifications: ReleaseNotifications;
  /** Analyses that run beside the steps until the promotion (release.analysis beside steps). */
  private readonly background = new BackgroundAnalyses(
    AbortSignal.any([this.abort.signal, this.userAbort.signal]),
  );

  constructor(
    private readonly deps: EngineDeps,
    private readonly releaseId: string,
    private readonly plan: Plan,
  ) {
    this.notifications = new ReleaseNotifications(deps.notifier, releaseId, plan.platform, (e) =>
      this.append(e),
    );
    this.lease = new LeaseKeeper(
      deps.store,
      releaseId,
      deps.owner,
      deps.leaseTtlMs ?? 15_000,
      (why) => {
        this.log(`release ${releaseId}: ${why}; stopped acting on it`);
        this.abort.abort();
      },
      deps.clock,
    );
  }

  /** Runs (or resumes) the release to a terminal state. Returns false if another controller owns it. */
  async run(): Promise<boolean> {
    if (!(await this.lease.acquire())) return false;
    const watch = setInterval(() => {
      void this.state().then(
        (s) => s.abort && this.userAbort.abort(),
        () => undefined,
      );
    }, this.deps.pollMs ?? 250);
    try {
      await this.drive();
      await this.diagnosing;
      return true;
    } finally {
      clearInterval(watch);
      this.background.stop();
      await this.lease.release();
    }
  }

  /** With `diagnostics:` in the spec, a bundle of the moment things went wrong, beside the rollback. */
  private diagnose(): void {
    if (!this.deps.spec.diagnostics || this.diagnosing) return;
    this.diagnosing = writeDiagnostics(this.deps, this.releaseId, diagnosticsDirOf(this.deps)).then(
      async (path) => {
        this.log(`diagnostics of ${this.releaseId}: ${path}`);
        await this.append({ type: EventType.diagnostics, payload: { path }, actor: ENGINE });
      },
      async (error: Error) => {
        this.log(`diagnostics of ${this.releaseId} could not be written: ${error.message}`);
        await this.append({ type: EventType.diagnostics, payload: { error: error.message }, actor: ENGINE });
      },
    );
    this.diagnosing = this.diagnosing.catch(() => undefined);
  }

  private loseLease(why: string): void {
    this.lease.lose(why);
  }

  private get leaseLost(): boolean {
    return this.lease.lost;
  }

  /** Stops at the next safe point (the controller is shutting down); the release resumes later. */
  stop(): void {
    this.abort.abort();
  }

  private async drive(): Promise<void> {
    let state = await this.state();
    if (TERMINAL.has(state.status)) return;
    await this.notify(state, 'release-started', `Release ${this.describe()} started`);
    if (!state.rollback && (await this.runForward()) === 'stopped') return;
    state = await this.state();
    if (state.rollback) {
      await runRollback(this.rollbackHost(), state);
      return;
    }
    if (!TERMINAL.has(state.status)) {
      await this.append({ type: EventType.succeeded, payload: {}, actor: ENGINE }, { status: 'succeeded' });
      this.log(`release ${this.releaseId} succeeded`);
      await this.notify(() => this.state(), 'release-succeeded', `Release ${this.describe()} succeeded`);
    }
  }

  /** The forward phase: each step not yet completed, until a gate fails, a person aborts, or the end. */
  private async runForward(): Promise<'done' | 'rollback' | 'stopped'> {
    for (let i = 0; i < this.plan.steps.length; i++) {
      const step = this.plan.steps[i]!;
      const state = await this.state();
      this.checkStillOwner();
      if (state.abort) {
        await this.notify(
          state,
          'aborted',
          `${this.describe()} was aborted by ${state.abort.by}: ${state.abort.reason}`,
          { by: state.abort.by },
        );
        await this.startRollback(`aborted by ${state.abort.by}: ${state.abort.reason}`);
        return 'rollback';
      }
      if (state.steps.get(step.id)?.completedAt) {
        await this.resumeBackground(step, state);
        continue;
      }
      const evidence = await this.attempt(step, state);
      const early = this.background.takeInterruption();
      if (early) {
        const outcome = await this.onBackgroundDecided(early.id, early.evidence);
        if (outcome) return outcome;
        i--; // the step it interrupted runs again
        continue;
      }
      if (gateFails(this.deps.spec, step, evidence)) return this.onGateFailed(step, evidence!);
    }
    return 'done';
  }

  /** A resumed release starts its background analyses again (a fresh window) until their verdict steps. */
  private async resumeBackground(step: Step, state: ReleaseState): Promise<void> {
    if (step.kind !== 'background-analysis' || this.background.isRunning(step.id)) return;
    const verdict = this.closingStepOf(step.id);
    if (!verdict || state.steps.get(verdict.id)?.completedAt) return;
    this.log(`${step.id} runs again in the background (a fresh window: the release resumed)`);
    await runStep(this.stepContext(step, state), step);
  }

  /** The step that takes the verdict of the background analysis started at step `id`. */
  private closingStepOf(id: string): Step | undefined {
    return this.plan.steps.find((s) => s.kind === 'analysis' && s.endsBackground === id);
  }

  /**
   * A background analysis decided before its verdict step: a failure is that step's failed gate; an
   * inconclusive end goes to the template's policy like any analysis (a person may continue past it).
   * Answers how the forward phase ends, or undefined to go on.
   */
  private async onBackgroundDecided(
    id: string,
    evidence: Evidence,
  ): Promise<'rollback' | 'stopped' | undefined> {
    const step = this.closingStepOf(id)!;
    if (evidence.verdict === 'inconclusive') {
      const settled = await this.onInconclusive(step, evidence);
      if (!settled.stop) {
        this.background.settle(id, settled.evidence!);
        return undefined;
      }
      if (!settled.evidence) return undefined; // a person aborted: the next round rolls back
    }
    return this.onGateFailed(step, evidence);
  }

  /** Runs a step; anything but stopping or losing the lease fails its gate (a release must not hang half way). */
  private async attempt(step: Step, state: ReleaseState): Promise<Evidence | undefined> {
    try {
      return await this.execute(step, state);
    } catch (error) {
      if (
        error instanceof SlipwayError &&
        (error.code === 'ENGINE_STOPPED' || error.code === 'ENGINE_LEASE_LOST')
      )
        throw error;
      return { verdict: 'fail', summary: `${step.title} could not run: ${(error as Error).message}` };
    }
  }

  /** A failed gate: recorded and notified, then a rollback — or a stop, where rollback is manual. */
  private async onGateFailed(step: Step, evidence: Evidence): Promise<'rollback' | 'stopped'> {
    await this.append({
      type: EventType.gateFailed,
      payload: { step: step.id, reason: evidence.summary, evidence },
      actor: ENGINE,
    });
    this.log(`✗ ${step.id} ${evidence.summary}`);
    await this.notify(
      () => this.state(),
      'gate-failed',
      `Gate failed in ${this.describe()}: ${step.title}: ${evidence.summary}`,
      { step: step.id, evidence },
    );
    if (rollbackIsManual(this.deps.spec, step)) {
      this.diagnose();
      await this.append(
        { type: EventType.failed, payload: { reason: `${step.title}: ${evidence.summary}` }, actor: ENGINE },
        { status: 'failed' },
      );
      await this.notify(
        () => this.state(),
        'release-failed',
        `Release ${this.describe()} failed; rollback is manual`,
      );
      return 'stopped';
    }
    await this.startRollback(`${step.title}: ${evidence.summary}`);
    return 'rollback';
  }

  /** Runs one step: started event, effect, completed event (with the desired state it leaves). */
  private async execute(step: Step, state: ReleaseState, rollback = false): Promise<Evidence | undefined> {
    await this.started(step, rollback);
    const outcome = await runStep(this.stepContext(step, state), step);
    failpoint(`${step.id}#effect`);
    if ((this.userAbort.signal.aborted || this.background.signal.aborted) && !rollback) return undefined;
    if (outcome.evidence?.verdict === 'fail') return outcome.evidence;
    if (outcome.evidence?.verdict === 'inconclusive' && step.kind === 'analysis') {
      const settled = await this.onInconclusive(step, outcome.evidence);
      if (settled.stop) return settled.evidence;
      outcome.evidence = settled.evidence;
    }
    await this.completed(step, outcome, rollback);
    return outcome.evidence;
  }

  /** The started event (with what a waiting step waits for, and the release's listed status). */
  private async started(step: Step, rollback: boolean): Promise<void> {
    const waiting =
      step.kind === 'approval'
        ? 'approval'
        : step.kind === 'pause' && step.untilPromoted
          ? 'promotion'
          : undefined;
    const status = rollback
      ? 'rolling-back'
      : waiting === 'approval'
        ? 'waiting-approval'
        : waiting === 'promotion'
          ? 'paused'
          : 'running';
    await this.append(
      {
        type: rollback ? EventType.rollbackStepStarted : EventType.stepStarted,
        payload: { step: step.id, kind: step.kind, title: step.title, ...(waiting ? { waiting } : {}) },
        actor: ENGINE,
      },
      { status },
    );
    failpoint(`${step.id}#started`);
    if (waiting === 'promotion')
      await this.notify(
        () => this.state(),
        'paused',
        `${this.describe()} is paused at ${step.title}: slipway promote ${this.releaseId} continues`,
        { step: step.id },
        `paused/${step.id}`,
      );
  }

  /**
   * An analysis that did not decide: told, then rolled back (stop) or, with onInconclusive: pause, left to a
   * person — `slipway promote` continues (the evidence says who), `slipway abort` rolls back.
   */
  private async onInconclusive(
    step: Step,
    evidence: Evidence,
  ): Promise<{ stop: boolean; evidence?: Evidence }> {
    await this.notify(
      () => this.state(),
      'inconclusive',
      `Analysis inconclusive in ${this.describe()}: ${step.title}: ${evidence.summary}`,
      { step: step.id, evidence },
      `inconclusive/${step.id}`,
    );
    if (rollsBackOnInconclusive(this.deps.spec, step)) return { stop: true, evidence };
    const decided = await this.waitForPerson(step, evidence);
    if (!decided) return { stop: true };
    return {
      stop: false,
      evidence: { ...evidence, summary: `${evidence.summary}; continued by ${decided}` },
    };
  }

  /** The completed event, with the desired state the step leaves, in one append. */
  private async completed(step: Step, outcome: StepOutcome, rollback: boolean): Promise<void> {
    const desired = await this.desiredAfter(step);
    await this.append(
      {
        type: rollback ? EventType.rollbackStepCompleted : EventType.stepCompleted,
        payload: {
          step: step.id,
          ...(outcome.evidence ? { evidence: outcome.evidence } : {}),
          ...(outcome.result ? { result: outcome.result } : {}),
        },
        actor: ENGINE,
      },
      desired ? { desired: [desired] } : {},
    );
    this.log(
      `${rollback ? '↩' : '✓'} ${step.id} ${outcome.evidence ? outcome.evidence.summary : step.title}`,
    );
    if (!rollback)
      await this.notify(
        () => this.state(),
        'step-completed',
        `✓ ${this.describe()}: ${step.title}${outcome.evidence ? `: ${outcome.evidence.summary}` : ''}`,
        { step: step.id },
        `step/${step.id}`,
      );
    failpoint(`${step.id}#completed`);
  }

  /** Waits for a promotion made after this point (returns who made it), or an abort (returns undefined). */
  private async waitForPerson(step: Step, evidence: Evidence): Promise<string | undefined> {
    const since = (await this.deps.store.events(this.releaseId)).at(-1)?.seq ?? 0;
    await this.append(
      {
        type: EventType.stepStarted,
        payload: {
          step: step.id,
          kind: step.kind,
          title: `${step.title}: inconclusive, waiting for a person`,
          waiting: 'promotion',
        },
        actor: ENGINE,
      },
      { status: 'paused' },
    );
    this.log(
      `… ${step.id} inconclusive (${evidence.summary}): slipway promote ${this.releaseId} continues, slipway abort rolls back`,
    );
    for (;;) {
      this.checkStillOwner();
      const later = await this.deps.store.events(this.releaseId, since);
      if (later.some((e) => e.type === EventType.abortRequested)) {
        this.userAbort.abort();
        return undefined;
      }
      const promotion = later.find(
        (e) => e.type === EventType.promoteRequested && e.payload.step === step.id,
      );
      if (promotion) return promotion.actor;
      await this.clock.sleep(this.deps.pollMs ?? 250);
    }
  }

  private get clock(): Clock {
    return this.deps.clock ?? systemClock;
  }

  /** What the rollback phase (rollback-phase.ts) borrows from this runner. */
  private rollbackHost(): RollbackHost {
    return {
      releaseId: this.releaseId,
      plan: this.plan,
      state: () => this.state(),
      append: (event, options) => this.append(event, options),
      execute: (step, state) => this.execute(step, state, true),
      notify: (event, text, details) => this.notify(() => this.state(), event, text, details),
      log: (line) => this.log(line),
      describe: () => this.describe(),
      leaseLost: () => this.leaseLost,
      diagnose: () => this.diagnose(),
      stopBackground: () => this.background.stop(),
    };
  }

  private startRollback(reason: string): Promise<void> {
    return startRollback(this.rollbackHost(), reason);
  }

  private async desiredAfter(step: Step): Promise<DesiredState | undefined> {
    if (!('cluster' in step) || !step.cluster || !step.service) return undefined;
    const current =
      (await this.deps.store.desiredState(step.cluster)).find((d) => d.service === step.service) ??
      emptyDesired(step.cluster, step.service);
    return applyStep(current, step);
  }

  private stepContext(step: Step, before: ReleaseState): StepContext {
    return {
      spec: this.deps.spec,
      store: this.deps.store,
      targets: this.deps.targets,
      metrics: this.deps.metrics,
      providers: this.deps.providers,
      ...(this.deps.registry ? { registry: this.deps.registry } : {}),
      cwd: this.deps.cwd,
      clock: this.clock,
      signal: AbortSignal.any([this.abort.signal, this.userAbort.signal, this.background.signal]),
      background: this.background,
      snapshotOf: (cluster, service) => this.snapshots.get(`${cluster}/${service}`),
      waits: this.waitHost(step, before),
      onSample: (evidence) =>
        (this.sample = { step: step.id, at: new Date(this.clock.now()).toISOString(), evidence }),
    };
  }

  /** The running analysis's latest round, if one is running or has run. */
  liveSample(): LiveSample | undefined {
    return this.sample;
  }

  /** What a waiting step (approval, pause, bake) borrows from the runner. */
  private waitHost(step: Step, before: ReleaseState): WaitHost {
    return {
      releaseId: this.releaseId,
      pollMs: this.deps.pollMs ?? 250,
      startedAt: Date.parse(before.steps.get(step.id)?.startedAt ?? new Date(this.clock.now()).toISOString()),
      state: () => this.state(),
      checkStillOwner: () => this.checkStillOwner(),
      aborted: () => this.userAbort.abort(),
      interrupted: () => this.background.signal.aborted,
      notifyApprovalNeeded: async (environment) =>
        this.notify(
          () => this.state(),
          'approval-needed',
          `Release ${this.describe()} waits for approval in ${environment}`,
          { environment },
          `approval/${environment}`,
        ),
      log: (line) => this.log(line),
    };
  }

  private notify(
    state: ReleaseState | (() => Promise<ReleaseState>),
    event: NotificationMessage['event'],
    text: string,
    details?: Record<string, unknown>,
    suffix?: string,
  ): Promise<void> {
    return this.notifications.send(state, event, text, details, suffix);
  }

  private checkStillOwner(): void {
    if (this.leaseLost)
      throw new SlipwayError('ENGINE_LEASE_LOST', `another controller took release ${this.releaseId}`);
    if (this.abort.signal.aborted) throw new SlipwayError('ENGINE_STOPPED', 'the controller is stopping');
  }

  /**
   * The release's state: the fold of its log, kept here and advanced by the events appended since the
   * last look (a long release must not re-read and re-fold its whole log at every step).
   */
  private async state(): Promise<ReleaseState> {
    const events = await this.deps.store.events(this.releaseId, this.seen);
    applyEvents(this.folded, events);
    this.seen = events.at(-1)?.seq ?? this.seen;
    for (const e of events) {
      if (e.type !== EventType.stepCompleted) continue;
      const snapshots = e.payload.result?.['snapshots'];
      if (!Array.isArray(snapshots)) continue;
      for (const s of snapshots as { cluster: string; service: string; snapshot: Snapshot }[])
        if (!this.snapshots.has(`${s.cluster}/${s.service}`))
          this.snapshots.set(`${s.cluster}/${s.service}`, s.snapshot);
    }
    return this.folded;
  }

  private async append(event: NewEvent, options: Parameters<Store['append']>[2] = {}): Promise<void> {
    if (this.leaseLost) this.checkStillOwner();
    try {
      await this.deps.store.append(this.releaseId, event, {
        ...options,
        ...(this.lease.fence ? { fence: this.lease.fence } : {}),
      });
    } catch (error) {
      if (error instanceof SlipwayError && error.code === 'STORE_FENCED') {
        this.loseLease('its lease moved on');
        this.checkStillOwner();
      }
      throw error;
    }
  }

  private describe(): string {
    return `${this.releaseId} (${this.plan.request.changes.map((c) => `${c.service}@${c.version}`).join(', ')})`;
  }

  private log(line: string): void {
    this.deps.log?.(line);
  }
}
