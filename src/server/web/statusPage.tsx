import type { RepoIndexStatus } from '../../core/indexStatus.js';
import type { JobQueueStatus } from '../../core/jobs.js';
import {
  formatCount,
  formatDuration,
  formatTime,
  indexView,
  type JobViewInput,
  jobProgress,
  jobStateTone,
  jobTitle,
  REASONS,
  syncView,
} from '../../shared/statusView.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import { StateBadge } from './overviewPage.js';

export interface StatusRepo {
  name: string;
  syncStatus: string;
  lastSyncAt: string | null;
  lastSyncDurationMs: number | null;
  headCommit: string | null;
  syncError: string | null;
  index: RepoIndexStatus | null;
}

export interface StatusPageProps {
  assets: Assets;
  repos: StatusRepo[];
  /** The job queue's state; null where this process runs no background jobs. */
  jobs: JobQueueStatus | null;
  /** Whether the caller may start a sync: the Sync buttons are shown only then. */
  canSync: boolean;
}

function Time(props: { iso: string | null }) {
  return props.iso ? <time datetime={props.iso}>{formatTime(props.iso)}</time> : <span>never</span>;
}

function JobLine(props: {
  job: JobViewInput & { queuedAt?: string; startedAt?: string | null; attempts?: number; maxAttempts?: number; worker?: string | null };
}) {
  const { job } = props;
  return (
    <li class="job" data-job={String(job.id)} data-state={job.state}>
      <span class={`badge tone-${jobStateTone(job.state)}`}>{job.state}</span> <strong>{jobTitle(job)}</strong>{' '}
      <span class="muted">
        #{job.id} · {REASONS[job.reason] ?? job.reason}
        {job.state === 'running' && ` · ${jobProgress(job)}`}
        {job.state === 'running' && job.worker && ` · on ${job.worker}`}
        {job.state === 'queued' && job.attempts && job.maxAttempts
          ? ` · retry ${job.attempts} of ${job.maxAttempts - 1} after: ${job.error ?? 'a failure'}`
          : ''}
      </span>
    </li>
  );
}

function Jobs(props: { jobs: JobQueueStatus | null }) {
  const { jobs } = props;
  if (!jobs) {
    return (
      <p class="muted">
        This process runs no background jobs (it was started without a job queue); run <code>gitlore serve</code> to sync from here, or{' '}
        <code>gitlore sync</code>.
      </p>
    );
  }
  const active = [...jobs.runningJobs, ...jobs.queued];
  return (
    <>
      <p class="muted">
        {jobs.backend === 'postgres' && (
          <>
            Jobs are run by <code>gitlore worker</code> processes from the PostgreSQL queue.{' '}
          </>
        )}
        {jobs.stopped
          ? 'The job queue is stopped (the server is shutting down).'
          : jobs.intervalSec > 0
            ? `Every repository is resynced every ${formatDuration(jobs.intervalSec * 1000)}.`
            : 'No periodic resync (serve --no-sync): repositories sync when asked.'}
      </p>
      <h3>Running and queued</h3>
      {active.length === 0 ? (
        <p id="jobs-idle">Nothing is running.</p>
      ) : (
        <ul class="jobs" id="jobs-active">
          {active.map((job) => (
            <JobLine job={job} />
          ))}
        </ul>
      )}
      <h3>Recent jobs</h3>
      {jobs.recent.length === 0 ? (
        <p class="muted">No job has finished since the server started.</p>
      ) : (
        <section class="table-scroll" tabindex={0} aria-label="Recent jobs">
          <table class="status-table">
            <caption class="visually-hidden">Recent jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Result</th>
                <th scope="col">Finished</th>
                <th scope="col" class="num">
                  Took
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.recent.map((job) => (
                <tr data-job={String(job.id)}>
                  <td>
                    {jobTitle(job)}{' '}
                    <span class="muted">
                      #{job.id} · {REASONS[job.reason] ?? job.reason}
                    </span>
                    {job.changed && job.changed.length > 0 && <div class="muted">changed: {job.changed.join(', ')}</div>}
                    {job.error && <div class="state-error">{job.error}</div>}
                  </td>
                  <td>
                    <span class={`badge tone-${jobStateTone(job.state)}`}>{job.state}</span>
                  </td>
                  <td>
                    <Time iso={job.finishedAt} />
                  </td>
                  <td class="num">{formatDuration(job.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function SyncButton(props: { repo?: string }) {
  return (
    // Hidden until the page's script shows it: without the script the button could do nothing.
    <button
      type="button"
      class="sync-button"
      data-sync={props.repo ?? ''}
      aria-label={props.repo ? `Sync ${props.repo}` : undefined}
      hidden
    >
      {props.repo ? 'Sync' : 'Sync all repositories'}
    </button>
  );
}

/** `/status`: per repository sync and index state with errors, the job queue, Sync buttons where allowed. */
export function StatusPage(props: StatusPageProps) {
  const { jobs } = props;
  const active = !!jobs && (jobs.running !== null || jobs.queued.length > 0);
  const failedSyncs = props.repos.filter((r) => r.syncStatus === 'failed' || r.syncError).length;
  const failedIndexes = props.repos.filter((r) => r.index?.status === 'failed' || (r.index?.errors.length ?? 0) > 0).length;
  return (
    <Layout title="Status" section="status" assets={props.assets} script="status">
      <div class="status-head">
        <h1>Status</h1>
        {props.canSync && <SyncButton />}
      </div>
      <p id="status-message" role="status" class="status-message" />
      <div id="status-live" data-active={String(active)} data-can-sync={String(props.canSync)}>
        <p class="status-summary">
          {formatCount(props.repos.length)} repositor{props.repos.length === 1 ? 'y' : 'ies'}
          {failedSyncs > 0 && ` · ${failedSyncs} with sync errors`}
          {failedIndexes > 0 && ` · ${failedIndexes} with index errors`}
          {jobs &&
            ` · ${jobs.runningJobs.length === 0 ? 'no job running' : `${jobs.runningJobs.length} job${jobs.runningJobs.length === 1 ? '' : 's'} running`}, ${jobs.queued.length} queued`}
        </p>
        <section aria-labelledby="repos-heading">
          <h2 id="repos-heading">Repositories</h2>
          {props.repos.length === 0 ? (
            <p class="muted">
              No repositories yet: add sources in the configuration and run <code>gitlore sync</code>.
            </p>
          ) : (
            <section class="table-scroll" tabindex={0} aria-label="Repositories">
              <table class="status-table repos-status">
                <caption class="visually-hidden">Sync and index state per repository</caption>
                <thead>
                  <tr>
                    <th scope="col">Repository</th>
                    <th scope="col">Sync</th>
                    <th scope="col">Last synced</th>
                    <th scope="col">Index</th>
                    <th scope="col">Indexed / HEAD</th>
                    <th scope="col" class="num">
                      Files
                    </th>
                    <th scope="col" class="num">
                      Chunks
                    </th>
                    <th scope="col" class="num">
                      Symbols
                    </th>
                    {props.canSync && (
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {props.repos.map((repo) => {
                    const index = repo.index;
                    const errors = [
                      ...(repo.syncError ? [`Sync: ${repo.syncError}`] : []),
                      ...(index?.errors ?? []).slice(0, 5).map((e) => `Index: ${e}`),
                      ...((index?.errors.length ?? 0) > 5 ? [`Index: and ${(index?.errors.length ?? 0) - 5} more`] : []),
                    ];
                    return (
                      <tr data-repo={repo.name}>
                        <th scope="row">
                          <a href={`/r/${encodeURIComponent(repo.name)}`}>{repo.name}</a>
                          {errors.length > 0 && (
                            <ul class="state-error row-errors">
                              {errors.map((e) => (
                                <li>{e}</li>
                              ))}
                            </ul>
                          )}
                        </th>
                        <td data-col="sync">
                          <StateBadge state={syncView(repo)} />
                        </td>
                        <td data-col="synced">
                          <Time iso={repo.lastSyncAt} />
                          {repo.lastSyncDurationMs !== null && <div class="muted">took {formatDuration(repo.lastSyncDurationMs)}</div>}
                        </td>
                        <td data-col="index">
                          <StateBadge state={indexView(index)} />
                          {index?.indexedAt && (
                            <div class="muted">
                              <Time iso={index.indexedAt} />
                            </div>
                          )}
                        </td>
                        <td>
                          <code>{index?.commit?.slice(0, 7) ?? '—'}</code> / <code>{repo.headCommit?.slice(0, 7) ?? '—'}</code>
                        </td>
                        <td class="num">{index ? formatCount(index.files) : ''}</td>
                        <td class="num">{index ? formatCount(index.chunks) : ''}</td>
                        <td class="num">{index ? formatCount(index.symbols) : ''}</td>
                        {props.canSync && (
                          <td>
                            <SyncButton repo={repo.name} />
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          )}
        </section>
        <section aria-labelledby="jobs-heading">
          <h2 id="jobs-heading">Jobs</h2>
          <Jobs jobs={jobs} />
        </section>
      </div>
    </Layout>
  );
}
