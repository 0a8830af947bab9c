/** Delivery metrics (DORA) over a window: how often each environment and service ships, how fast, how safely. */
import { useState } from 'react';
import type { DoraFigures, DoraReport } from '../../src/dora/dora';
import { readableHours } from '../../src/dora/readable-hours';
import { usePolling } from './usePolling';

const WINDOWS = ['7d', '30d', '90d'] as const;

const hours = (h: number | null) => readableHours(h, { none: '—', minutes: ' min', hours: ' h', days: ' d' });
const band = (b: string | null) =>
  b ? <span className={`band band-${b}`}>{b}</span> : <span className="muted">—</span>;

function Figures({ f }: { f: DoraFigures }) {
  return (
    <>
      <td>{f.deployments}</td>
      <td>
        {f.medianDeploymentDaysPerWeek} days a week, {f.medianDeploymentDaysPerMonth} a month (median){' '}
        {band(f.deploymentFrequency)}
      </td>
      <td>
        {hours(f.leadTimeHours)} {band(f.leadTime)}
      </td>
      <td>
        {f.changeFailureRate === null ? '—' : `${(f.changeFailureRate * 100).toFixed(0)}%`} ({f.failures} of{' '}
        {f.finished}) {band(f.changeFailure)}
      </td>
      <td>
        {hours(f.timeToRestoreHours)} {band(f.timeToRestore)}
        {f.unrestored > 0 && <span className="muted"> · {f.unrestored} not restored</span>}
      </td>
    </>
  );
}

const HEAD = (
  <>
    <th>deployments</th>
    <th>deployment days</th>
    <th>lead time</th>
    <th>change failure rate</th>
    <th>time to restore</th>
  </>
);

export function Delivery() {
  const [since, setSince] = useState<(typeof WINDOWS)[number]>('30d');
  const { data, problem } = usePolling<DoraReport>(`/v1/dora?since=${since}`, 10_000);
  return (
    <>
      <h1>Delivery</h1>
      <p className="muted">The four DORA metrics from the release history, banded as the DORA report does.</p>
      <p data-testid="dora-window">
        Window:{' '}
        {WINDOWS.map((w) => (
          <button key={w} className={w === since ? 'link here' : 'link'} onClick={() => setSince(w)}>
            {w}
          </button>
        ))}
      </p>
      {problem && <p className="problem">{problem}</p>}
      <h2>By environment</h2>
      <table className="list" data-testid="dora-environments">
        <thead>
          <tr>
            <th>environment</th>
            {HEAD}
          </tr>
        </thead>
        <tbody>
          {(data?.byEnvironment ?? []).map((e) => (
            <tr key={e.environment}>
              <td>{e.environment}</td>
              <Figures f={e} />
            </tr>
          ))}
        </tbody>
      </table>
      <h2>By service</h2>
      <table className="list" data-testid="dora-services">
        <thead>
          <tr>
            <th>service</th>
            <th>environment</th>
            {HEAD}
          </tr>
        </thead>
        <tbody>
          {(data?.byService ?? []).map((s) => (
            <tr key={`${s.service}/${s.environment}`}>
              <td>{s.service}</td>
              <td>{s.environment}</td>
              <Figures f={s} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
