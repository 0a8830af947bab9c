/** The buttons a person may press on a release: shown when the release can take them, enabled by role. */
import { useState } from 'react';
import { allows, type ApiError, type Me, post, type Release, type Role } from './api';

const TERMINAL = new Set(['succeeded', 'rolled-back', 'failed']);

interface Props {
  release: Release;
  me: Me;
  waiting: { step: string; waiting: string } | undefined;
  onDone: () => void;
}

export function Actions({ release, me, waiting, onDone }: Props) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | undefined>();
  const act = async (
    what: string,
    path: string,
    body: unknown,
    after?: (r: { release?: { id?: string }; id?: string }) => void,
  ) => {
    setBusy(true);
    try {
      const result = await post<{ release?: { id?: string }; id?: string }>(path, body);
      setAnswer({ ok: true, text: `${what}: done` });
      after?.(result);
      onDone();
    } catch (error) {
      const e = error as ApiError;
      setAnswer({ ok: false, text: `${what} refused: ${e.message}${e.hint ? ` (${e.hint})` : ''}` });
    } finally {
      setBusy(false);
    }
  };
  const environment = release.steps.find((s) => s.id === waiting?.step)?.environment;
  const buttons: { label: string; role: Role; run: () => void }[] = [];
  if (waiting?.waiting === 'approval')
    buttons.push({
      label: `Approve ${environment ?? ''}`.trim(),
      role: 'approver',
      run: () =>
        void act('approve', `/v1/releases/${release.id}/approve`, environment ? { environment } : {}),
    });
  if (waiting?.waiting === 'promotion')
    buttons.push({
      label: 'Promote',
      role: 'operator',
      run: () => void act('promote', `/v1/releases/${release.id}/promote`, {}),
    });
  if (!TERMINAL.has(release.status) && release.status !== 'rolling-back')
    buttons.push({
      label: 'Abort and roll back',
      role: 'operator',
      run: () => {
        if (confirm(`Abort ${release.id} and roll back what it changed?`))
          void act('abort', `/v1/releases/${release.id}/abort`, {
            reason: `aborted from the dashboard by ${me.name}`,
          });
      },
    });
  if (release.kind === 'release' && release.status === 'succeeded')
    buttons.push({
      label: 'Roll back this release',
      role: 'operator',
      run: () => {
        if (confirm(`Put back what ran before ${release.id}?`))
          void act('rollback', '/v1/rollback', { request: { release: release.id } }, (r) => {
            const next = r.release?.id ?? r.id;
            if (next) location.hash = `#/releases/${next}`;
          });
      },
    });
  if (buttons.length === 0 && !answer) return null;
  return (
    <section className="actions" data-testid="actions">
      {buttons.map((b) => {
        const allowed = allows(me, b.role);
        return (
          <button
            key={b.label}
            disabled={busy || !allowed}
            title={allowed ? '' : `needs the ${b.role} role; you are ${me.role}`}
            onClick={b.run}
          >
            {b.label}
          </button>
        );
      })}
      {buttons.some((b) => !allows(me, b.role)) && (
        <span className="muted"> some actions need a role you do not have ({me.role})</span>
      )}
      {answer && (
        <p className={answer.ok ? 'ok' : 'problem'} role="status">
          {answer.text}
        </p>
      )}
    </section>
  );
}
