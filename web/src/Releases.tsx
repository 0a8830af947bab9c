/** The history: every release and rollback, newest first, refreshed while the page is open. */
import type { ReleaseSummary } from './api';
import { StatusBadge } from './StatusBadge';
import { usePolling } from './usePolling';

export function Releases() {
  const { data, problem } = usePolling<ReleaseSummary[]>('/v1/releases?limit=200', 2000);
  return (
    <>
      <h1>Releases</h1>
      {problem && <p className="problem">{problem}</p>}
      <table className="list" data-testid="releases">
        <thead>
          <tr>
            <th>release</th>
            <th>kind</th>
            <th>status</th>
            <th>changes</th>
            <th>by</th>
            <th>created</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`#/releases/${r.id}`}>{r.id}</a>
              </td>
              <td>{r.kind}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{(r.changes ?? []).map((c) => `${c.service}@${c.version}`).join(', ')}</td>
              <td>{r.createdBy}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
