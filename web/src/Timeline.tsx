/** The release's steps as environments → clusters → steps, each marked done, running, waiting, failed or to come. */
import type { Release, StepView } from './api';

type Mark = 'done' | 'running' | 'waiting' | 'failed' | 'todo';
const ICON: Record<Mark, string> = { done: '✓', running: '▶', waiting: '…', failed: '✗', todo: '○' };

function markOf(s: StepView, release: Release, waiting: string | undefined): Mark {
  if (release.failure?.step === s.id) return 'failed';
  if (s.completedAt) return 'done';
  if (waiting === s.id) return 'waiting';
  // Started and never completed in a release that is over or undoing itself: stopped there.
  const stopped = ['rolling-back', 'rolled-back', 'failed'].includes(release.status);
  if (s.startedAt || release.current === s.id) return stopped ? 'failed' : 'running';
  return 'todo';
}

function groupBy<T>(items: T[], key: (t: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups];
}

export function Timeline({ release, waiting }: { release: Release; waiting: { step: string } | undefined }) {
  const byEnvironment = groupBy(release.steps, (s) => s.environment ?? 'before anything changes');
  return (
    <section>
      <h2>Timeline</h2>
      <div className="timeline" data-testid="timeline">
        {byEnvironment.map(([environment, steps]) => (
          <div key={environment} className="environment">
            <h3>{environment}</h3>
            {groupBy(steps, (s) => s.cluster ?? '').map(([cluster, inCluster]) => (
              <div key={cluster} className="cluster">
                {cluster && <h4>{cluster}</h4>}
                <ol>
                  {inCluster.map((s) => {
                    const mark = markOf(s, release, waiting?.step);
                    return (
                      <li key={s.id} className={`step ${mark}`} data-step={s.id} data-mark={mark}>
                        <span className="icon">{ICON[mark]}</span> {s.title}
                        {s.evidence && <span className="muted"> — {s.evidence.summary}</span>}
                      </li>
                    );
                  })}
                </ol>
              </div>
            ))}
          </div>
        ))}
      </div>
      {release.rollback && (
        <div className="rollback" data-testid="rollback">
          <h3>Rollback: {release.rollback.reason}</h3>
          <ol>
            {release.rollback.steps.map((s) => (
              <li key={s.id} className={`step ${s.completedAt ? 'done' : 'running'}`}>
                <span className="icon">{s.completedAt ? '✓' : '▶'}</span> {s.id}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
