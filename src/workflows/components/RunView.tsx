import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError } from '../../api/client';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { formatDuration } from '../../common/duration';
import { deniedReason, IIncident } from '../api';
import { RunModel } from '../runModel';
import { diagramState, IRunState, isFinal } from '../runState';
import { BpmnDiagram } from './BpmnDiagram';
import { LogView } from './LogView';
import { Incidents, Timeline, Variables } from './RunDetails';
import { formatTime, StatusChip } from './StatusChip';
import { VintageLink } from './VintageLink';
import { IRunVintage, runVintage, vintageRestUrl } from '../vintage';

/** Props of `RunView`. */
export interface IRunViewProps {
  model: RunModel;
  trans: TranslationBundle;
  /** Show a vintage the run wrote in the Data panel (none: the view offers only its REST address). */
  openVintage?: (vintage: IRunVintage) => void;
}

function useRunState(model: RunModel): IRunState {
  const [state, setState] = React.useState(model.state);
  React.useEffect(() => {
    const onChange = (_: RunModel, next: IRunState) => setState(next);
    model.changed.connect(onChange);
    setState(model.state);
    return () => {
      model.changed.disconnect(onChange);
    };
  }, [model]);
  return state;
}

/** One run: header with Retry and Cancel, live diagram, timeline, incidents, variables and log. */
export function RunView(props: IRunViewProps): JSX.Element {
  const { model, trans } = props;
  const state = useRunState(model);
  const run = state.run;
  const [busy, setBusy] = React.useState(false);
  const diagram = React.useMemo(
    () => diagramState(state),
    [state.activities, state.incidents, state.run]
  );
  const openIncidents = state.incidents.filter(i => i.state === 'open');
  const vintage = React.useMemo(
    () => runVintage(state.variables),
    [state.variables]
  );
  // Under JupyterHub the service says what this user may do to the run, and why not.
  const retryDenied = deniedReason(run?.may?.retry);
  const cancelDenied = deniedReason(run?.may?.cancel);

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      Notification.success(await what(), { autoClose: 4000 });
    } catch (error) {
      Notification.error(asApiError(error).message, { autoClose: false });
    } finally {
      setBusy(false);
    }
  };

  const retry = (incident?: IIncident) =>
    act(async () => {
      const n = await model.retry(incident?.id);
      return trans._n('%1 step retried.', '%1 steps retried.', n);
    });

  const cancel = async () => {
    const answer = await showDialog({
      title: trans.__('Cancel this run?'),
      body: trans.__(
        'The run %1 stops now; steps that are running are abandoned and it cannot be resumed.',
        run?.business_key || model.runId
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Keep running') }),
        Dialog.warnButton({ label: trans.__('Cancel run') })
      ]
    });
    if (answer.button.accept) {
      await act(async () => {
        await model.cancel(trans.__('Cancelled from JupyterLab'));
        return trans.__('The run was cancelled.');
      });
    }
  };

  return (
    <div
      className="jp-DataOps-wf-runView"
      data-run={model.runId}
      data-status={run?.status ?? ''}
    >
      <header className="jp-DataOps-wf-runHeader">
        <h2>{run ? run.definition_name || run.definition_key : model.runId}</h2>
        {run && <StatusChip status={run.status} trans={trans} />}
        <span className="jp-DataOps-wf-meta">
          {run?.business_key && (
            <>{trans.__('Business key %1', run.business_key)} · </>
          )}
          {run?.started_at &&
            trans.__('started %1', formatTime(run.started_at))}
          {run?.duration !== null && run?.duration !== undefined && (
            <> · {formatDuration(run.duration)}</>
          )}
        </span>
        <span
          className="jp-DataOps-wf-connection"
          data-state={state.connection}
          role="status"
        >
          {state.connection === 'reconnecting'
            ? trans.__('Connection lost — reconnecting…')
            : state.connection === 'open'
              ? trans.__('Live')
              : state.connection === 'connecting'
                ? trans.__('Connecting…')
                : ''}
        </span>
        {state.connection === 'reconnecting' && (
          <Button small minimal onClick={() => model.reconnect()}>
            {trans.__('Reconnect now')}
          </Button>
        )}
        <span className="jp-DataOps-wf-spacer" />
        <Button
          small
          disabled={busy || openIncidents.length === 0 || !!retryDenied}
          onClick={() => void retry()}
          title={
            retryDenied ?? trans.__('Give the failed steps another attempt')
          }
        >
          {trans.__('Retry')}
        </Button>
        <Button
          small
          disabled={busy || !run || isFinal(run.status) || !!cancelDenied}
          onClick={() => void cancel()}
          title={cancelDenied ?? undefined}
        >
          {trans.__('Cancel run')}
        </Button>
      </header>
      {cancelDenied && run && !isFinal(run.status) && (
        <div className="jp-DataOps-wf-denied" role="note">
          {cancelDenied}
        </div>
      )}
      {state.error && (
        <ErrorMessage
          error={state.error}
          trans={trans}
          hint={trans.__(
            'The view updates by itself once the engine answers again.'
          )}
        />
      )}
      {state.diagramError && (
        <ErrorMessage error={state.diagramError} trans={trans} />
      )}
      {state.diagramXml && (
        <BpmnDiagram xml={state.diagramXml} state={diagram} trans={trans} />
      )}
      <div className="jp-DataOps-wf-runBody">
        <div className="jp-DataOps-wf-runSide">
          <Incidents
            incidents={state.incidents}
            onRetry={i => void retry(i)}
            busy={busy}
            trans={trans}
          />
          <Timeline activities={state.activities} trans={trans} />
          {vintage && (
            <VintageLink
              vintage={vintage}
              restUrl={vintageRestUrl(
                ServerConnection.makeSettings().baseUrl,
                vintage
              )}
              onOpen={props.openVintage ?? null}
              trans={trans}
            />
          )}
          <Variables variables={state.variables} trans={trans} />
        </div>
        <LogView
          log={model.log}
          fileName={`run-${model.runId}.log`}
          trans={trans}
        />
      </div>
    </div>
  );
}
