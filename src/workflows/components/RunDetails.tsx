import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IActivity, IIncident, IVariable } from '../api';
import { formatDuration } from '../../common/duration';
import { formatTime } from './StatusChip';

/** The run's activities in start order with their durations. */
export function Timeline(props: {
  activities: IActivity[];
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const longest = Math.max(1, ...props.activities.map(a => a.duration ?? 0));
  return (
    <section
      className="jp-DataOps-wf-section"
      aria-label={trans.__('Activities')}
    >
      <h3>{trans.__('Activities')}</h3>
      {props.activities.length === 0 && (
        <p className="jp-DataOps-wf-empty">{trans.__('No activity yet.')}</p>
      )}
      <ol className="jp-DataOps-wf-timeline">
        {props.activities.map(a => {
          const state = !a.ended_at
            ? 'running'
            : a.cancelled
              ? 'cancelled'
              : 'completed';
          return (
            <li
              key={a.id}
              data-activity={a.activity_id}
              data-state={state}
              title={formatTime(a.started_at)}
            >
              <span className="jp-DataOps-wf-name">
                {a.name || a.activity_id}
              </span>
              <span className="jp-DataOps-wf-bar" aria-hidden="true">
                <span
                  style={{
                    width: `${Math.max(2, ((a.duration ?? 0) / longest) * 100)}%`
                  }}
                />
              </span>
              <span className="jp-DataOps-wf-meta">
                {state === 'running'
                  ? trans.__('running')
                  : state === 'cancelled'
                    ? trans.__('cancelled')
                    : formatDuration(a.duration)}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Incidents with their message; the stack trace and log tail behind "Details". */
export function Incidents(props: {
  incidents: IIncident[];
  onRetry: (incident: IIncident) => void;
  busy: boolean;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { trans } = props;
  const [open, setOpen] = React.useState<Record<string, boolean>>({});
  if (props.incidents.length === 0) {
    return null;
  }
  return (
    <section
      className="jp-DataOps-wf-section"
      aria-label={trans.__('Incidents')}
    >
      <h3>{trans.__('Incidents')}</h3>
      <ul className="jp-DataOps-wf-incidents">
        {props.incidents.map(i => (
          <li key={i.id} data-state={i.state} data-activity={i.activity_id}>
            <div className="jp-DataOps-wf-incidentHead">
              <span className="jp-DataOps-wf-name">{i.activity_id}</span>
              <span className="jp-DataOps-wf-meta">
                {i.state === 'open'
                  ? trans.__('open since %1', formatTime(i.created_at))
                  : trans.__('resolved')}
              </span>
            </div>
            <div className="jp-DataOps-wf-incidentMessage">{i.message}</div>
            <div className="jp-DataOps-wf-actions">
              <Button
                small
                minimal
                aria-expanded={!!open[i.id]}
                onClick={() => setOpen({ ...open, [i.id]: !open[i.id] })}
              >
                {open[i.id] ? trans.__('Hide details') : trans.__('Details')}
              </Button>
              {i.state === 'open' && (
                <Button
                  small
                  disabled={props.busy}
                  onClick={() => props.onRetry(i)}
                >
                  {trans.__('Retry this step')}
                </Button>
              )}
            </div>
            {open[i.id] && (
              <pre className="jp-DataOps-wf-details" tabIndex={0}>
                {i.details ||
                  trans.__('The engine recorded no details for this incident.')}
              </pre>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The run's variables with their engine types. */
export function Variables(props: {
  variables: IVariable[];
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  return (
    <section
      className="jp-DataOps-wf-section"
      aria-label={trans.__('Variables')}
    >
      <h3>{trans.__('Variables')}</h3>
      {props.variables.length === 0 ? (
        <p className="jp-DataOps-wf-empty">{trans.__('No variable.')}</p>
      ) : (
        <table className="jp-DataOps-wf-table">
          <tbody>
            {props.variables.map(v => (
              <tr key={v.name} data-variable={v.name}>
                <th scope="row">{v.name}</th>
                <td title={v.type}>{show(v.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
