import { MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, ReactWidget, runIcon } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { workflowsIcon } from '../icons';
import { ErrorMessage } from '../common/components/ErrorMessage';
import { IProcessDefinition } from './api';
import { DefinitionModel } from './definitionModel';
import { BpmnDiagram } from './components/BpmnDiagram';
import { RunView } from './components/RunView';
import { IWorkflowsActions, WorkflowsPanel } from './components/WorkflowsPanel';
import { RunModel } from './runModel';
import { RunsModel } from './runsModel';
import { IRunVintage } from './vintage';

/** The React host of the Workflows panel's content; polls only while shown. */
export class WorkflowsPanelWidget extends ReactWidget {
  constructor(
    private readonly status: StatusModel,
    readonly model: RunsModel,
    private readonly actions: IWorkflowsActions,
    private readonly trans: TranslationBundle
  ) {
    super();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.setVisible(true);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.setVisible(false);
  }

  protected render(): JSX.Element {
    return (
      <WorkflowsPanel
        status={this.status}
        model={this.model}
        actions={this.actions}
        trans={this.trans}
      />
    );
  }
}

/** Main-area tab of one run; closing it closes the run's stream. */
export class RunWidget extends MainAreaWidget<ReactWidget> {
  constructor(
    readonly model: RunModel,
    trans: TranslationBundle,
    openVintage?: (vintage: IRunVintage) => void
  ) {
    super({
      content: ReactWidget.create(
        <RunView model={model} trans={trans} openVintage={openVintage} />
      )
    });
    this.id = `jp-dataops-run-${model.runId}`;
    this.title.label = trans.__('Run %1', model.runId.slice(0, 8));
    this.title.caption = trans.__('Workflow run %1', model.runId);
    this.title.icon = workflowsIcon;
    this.title.closable = true;
    this.addClass('jp-DataOps-wf-runWidget');
    model.changed.connect((_, state) => {
      const run = state.run;
      if (run) {
        this.title.label = `${run.business_key || run.definition_key} · ${run.id.slice(0, 8)}`;
        this.title.className = `jp-DataOps-wf-runTab jp-mod-${run.status}`;
      }
    });
    model.start();
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}

function DefinitionView(props: {
  model: DefinitionModel;
  onStart: () => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const d = model.definition;
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChange = () => setTick(t => t + 1);
    model.changed.connect(onChange);
    void model.load();
    return () => {
      model.changed.disconnect(onChange);
    };
  }, [model]);
  return (
    <div className="jp-DataOps-wf-definitionView" data-key={d.key}>
      <header className="jp-DataOps-wf-runHeader">
        <h2>{d.name || d.key}</h2>
        <span className="jp-DataOps-wf-meta">
          {trans.__('%1 · version %2 · %3', d.key, d.version, d.resource)}
        </span>
        <span className="jp-DataOps-wf-spacer" />
        <Button small onClick={props.onStart}>
          <runIcon.react tag="span" /> {trans.__('Start…')}
        </Button>
      </header>
      {model.error && <ErrorMessage error={model.error} trans={trans} />}
      {model.xml && <BpmnDiagram xml={model.xml} trans={trans} />}
    </div>
  );
}

/** Main-area tab with one definition's diagram and a Start button. */
export class DefinitionWidget extends MainAreaWidget<ReactWidget> {
  constructor(
    definition: IProcessDefinition,
    onStart: () => void,
    trans: TranslationBundle
  ) {
    super({
      content: ReactWidget.create(
        <DefinitionView
          model={new DefinitionModel(definition)}
          onStart={onStart}
          trans={trans}
        />
      )
    });
    this.id = `jp-dataops-definition-${definition.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    this.title.label = trans.__(
      '%1 (v%2)',
      definition.name || definition.key,
      definition.version
    );
    this.title.icon = workflowsIcon;
    this.title.closable = true;
    this.addClass('jp-DataOps-wf-definitionWidget');
  }
}
