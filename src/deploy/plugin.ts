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
import { deployIcon } from '../icons';
import { DeployPanelWidget } from './widget';

/** Id of the Deploy side panel (used by the shell, the restorer and the UI tests). */
export const DEPLOY_PANEL_ID = 'jp-dataops-deploy';

/** Command ids of the Deploy panel. */
export const DeployCommands = {
  open: 'dataops:open-deploy'
};

/** The Deploy panel in the left sidebar. */
export const deployPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:deploy',
  description: 'Promotion and pipelines: the Deploy sidebar panel.',
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
      id: DEPLOY_PANEL_ID,
      title: trans.__('Deploy'),
      caption: trans.__('Promotion and pipelines'),
      icon: deployIcon,
      content: new DeployPanelWidget(status, trans),
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 620 });
    restorer?.add(panel, DEPLOY_PANEL_ID);

    app.commands.addCommand(DeployCommands.open, {
      label: trans.__('DataOps: Open Deploy Panel'),
      icon: deployIcon,
      execute: () => app.shell.activateById(DEPLOY_PANEL_ID)
    });
    palette?.addItem({
      command: DeployCommands.open,
      category: trans.__('DataOps')
    });
  }
};
