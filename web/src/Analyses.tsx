/** Each analysis of the release with its verdict, its judges' numbers and its evidence over time. */
import type { Evidence, Release } from './api';
import type { Sample } from './stream';
import { chartsFor, TraceChart } from './TraceChart';

function Analysis({ title, evidence, running }: { title: string; evidence: Evidence; running: boolean }) {
  const trace = evidence.trace ?? [];
  return (
    <article className="analysis" data-testid="analysis">
      <h3>
        {title}{' '}
        <span className={`badge ${running ? 'running' : evidence.verdict}`}>
          {running ? 'running' : evidence.verdict}
        </span>
      </h3>
      {!running && <p>{evidence.summary}</p>}
      <ul className="judgements">
        {(evidence.judgements ?? []).map((j, i) => (
          <li key={i} className={j.verdict}>
            {j.verdict}: {j.summary}
          </li>
        ))}
      </ul>
      <div className="charts">
        {trace.length > 0 ? (
          chartsFor(trace).map((c) => <TraceChart key={c.title} trace={trace} chart={c} />)
        ) : (
          <p className="muted">No rounds yet.</p>
        )}
      </div>
    </article>
  );
}

export function Analyses({ release, sample }: { release: Release; sample: Sample | undefined }) {
  const steps = release.steps.filter((s) => s.kind === 'analysis');
  if (steps.length === 0) return null;
  return (
    <section>
      <h2>Analyses</h2>
      {steps.map((s) => {
        const liveOne = !s.evidence && sample?.step === s.id ? sample.evidence : undefined;
        const evidence = s.evidence ?? liveOne;
        return evidence ? (
          <Analysis
            key={s.id}
            title={`${s.cluster ? `${s.cluster}: ` : ''}${s.title}`}
            evidence={evidence}
            running={!!liveOne}
          />
        ) : (
          <p key={s.id} className="muted">
            {s.title}: {s.startedAt ? 'stopped before it decided' : 'not started'}
          </p>
        );
      })}
    </section>
  );
}
