import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IMergeRequest } from '../api';
import { IStepProps } from './PromoteSteps';
import { ExternalLink } from '../../common/components/ExternalLink';

/** Step 4: where it lands and the commit message. */
export function CommitStep(props: IStepProps): JSX.Element {
  const { model, state, trans } = props;
  const plan = state.plan;
  if (!plan) {
    return <p />;
  }
  return (
    <div className="jp-DataOps-commitStep">
      <p>
        {plan.mode === 'merge_request'
          ? trans.__(
              '%1 is protected: the files are committed to %2 and a merge request into %1 is opened (or updated).',
              plan.branch,
              plan.review_branch
            )
          : trans.__(
              'One commit on %1 with %2 file(s). If the branch moves before you submit, nothing is overwritten: you review again.',
              plan.branch,
              plan.files.length
            )}
      </p>
      <label className="jp-DataOps-field">
        <span>{trans.__('Commit message')}</span>
        <textarea
          className="jp-mod-styled jp-DataOps-message-input"
          rows={5}
          value={state.message}
          onChange={e =>
            model.dispatch({ type: 'set-message', message: e.target.value })
          }
        />
      </label>
    </div>
  );
}

/** The end: the commit or merge request link, and the merge request's state. */
export function DoneStep(props: IStepProps): JSX.Element {
  const { model, state, trans } = props;
  const promotion = state.promotion;
  if (!promotion) {
    return <p />;
  }
  const mr = state.mergeRequest;
  return (
    <div className="jp-DataOps-done" role="status">
      <p>
        {trans.__(
          'Promoted %1 file(s) to %2.',
          promotion.files.length,
          promotion.branch
        )}
      </p>
      <p>
        {trans.__('Commit')}{' '}
        <ExternalLink
          className="jp-DataOps-commitLink"
          url={promotion.commit_url}
        >
          {promotion.commit_sha.slice(0, 8)}
        </ExternalLink>
      </p>
      {mr && (
        <div className="jp-DataOps-mergeRequest">
          <p>
            <ExternalLink url={mr.web_url}>
              {trans.__('Merge request !%1', mr.iid)}
            </ExternalLink>{' '}
            {mr.source_branch} → {mr.target_branch}
          </p>
          <MergeRequestState mr={mr} trans={trans} />
          <Button small onClick={() => void model.refreshMergeRequest()}>
            {trans.__('Refresh state')}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Open, approvals, mergeable, merged: what decides whether the promotion goes live. */
export function MergeRequestState(props: {
  mr: IMergeRequest;
  trans: TranslationBundle;
}): JSX.Element {
  const { mr, trans } = props;
  const stateText = {
    opened: trans.__('open'),
    closed: trans.__('closed'),
    locked: trans.__('locked'),
    merged: trans.__('merged')
  }[mr.state];
  return (
    <ul className="jp-DataOps-mrState">
      <li>
        {trans.__('State:')}{' '}
        <span className="jp-DataOps-badge" data-status={mr.state}>
          {stateText}
        </span>
      </li>
      {mr.approvals && (
        <li>
          {trans.__(
            'Approvals: %1 of %2',
            mr.approvals.approved_by.length,
            mr.approvals.required
          )}
          {mr.approvals.approved_by.length > 0 &&
            ` (${mr.approvals.approved_by.join(', ')})`}
        </li>
      )}
      {mr.state === 'opened' && (
        <li>
          {mr.has_conflicts
            ? trans.__('Has conflicts with %1', mr.target_branch)
            : mr.mergeable
              ? trans.__('Mergeable')
              : trans.__('Not mergeable yet (%1)', mr.merge_status)}
        </li>
      )}
    </ul>
  );
}
