import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { createSidePanel } from '../common/sidePanel';
import { IDataOpsStatus } from '../common/tokens';
import { StatusModel } from '../common/statusModel';
import { workflowsIcon } from '../icons';
import { WorkflowsPanelWidget } from './widget';

/** Id of the Workflows side panel (used by the shell, the restorer and the UI tests). */
export const WORKFLOWS_PANEL_ID = 'jp-dataops-workflows';

/** Command ids of the Workflows panel. */
export const WorkflowsCommands = {
  open: 'dataops:open-workflows'
};

/** The Workflows panel in the left sidebar. */
export const workflowsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:workflows',
  description: 'BPMN workflows: the Workflows sidebar panel.',
  autoStart: true,
  requires: [IDataOpsStatus],
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    status: StatusModel,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_dataops');
    const panel = createSidePanel({
      id: WORKFLOWS_PANEL_ID,
      title: trans.__('Workflows'),
      caption: trans.__('BPMN workflows'),
      icon: workflowsIcon,
      content: new WorkflowsPanelWidget(status, trans),
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 610 });
    restorer?.add(panel, WORKFLOWS_PANEL_ID);

    app.commands.addCommand(WorkflowsCommands.open, {
      label: trans.__('DataOps: Open Workflows Panel'),
      icon: workflowsIcon,
      execute: () => app.shell.activateById(WORKFLOWS_PANEL_ID)
    });
    palette?.addItem({
      command: WorkflowsCommands.open,
      category: trans.__('DataOps')
    });
  }
};
