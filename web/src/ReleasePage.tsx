/** One release, live: its timeline, the traffic now, its analyses with their evidence, the actions a role allows, its audit log. */
import { useEffect, useRef, useState } from 'react';
import { type DesiredState, get, groupsOf, type Me, type Release, type StoredEvent } from './api';
import { EventType } from '../../src/engine/events';
import { Actions } from './Actions';
import { Analyses } from './Analyses';
import { AuditLog } from './AuditLog';
import { StatusBadge } from './StatusBadge';
import { followRelease, type Sample } from './stream';
import { Timeline } from './Timeline';

/** What the release waits for now, from its events: the step that started waiting and has not completed. */
export function waitingFor(events: StoredEvent[]): { step: string; waiting: string } | undefined {
  const completed = new Set(
    events.flatMap((e) => (e.type === EventType.stepCompleted ? [e.payload.step] : [])),
  );
  const ends: string[] = [EventType.gateFailed, EventType.rollbackStarted, EventType.succeeded];
  if (events.some((e) => ends.includes(e.type))) return undefined;
  for (const e of [...events].reverse())
    if (e.type === EventType.stepStarted && e.payload.waiting && !completed.has(e.payload.step))
      return { step: e.payload.step, waiting: e.payload.waiting };
  return undefined;
}

export function ReleasePage({ id, me }: { id: string; me: Me }) {
  const [release, setRelease] = useState<Release | undefined>();
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [sample, setSample] = useState<Sample | undefined>();
  const [traffic, setTraffic] = useState<DesiredState[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [live, setLive] = useState(true);
  const refresh = useRef<() => void>(() => undefined);

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const [view, services] = await Promise.all([
          get<Release>(`/v1/releases/${id}`),
          get<DesiredState[]>('/v1/services'),
        ]);
        setRelease(view);
        setTraffic(services.filter((d) => view.changes.some((c) => c.service === d.service)));
      } catch (error) {
        setProblem((error as Error).message);
      }
    };
    // Events come in bursts: one read of the release after each burst.
    refresh.current = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void load(), 150);
    };
    setEvents([]);
    setSample(undefined);
    setLive(true);
    void load();
    const stop = followRelease(id, {
      onEvent: (e) => {
        setEvents((all) => (all.some((x) => x.seq === e.seq) ? all : [...all, e]));
        refresh.current();
      },
      onSample: setSample,
      onEnd: () => {
        setLive(false);
        refresh.current();
      },
      onProblem: setProblem,
    });
    return () => {
      stop();
      clearTimeout(pending);
    };
  }, [id]);

  if (!release)
    return problem ? <p className="problem">{problem}</p> : <p className="muted">Loading {id}…</p>;
  const waiting = waitingFor(events);
  return (
    <>
      <h1>
        {release.kind} {release.id} <StatusBadge status={release.status} />
        {live && (
          <span className="live" title="updates as the release moves">
            ● live
          </span>
        )}
      </h1>
      <p className="intro">
        {release.changes.map((c) => `${c.service}@${c.version}`).join(', ')} · started by {release.createdBy}
        {release.startedAt ? ` at ${new Date(release.startedAt).toLocaleString()}` : ''}
        {release.finishedAt ? ` · ended ${new Date(release.finishedAt).toLocaleString()}` : ''}
      </p>
      {release.failure && (
        <p className="problem" data-testid="failure">
          {release.failure.step ? `${release.failure.step}: ` : ''}
          {release.failure.reason}
        </p>
      )}
      {problem && <p className="problem">{problem}</p>}
      <Actions release={release} me={me} waiting={waiting} onDone={() => refresh.current()} />
      <section>
        <h2>Traffic now</h2>
        <ul className="traffic" data-testid="traffic">
          {traffic.map((d) => (
            <li key={`${d.cluster}/${d.service}`}>
              <strong>{d.service}</strong> on {d.cluster}:{' '}
              {groupsOf(d)
                .map(
                  (g) =>
                    `${d.groups[g]!.version}${g === 'stable' || g === 'canary' ? '' : ` (${g})`} ${d.weights[g] ?? 0}%`,
                )
                .join(' · ')}
              {(d.matches ?? []).map((m) => ` · ${JSON.stringify(m.headers)} → ${m.group}`).join('')}
            </li>
          ))}
        </ul>
      </section>
      <Timeline release={release} waiting={waiting} />
      <Analyses release={release} sample={sample} />
      <AuditLog events={events} />
    </>
  );
}
