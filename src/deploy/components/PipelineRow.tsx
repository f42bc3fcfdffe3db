import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatDuration } from '../../common/duration';
import { IJob, IPipeline } from '../api';
import { ExternalLink } from '../../common/components/ExternalLink';

/** Called when the user opens a job's log. */
export type OpenJob = (pipeline: IPipeline, job: IJob) => void;

/** A GitLab status as a small coloured badge. */
export function StatusBadge(props: {
  status: string;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span className="jp-DataOps-badge" data-status={props.status}>
      {statusText(props.status, props.trans)}
    </span>
  );
}

/** The words for GitLab's statuses. */
export function statusText(status: string, trans: TranslationBundle): string {
  const words: Record<string, string> = {
    created: trans.__('created'),
    pending: trans.__('pending'),
    running: trans.__('running'),
    success: trans.__('passed'),
    failed: trans.__('failed'),
    canceled: trans.__('canceled'),
    skipped: trans.__('skipped'),
    manual: trans.__('manual'),
    scheduled: trans.__('scheduled')
  };
  return words[status] ?? status;
}

/** One pipeline: status, who started it, how long it took, and its jobs in stage order. */
export function PipelineRow(props: {
  pipeline: IPipeline;
  onOpenJob: OpenJob;
  trans: TranslationBundle;
}): JSX.Element {
  const { pipeline: p, onOpenJob, trans } = props;
  return (
    <li
      className="jp-DataOps-pipeline"
      data-pipeline={p.id}
      data-status={p.status}
    >
      <div className="jp-DataOps-pipelineHead">
        <StatusBadge status={p.status} trans={trans} />
        <ExternalLink url={p.web_url}>#{p.id}</ExternalLink>
        <code title={p.sha}>{p.sha.slice(0, 8)}</code>
        <span className="jp-DataOps-muted">
          {trans.__('by %1', p.user_name || p.user || trans.__('unknown'))}
          {p.source ? ` · ${p.source}` : ''}
          {p.duration !== null ? ` · ${formatDuration(p.duration)}` : ''}
        </span>
      </div>
      <ul className="jp-DataOps-jobs">
        {p.jobs.map(job => (
          <li key={job.id}>
            <button
              className="jp-DataOps-job"
              data-status={job.status}
              data-job={job.name}
              title={trans.__('Open the log of %1', job.name)}
              onClick={() => onOpenJob(p, job)}
            >
              <span className="jp-DataOps-dot" aria-hidden="true" />
              {job.name}
              <span className="jp-DataOps-muted">
                {statusText(job.status, trans)}
                {job.duration !== null
                  ? ` · ${formatDuration(job.duration)}`
                  : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </li>
  );
}
