import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRun } from '../api';
import { IRunFilter } from '../runsModel';
import { formatTime, StatusChip } from './StatusChip';

/** Props of `RunsList`. */
export interface IRunsListProps {
  runs: IRun[];
  total: number;
  filter: IRunFilter;
  onFilter: (filter: Partial<IRunFilter>) => void;
  onOpen: (run: IRun) => void;
  trans: TranslationBundle;
}

/** Runs, newest first: mine or all, by status; a click opens the run view. */
export function RunsList(props: IRunsListProps): JSX.Element {
  const { trans, filter } = props;
  return (
    <section className="jp-DataOps-wf-section" aria-label={trans.__('Runs')}>
      <h3>{trans.__('Runs')}</h3>
      <div className="jp-DataOps-wf-filters">
        <HTMLSelect
          aria-label={trans.__('Whose runs')}
          value={filter.scope}
          onChange={e =>
            props.onFilter({
              scope: e.currentTarget.value as IRunFilter['scope']
            })
          }
          options={[
            { value: 'mine', label: trans.__('My runs') },
            { value: 'all', label: trans.__('All runs') }
          ]}
        />
        <HTMLSelect
          aria-label={trans.__('Run status')}
          value={filter.status}
          onChange={e =>
            props.onFilter({
              status: e.currentTarget.value as IRunFilter['status']
            })
          }
          options={[
            { value: '', label: trans.__('Any status') },
            { value: 'running', label: trans.__('Running') },
            { value: 'incident', label: trans.__('Failed') },
            { value: 'completed', label: trans.__('Completed') },
            { value: 'cancelled', label: trans.__('Cancelled') }
          ]}
        />
      </div>
      {props.runs.length === 0 && (
        <p className="jp-DataOps-wf-empty">{trans.__('No run matches.')}</p>
      )}
      <ul className="jp-DataOps-wf-list">
        {props.runs.map(run => (
          <li
            key={run.id}
            className="jp-DataOps-wf-run"
            data-run={run.id}
            data-key={run.definition_key}
          >
            <button
              className="jp-DataOps-wf-linkButton"
              onClick={() => props.onOpen(run)}
              title={trans.__('Open run %1', run.id)}
            >
              <span className="jp-DataOps-wf-name">
                {run.business_key || run.definition_name || run.definition_key}
              </span>
              <span className="jp-DataOps-wf-meta">
                {run.definition_key} · {formatTime(run.started_at)}
              </span>
            </button>
            <StatusChip status={run.status} trans={trans} />
          </li>
        ))}
      </ul>
      {props.total > props.runs.length && (
        <p className="jp-DataOps-wf-meta">
          {trans.__(
            'Showing the newest %1 of %2 runs.',
            props.runs.length,
            props.total
          )}
        </p>
      )}
    </section>
  );
}
