/**
 * @module The background analyses of one release (Argo Rollouts' `canary.analysis`): each starts at its
 * step and runs beside every later one until its verdict step closes its window before the promotion. One
 * that decides earlier — a failure, or too many unanswered rounds — interrupts the step running then, and
 * the runner takes it as that step's gate.
 */
import type { Evidence } from './events.js';

/** What a step's executor may do with background analyses (steps/step-context.ts lends it). */
export interface BackgroundHost {
  /**
   * Starts the analysis of step `id` (nothing when it runs already); `run` gets its window's end and its
   * stop. A pass before its closing step (one of a step's parallel analyses has its own window; a template
   * may count its measurements) is its verdict, not an interruption.
   */
  start(id: string, run: (windowEnd: AbortSignal, signal: AbortSignal) => Promise<Evidence>): void;
  /** Closes the window of the analysis `id` and waits for its verdict; undefined when it is not running. */
  close(id: string): Promise<Evidence | undefined>;
}

interface Running {
  end: AbortController;
  verdict: Promise<Evidence>;
}

export class BackgroundAnalyses implements BackgroundHost {
  private readonly running = new Map<string, Running>();
  /** Verdicts settled apart from the analysis (an early inconclusive a person chose to continue past). */
  private readonly settled = new Map<string, Evidence>();
  private readonly stopped = new AbortController();
  private interrupt = new AbortController();
  private interruption: { id: string; evidence: Evidence } | undefined;

  /** @param releaseSignal the release's stop and abort: the analyses end with it. */
  constructor(private readonly releaseSignal: AbortSignal) {}

  /** Aborted when a background analysis decided before its verdict step: the step running now stops. */
  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  start(id: string, run: (windowEnd: AbortSignal, signal: AbortSignal) => Promise<Evidence>): void {
    if (this.running.has(id) || this.settled.has(id)) return;
    const end = new AbortController();
    const signal = AbortSignal.any([this.stopped.signal, this.releaseSignal]);
    const verdict = run(end.signal, signal).catch((error: Error): Evidence => ({
      verdict: 'inconclusive',
      summary: `the background analysis stopped: ${error.message}`,
    }));
    this.running.set(id, { end, verdict });
    void verdict.then((evidence) => {
      // Decided before its window closed (and not because the release stopped): the current step yields.
      if (end.signal.aborted || signal.aborted || this.interruption) return;
      // A pass ends nothing: it is the verdict its closing step finds (an analysis with its own window, or
      // one whose template's `count` of measurements was taken).
      if (evidence.verdict === 'pass') return;
      this.interruption = { id, evidence };
      this.interrupt.abort();
    });
  }

  async close(id: string): Promise<Evidence | undefined> {
    const settled = this.settled.get(id);
    if (settled) return settled;
    const running = this.running.get(id);
    if (!running) return undefined;
    running.end.abort();
    return running.verdict;
  }

  /** The analysis that decided early, once; the next steps run with a fresh interrupt signal. */
  takeInterruption(): { id: string; evidence: Evidence } | undefined {
    const taken = this.interruption;
    if (!taken) return undefined;
    this.interruption = undefined;
    this.interrupt = new AbortController();
    this.running.delete(taken.id);
    return taken;
  }

  /** A verdict decided apart from the analysis (a person continued past its inconclusive end). */
  settle(id: string, evidence: Evidence): void {
    this.settled.set(id, evidence);
  }

  /** Whether the analysis of step `id` runs (a resumed release starts it again when not). */
  isRunning(id: string): boolean {
    return this.running.has(id) || this.settled.has(id);
  }

  /** Every analysis ends (a rollback starts, or the release is over). */
  stop(): void {
    this.stopped.abort();
  }
}
