import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorMessage } from '../../common/components/ErrorMessage';
import { IPipeline, IPromotion } from '../api';
import { IEnvHistory, IPromotionRow, promotionRows } from '../history';
import { StatusBadge } from './PipelineRow';
import { ExternalLink } from '../../common/components/ExternalLink';
import { safeLinkUrl } from '../../common/links';

/** Props of `PromotionHistory`. */
export interface IPromotionHistoryProps {
  history: IEnvHistory | undefined;
  /** Promotions made in this browser session. */
  session: IPromotion[];
  /** The environment's polled pipelines (fresher than the history's). */
  pipelines: IPipeline[];
  /** Whether the environment has GitLab pipelines at all. */
  hasPipelines: boolean;
  onRetry: () => void;
  trans: TranslationBundle;
}

/** "Last promotions" of one environment: outcome, commit, pipeline, who and when. */
export function PromotionHistory(props: IPromotionHistoryProps): JSX.Element {
  const { history, session, pipelines, trans } = props;
  if (history?.hidden) {
    return <p className="jp-DataOps-muted">{history.hidden}</p>;
  }
  const rows = promotionRows(session, history?.entries ?? [], pipelines);
  const loading = !history || history.loading;
  return (
    <div className="jp-DataOps-history">
      <h4 className="jp-DataOps-historyHead">{trans.__('Last promotions')}</h4>
      {history?.error && (
        <ErrorMessage
          error={history.error}
          onRetry={props.onRetry}
          trans={trans}
        />
      )}
      {history?.pipelinesError && (
        <p className="jp-DataOps-muted" role="status">
          {history.pipelinesError}
        </p>
      )}
      {history?.torn && (
        <p className="jp-DataOps-muted">
          {trans.__(
            'A promotion is being recorded right now; it will show on the next refresh.'
          )}
        </p>
      )}
      {rows.length === 0 && !history?.error && (
        <p className="jp-DataOps-muted">
          {loading
            ? trans.__('Loading promotions…')
            : trans.__('No promotions yet.')}
        </p>
      )}
      <ul
        className="jp-DataOps-promotions"
        aria-label={trans.__('Last promotions')}
      >
        {rows.map(row => (
          <PromotionItem
            key={row.key}
            row={row}
            hasPipelines={props.hasPipelines}
            trans={trans}
          />
        ))}
      </ul>
    </div>
  );
}

function PromotionItem(props: {
  row: IPromotionRow;
  hasPipelines: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { row, trans } = props;
  const when = row.time ? new Date(row.time) : null;
  return (
    <li
      className="jp-DataOps-promotion"
      data-outcome={row.outcome}
      data-commit={row.commitSha ?? ''}
    >
      <div className="jp-DataOps-promotionHead">
        <span className="jp-DataOps-badge" data-status={row.outcome}>
          {outcomeText(row.outcome, trans)}
        </span>
        {row.commitSha &&
          (safeLinkUrl(row.commitUrl) ? (
            <ExternalLink
              className="jp-DataOps-commit"
              url={row.commitUrl}
              title={trans.__('Open commit %1', row.commitSha)}
            >
              {row.commitSha.slice(0, 8)}
            </ExternalLink>
          ) : (
            <code title={row.commitSha}>{row.commitSha.slice(0, 8)}</code>
          ))}
        {row.outcome === 'landed' && props.hasPipelines && (
          <PipelineLink
            pipeline={row.pipeline}
            justMade={!when || Date.now() - when.getTime() < JUST_MADE_MS}
            trans={trans}
          />
        )}
      </div>
      {row.message && (
        <div className="jp-DataOps-promotionMessage" title={row.path ?? ''}>
          {row.message}
        </div>
      )}
      <div className="jp-DataOps-muted">
        {trans.__('by %1', row.author || trans.__('unknown'))}
        {when && (
          <>
            {' · '}
            <time dateTime={row.time ?? ''} title={Time.format(when)}>
              {Time.formatHuman(when)}
            </time>
          </>
        )}
        {row.path ? ` · ${row.path.split('/').pop()}` : ''}
      </div>
      {row.reason && (
        <div className="jp-DataOps-promotionReason">{row.reason}</div>
      )}
    </li>
  );
}

/** A commit younger than this may still get its pipeline. */
const JUST_MADE_MS = 10 * 60 * 1000;

function PipelineLink(props: {
  pipeline: IPipeline | null;
  justMade: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { pipeline, trans } = props;
  if (!pipeline) {
    return (
      <span className="jp-DataOps-muted">
        {props.justMade ? trans.__('no pipeline yet') : trans.__('no pipeline')}
      </span>
    );
  }
  return (
    <ExternalLink
      className="jp-DataOps-promotionPipeline"
      data={{ pipeline: pipeline.id }}
      url={pipeline.web_url}
      title={trans.__('Pipeline #%1', pipeline.id)}
    >
      <StatusBadge status={pipeline.status} trans={trans} />
      {` #${pipeline.id}`}
    </ExternalLink>
  );
}

/** The words for the audit log's outcomes. */
export function outcomeText(outcome: string, trans: TranslationBundle): string {
  const words: Record<string, string> = {
    landed: trans.__('landed'),
    blocked_by_secrets: trans.__('blocked: secrets'),
    conflict: trans.__('conflict'),
    forbidden: trans.__('forbidden'),
    unauthorized: trans.__('refused credentials'),
    rate_limited: trans.__('rate limited'),
    unreachable: trans.__('unreachable')
  };
  return words[outcome] ?? outcome.replace(/_/g, ' ');
}
