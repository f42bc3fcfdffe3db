import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorMessage } from '../../common/components/ErrorMessage';
import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { StatusModel } from '../../common/statusModel';
import {
  currentWorkflowEnvironment,
  deniedReason,
  IProcessDefinition,
  IRun
} from '../api';
import { RunsModel } from '../runsModel';
import { DefinitionsList } from './DefinitionsList';
import { RunsList } from './RunsList';

/** What the panel asks the plugin to do. */
export interface IWorkflowsActions {
  openDefinition(definition: IProcessDefinition): void;
  start(definition: IProcessDefinition): void;
  openRun(run: IRun): void;
}

/** Props of `WorkflowsPanel`. */
export interface IWorkflowsPanelProps {
  status: StatusModel;
  model: RunsModel;
  actions: IWorkflowsActions;
  trans: TranslationBundle;
}

function Content(props: Omit<IWorkflowsPanelProps, 'status'>): JSX.Element {
  const { model, actions, trans } = props;
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChange = () => setTick(t => t + 1);
    model.changed.connect(onChange);
    return () => {
      model.changed.disconnect(onChange);
    };
  }, [model]);

  return (
    <>
      {model.error && (
        <ErrorMessage
          error={model.error}
          trans={trans}
          hint={trans.__(
            'The list refreshes by itself once the engine answers again.'
          )}
        />
      )}
      {!model.loaded && !model.error && (
        <p className="jp-DataOps-wf-empty">{trans.__('Loading…')}</p>
      )}
      {model.loaded && (
        <>
          <DefinitionsList
            definitions={model.definitions}
            lastRun={model.lastRun}
            onOpen={actions.openDefinition}
            onStart={actions.start}
            startDenied={deniedReason(currentWorkflowEnvironment()?.may.start)}
            trans={trans}
          />
          <RunsList
            runs={model.runs}
            total={model.total}
            filter={model.filter}
            onFilter={f => model.setFilter(f)}
            onOpen={actions.openRun}
            trans={trans}
          />
        </>
      )}
    </>
  );
}

/** Content of the Workflows sidebar panel. */
export function WorkflowsPanel(props: IWorkflowsPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="workflows" trans={trans}>
      {state =>
        state.reply.capabilities.workflows.configured ? (
          <Content model={props.model} actions={props.actions} trans={trans} />
        ) : (
          <p className="jp-DataOps-intro">
            {trans.__(
              'Start production workflows, follow their runs, incidents and live logs, retry or cancel them. ' +
                'Set engine_url in the [workflows] section of the dataops configuration to connect an engine.'
            )}
          </p>
        )
      }
    </CapabilityPanel>
  );
}
