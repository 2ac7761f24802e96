import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Building2,
  CircleCheck,
  CircleStop,
  CircleX,
  Cloud,
  Download,
  FlaskConical,
  GitBranch,
  KeyRound,
  Ship,
  Trash2,
  type LucideIcon,
} from 'lucide-react';
import { useState } from 'react';
import { call, queryKeys, useCoreEvent } from '../bridge-client';
import { Badge, type BadgeTone } from '../components/badge';
import { Button } from '../components/button';
import { ProgressBar } from '../components/progress-bar';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDayTime, plural } from '../format';
import {
  connectorKeys,
  newTaskId,
  useConnectorPulls,
  useConnectorTypes,
  type ConnectorProfileView,
  type ConnectorPullView,
} from './connector-queries';
import { RemoveConnectorDialog } from './remove-connector-dialog';
import { RotateSecretsDialog } from './rotate-secrets-dialog';

const TYPE_ICONS: Record<ConnectorProfileView['type'], LucideIcon> = {
  aws: Cloud,
  entra: Building2,
  github: GitBranch,
  kubernetes: Ship,
};

const OUTCOME_TONES: Record<ConnectorPullView['outcome'], BadgeTone> = {
  ok: 'success',
  failed: 'danger',
  cancelled: 'warning',
};
const OUTCOME_WORDS: Record<ConnectorPullView['outcome'], string> = {
  ok: 'Pulled',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function describePull(pull: ConnectorPullView): string {
  if (pull.outcome === 'ok')
    return `${plural(pull.items, 'identity', 'identities')}, snapshot ${pull.snapshotId}`;
  return pull.message ?? '';
}

/**
 * One connector profile: what it reads, its masked credentials and last pull, a connection test that
 * lists every check, "Pull now" with progress and cancel, and its past pulls.
 */
export function ConnectorCard({
  profile,
  onRemoved,
}: {
  profile: ConnectorProfileView;
  onRemoved: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const Icon = TYPE_ICONS[profile.type];
  const titleId = `connector-${profile.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const [pullTask, setPullTask] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ label: string; done: number } | null>(null);
  const [cancelRequested, setCancelRequested] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [rotating, setRotating] = useState(false);
  const types = useConnectorTypes();

  useCoreEvent('task.progress', (payload) => {
    if (payload.taskId === pullTask) setProgress({ label: payload.label, done: payload.done });
  });

  const test = useMutation({ mutationFn: () => call('connectors.test', { name: profile.name }) });

  const pull = useMutation({
    mutationFn: (taskId: string) => call('connectors.pull', { name: profile.name, taskId }),
    onMutate: (taskId) => {
      setPullTask(taskId);
      setProgress(null);
      setCancelRequested(false);
      setDone(null);
    },
    onSuccess: (summary) =>
      setDone(
        summary.alreadyImported
          ? `The source answered exactly as in snapshot ${summary.snapshotId}: nothing new to add.`
          : `Snapshot ${summary.snapshotId}: ${plural(summary.imported, 'identity', 'identities')} ` +
              `(${formatCount(summary.added)} new, ${formatCount(summary.changed)} changed, ` +
              `${formatCount(summary.notSeen)} no longer listed).`,
      ),
    onSettled: () => {
      setPullTask(null);
      void queryClient.invalidateQueries({ queryKey: connectorKeys.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: queryKeys.snapshots });
    },
  });

  const cancel = () => {
    if (!pullTask) return;
    setCancelRequested(true);
    void call('connectors.cancel', { taskId: pullTask });
  };

  const last = profile.lastPull;
  return (
    <section className="panel connector-card" aria-labelledby={titleId}>
      <header className="connector-card-header">
        <span className="connector-type-icon" aria-hidden="true">
          <Icon />
        </span>
        <div className="connector-card-heading">
          <h2 id={titleId} className="connector-name">
            {profile.name}
          </h2>
          <p className="connector-target">
            <span className="connector-type-label">{profile.typeLabel}</span> · {profile.target}
          </p>
        </div>
        <div className="connector-actions">
          <Button
            variant="quiet"
            icon={Trash2}
            onClick={() => setRemoving(true)}
            disabled={pull.isPending}
            aria-label={`Remove ${profile.name}`}
          >
            Remove
          </Button>
          <Button
            icon={FlaskConical}
            onClick={() => test.mutate()}
            busy={test.isPending}
            busyLabel="Testing…"
            disabled={pull.isPending}
          >
            Test
          </Button>
          <Button
            variant="primary"
            icon={Download}
            onClick={() => pull.mutate(newTaskId('pull'))}
            busy={pull.isPending}
            busyLabel="Pulling…"
          >
            Pull now
          </Button>
        </div>
      </header>

      <dl className="connector-facts">
        <div>
          <dt>Credentials</dt>
          <dd>
            {profile.secrets.length === 0
              ? 'None stored (a named profile on this machine)'
              : profile.secrets.map((s) => (
                  <span key={s.key} className="connector-secret">
                    {s.label} <code>{s.masked}</code>
                  </span>
                ))}
            <Button
              variant="quiet"
              icon={KeyRound}
              className="connector-rotate"
              onClick={() => setRotating(true)}
              disabled={pull.isPending}
              aria-label={`Replace credentials of ${profile.name}`}
            >
              Replace…
            </Button>
          </dd>
        </div>
        <div>
          <dt>Last pull</dt>
          <dd>
            {last ? (
              <>
                <Badge tone={OUTCOME_TONES[last.outcome]}>{OUTCOME_WORDS[last.outcome]}</Badge>{' '}
                {formatDayTime(last.finishedAt)}
                {last.outcome === 'ok' && <> · {plural(last.items, 'identity', 'identities')}</>}
              </>
            ) : (
              'Never pulled'
            )}
          </dd>
        </div>
      </dl>

      {test.isSuccess && (
        <ul className="connector-checks" aria-label={`Connection test of ${profile.name}`}>
          {test.data.map((check, index) => (
            <li key={index} className={check.ok ? 'check-ok' : 'check-failed'}>
              {check.ok ? (
                <CircleCheck role="img" aria-label="Passed" className="check-icon" />
              ) : (
                <CircleX role="img" aria-label="Failed" className="check-icon" />
              )}
              <span>
                <strong>{check.name}</strong> {check.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {test.isError && <ErrorNotice error={test.error} />}

      {pull.isPending && (
        <div className="progress-card">
          <ProgressBar
            label={`Pull of ${profile.name}`}
            percent={null}
            valueText={progress ? `${progress.label}, ${progress.done} items` : 'Starting'}
          />
          <div className="progress-footer">
            <p className="progress-numbers" aria-live="polite">
              {cancelRequested
                ? 'Stopping… nothing will be written.'
                : progress
                  ? `${progress.label} · ${plural(progress.done, 'item', 'items')} so far`
                  : 'Connecting…'}
            </p>
            <Button icon={CircleStop} onClick={cancel} busy={cancelRequested} busyLabel="Cancelling…">
              Cancel pull
            </Button>
          </div>
        </div>
      )}
      {pull.isError && <ErrorNotice error={pull.error} />}
      {done && (
        <p className="connector-done" role="status">
          {done}
        </p>
      )}

      <PastPulls name={profile.name} />
      <RotateSecretsDialog
        profile={profile}
        type={types.data?.find((t) => t.type === profile.type)}
        open={rotating}
        onOpenChange={setRotating}
        onRotated={() => {
          test.reset();
          pull.reset();
          setDone('Credentials replaced. Test the connection to check them.');
        }}
      />
      <RemoveConnectorDialog
        name={profile.name}
        open={removing}
        onOpenChange={setRemoving}
        onRemoved={onRemoved}
      />
    </section>
  );
}

function PastPulls({ name }: { name: string }) {
  const pulls = useConnectorPulls(name);
  if (!pulls.data || pulls.data.length === 0) return null;
  return (
    <details className="connector-pulls">
      <summary>Past pulls ({pulls.data.length})</summary>
      <table className="data-table connector-pulls-table" aria-label={`Past pulls of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Outcome</th>
            <th scope="col">By</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {pulls.data.map((pull) => (
            <tr key={pull.id}>
              <td className="connector-when">{formatDayTime(pull.finishedAt)}</td>
              <td>
                <Badge tone={OUTCOME_TONES[pull.outcome]}>{OUTCOME_WORDS[pull.outcome]}</Badge>
              </td>
              <td>{pull.startedBy}</td>
              <td className="connector-pull-result">{describePull(pull)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
