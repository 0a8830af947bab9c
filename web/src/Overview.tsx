/** The first screen: which version of each service runs on which cluster, and what is being released now. */
import { type DesiredState, groupsOf, type ReleaseSummary } from './api';
import { StatusBadge } from './StatusBadge';
import { usePolling } from './usePolling';

const OPEN = new Set(['pending', 'running', 'waiting-approval', 'paused', 'rolling-back']);

function Cell({ d }: { d: DesiredState | undefined }) {
  if (!d) return <td className="muted">—</td>;
  const groups = groupsOf(d);
  return (
    <td>
      {groups.map((g) => (
        <div key={g} className={`group ${g}`}>
          <strong>{d.groups[g]!.version}</strong> <span className="muted">{g}</span>{' '}
          <span className="muted">
            × {d.groups[g]!.replicas}
            {d.weights[g] !== undefined && groups.length > 1 ? ` · ${d.weights[g]}% of traffic` : ''}
          </span>
        </div>
      ))}
    </td>
  );
}

export function Overview() {
  const services = usePolling<DesiredState[]>('/v1/services', 2000);
  const releases = usePolling<ReleaseSummary[]>('/v1/releases?limit=20', 2000);
  const clusters = [...new Set((services.data ?? []).map((d) => d.cluster))].sort();
  const names = [...new Set((services.data ?? []).map((d) => d.service))].sort();
  const open = (releases.data ?? []).filter((r) => OPEN.has(r.status));
  return (
    <>
      <h1>What runs where</h1>
      <p className="intro">
        Each row is a service, each column a cluster; a cell shows the version serving there and, while a
        release moves traffic, the new version's share. Open a release to follow its steps, its analyses and
        their evidence, and to approve, promote, abort or roll it back.
      </p>
      {services.problem && <p className="problem">{services.problem}</p>}
      {names.length === 0 ? (
        <p className="muted">Nothing released yet: `slipway release SERVICE@VERSION` starts the first one.</p>
      ) : (
        <table className="matrix" data-testid="matrix">
          <thead>
            <tr>
              <th>service</th>
              {clusters.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((s) => (
              <tr key={s}>
                <th>{s}</th>
                {clusters.map((c) => (
                  <Cell key={c} d={services.data!.find((d) => d.service === s && d.cluster === c)} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>In progress</h2>
      {open.length === 0 ? (
        <p className="muted">No release is running.</p>
      ) : (
        <ul>
          {open.map((r) => (
            <li key={r.id}>
              <a href={`#/releases/${r.id}`}>{r.id}</a> <StatusBadge status={r.status} />{' '}
              {(r.changes ?? []).map((c) => `${c.service}@${c.version}`).join(', ')}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
