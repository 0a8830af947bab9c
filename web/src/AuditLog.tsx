/** The release's hash-chained log: who did what, when; each event's hash links it to the one before. */
import type { StoredEvent } from './api';

/** What the event is about: its step, environment or reason, whichever its type carries. */
function detail(e: StoredEvent): string {
  const p = e.payload as Partial<Record<'step' | 'environment' | 'reason', string>>;
  return [p.step, p.environment, p.reason].filter(Boolean).join(' · ');
}

export function AuditLog({ events }: { events: StoredEvent[] }) {
  return (
    <section>
      <h2>Audit log</h2>
      <table className="list" data-testid="audit">
        <thead>
          <tr>
            <th>#</th>
            <th>time</th>
            <th>event</th>
            <th>by</th>
            <th>detail</th>
            <th>hash</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{new Date(e.time).toLocaleTimeString()}</td>
              <td>{e.type}</td>
              <td>{e.actor}</td>
              <td>{detail(e)}</td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
