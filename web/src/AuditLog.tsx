/** The release's hash-chained log: who did what, when; each event's hash links it to the one before. */
import type { StoredEvent } from './api';

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
              <td>{[e.payload.step, e.payload.environment, e.payload.reason].filter(Boolean).join(' · ')}</td>
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
