import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { StatusModel } from '../common/statusModel';
import { IDataOpsStatus } from '../common/tokens';

/** Command ids of the core plugin. */
export const CoreCommands = {
  refreshStatus: 'dataops:refresh-status'
};

/** Provides the shared server-extension status to the three panels. */
export const corePlugin: JupyterFrontEndPlugin<StatusModel> = {
  id: 'jupyterlab-dataops:core',
  description: 'Status of the dataops server extension, shared by the panels.',
  autoStart: true,
  provides: IDataOpsStatus,
  optional: [ICommandPalette, ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ): StatusModel => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_dataops');
    const model = new StatusModel(app.serviceManager.serverSettings);
    app.commands.addCommand(CoreCommands.refreshStatus, {
      label: trans.__('DataOps: Refresh Server Status'),
      execute: () => model.refresh()
    });
    palette?.addItem({
      command: CoreCommands.refreshStatus,
      category: trans.__('DataOps')
    });
    void model.refresh();
    if (settingRegistry) {
      void settingRegistry.load(corePlugin.id).then(settings => {
        const apply = () =>
          model.setRefreshInterval(
            settings.get('statusRefreshInterval').composite as number
          );
        settings.changed.connect(apply);
        apply();
      });
    }
    return model;
  }
};
