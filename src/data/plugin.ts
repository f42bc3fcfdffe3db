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
import { dataIcon } from '../icons';
import { DataPanelWidget } from './widget';

/** Id of the Data side panel (used by the shell, the restorer and the UI tests). */
export const DATA_PANEL_ID = 'jp-dataops-data';

/** Command ids of the Data panel. */
export const DataCommands = {
  open: 'dataops:open-data'
};

/** The Data panel in the left sidebar. */
export const dataPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:data',
  description: 'SDMX data sources: the Data sidebar panel.',
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
      id: DATA_PANEL_ID,
      title: trans.__('Data'),
      caption: trans.__('SDMX data sources'),
      icon: dataIcon,
      content: new DataPanelWidget(status, trans),
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, DATA_PANEL_ID);

    app.commands.addCommand(DataCommands.open, {
      label: trans.__('DataOps: Open Data Panel'),
      icon: dataIcon,
      execute: () => app.shell.activateById(DATA_PANEL_ID)
    });
    palette?.addItem({
      command: DataCommands.open,
      category: trans.__('DataOps')
    });
  }
};
