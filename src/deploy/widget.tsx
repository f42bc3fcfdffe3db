import { Dialog, MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { deployIcon } from '../icons';
import { DeployPanel } from './components/DeployPanel';
import { JobView } from './components/JobView';
import { OpenJob } from './components/PipelineRow';
import { PromoteDialogBody } from './components/PromoteDialog';
import { DeployModel } from './deployModel';
import { JobModel } from './jobModel';
import { PromoteModel } from './promoteModel';

/** The React host of the Deploy panel's content. */
export class DeployPanelWidget extends ReactWidget {
  constructor(
    private readonly options: {
      status: StatusModel;
      model: DeployModel;
      trans: TranslationBundle;
      onOpenJob: OpenJob;
      onRun: (env: string, variables: Record<string, string>) => Promise<void>;
      onOpenMetadata?: (command: string, env: string) => void;
      onPublishDashboard?: () => void;
    }
  ) {
    super();
  }

  protected render(): JSX.Element {
    return <DeployPanel {...this.options} />;
  }
}

/** A job's live log in the main area; stops polling when closed. */
export class JobWidget extends MainAreaWidget<ReactWidget> {
  constructor(
    readonly model: JobModel,
    trans: TranslationBundle
  ) {
    super({
      content: ReactWidget.create(<JobView model={model} trans={trans} />)
    });
    const { ref } = model;
    this.id = `jp-dataops-job-${ref.env}-${ref.jobId}`;
    this.addClass('jp-DataOps-jobWidget');
    this.title.label = trans.__('Job %1 · %2', ref.name, ref.env);
    this.title.icon = deployIcon;
    this.title.closable = true;
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}

/** Open the Promote dialog for `model`; resolves when the dialog is closed. */
export async function showPromoteDialog(
  model: PromoteModel,
  trans: TranslationBundle,
  onSubmit: () => void
): Promise<void> {
  // no dialog buttons: Enter in the dialog's inputs would otherwise press the default one
  let dialog: Dialog<unknown> | null = null;
  const body = ReactWidget.create(
    <PromoteDialogBody
      model={model}
      trans={trans}
      onSubmit={onSubmit}
      onClose={() => dialog?.reject()}
    />
  );
  body.addClass('jp-DataOps-promoteBody');
  dialog = new Dialog({
    title: trans.__('Promote %1', model.state.path.split('/').pop() ?? ''),
    body,
    buttons: [],
    hasClose: true
  });
  dialog.addClass('jp-DataOps-promoteDialog');
  void model.load();
  await dialog.launch();
  dialog.dispose();
}
