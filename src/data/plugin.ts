import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { createSidePanel } from '../common/sidePanel';
import { StatusModel } from '../common/statusModel';
import { IDataOpsStatus } from '../common/tokens';
import { dataIcon } from '../icons';
import { DataCommands } from './commands';
import { DataModel } from './model';
import { insertCode, targetNotebook } from './notebook';
import { DataPanelWidget } from './widget';

export { DataCommands } from './commands';

/** Id of the Data side panel (used by the shell, the restorer and the UI tests). */
export const DATA_PANEL_ID = 'jp-dataops-data';

/** The Data panel in the left sidebar. */
export const dataPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:data',
  description: 'SDMX data sources: the Data sidebar panel.',
  autoStart: true,
  requires: [IDataOpsStatus],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    ISettingRegistry,
    IStateDB,
    INotebookTracker,
    IRenderMimeRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    status: StatusModel,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    tracker: INotebookTracker | null,
    rendermime: IRenderMimeRegistry | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_dataops');
    const { commands } = app;
    const model = new DataModel({
      settings: app.serviceManager.serverSettings,
      state
    });
    const content = new DataPanelWidget({
      status,
      model,
      commands,
      tracker,
      rendermime,
      trans
    });
    const panel = createSidePanel({
      id: DATA_PANEL_ID,
      title: trans.__('Data'),
      caption: trans.__('SDMX data sources'),
      section: trans.__('Sources and series'),
      icon: dataIcon,
      content,
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, DATA_PANEL_ID);

    const refresh = () => commands.notifyCommandChanged();
    model.changed.connect(refresh);
    tracker?.currentChanged.connect(refresh);

    const previewReady = () => model.preview.state.kind === 'ready';
    const hasNotebook = () =>
      model.code !== null && targetNotebook(tracker) !== null;
    const insert = async (run: boolean) => {
      const notebook = targetNotebook(tracker);
      const code = model.code;
      if (!notebook || !code) {
        return;
      }
      try {
        await insertCode(notebook, code, run);
      } catch (error) {
        Notification.error(
          trans.__('The code could not be inserted: %1', String(error))
        );
      }
    };
    const copy = (text: string | null, what: string) => {
      if (text) {
        Clipboard.copyToSystem(text);
        Notification.success(what, { autoClose: 2000 });
      }
    };

    commands.addCommand(DataCommands.open, {
      label: trans.__('DataOps: Open Data Panel'),
      icon: dataIcon,
      // With `source` and `flow` (a run's vintage link): that flow, its series `key`, at vintage `asOf`.
      execute: async args => {
        app.shell.activateById(DATA_PANEL_ID);
        const text = (value: unknown) =>
          typeof value === 'string' ? value : '';
        if (text(args.source) && text(args.flow)) {
          await model.openAt({
            source: text(args.source),
            flow: text(args.flow),
            key: text(args.key),
            asOf: text(args.asOf)
          });
        }
      }
    });
    commands.addCommand(DataCommands.reloadSources, {
      label: trans.__('DataOps: Reload Data Sources'),
      execute: () => model.loadSources()
    });
    commands.addCommand(DataCommands.preview, {
      label: trans.__('DataOps: Preview the Data Selection'),
      isEnabled: () => model.readCall !== null,
      execute: () => model.runPreview()
    });
    commands.addCommand(DataCommands.cancelPreview, {
      label: trans.__('DataOps: Cancel the Data Preview'),
      isEnabled: () => model.preview.state.kind === 'loading',
      execute: () => model.preview.cancel()
    });
    commands.addCommand(DataCommands.insertCode, {
      label: trans.__('DataOps: Insert Data Code into the Notebook'),
      caption: trans.__(
        'Adds a cell with the dataops.read(...) call below the active cell'
      ),
      isEnabled: hasNotebook,
      execute: () => insert(false)
    });
    commands.addCommand(DataCommands.insertAndRun, {
      label: trans.__('DataOps: Insert and Run Data Code'),
      isEnabled: hasNotebook,
      execute: () => insert(true)
    });
    commands.addCommand(DataCommands.copyCode, {
      label: trans.__('DataOps: Copy Data Code'),
      isEnabled: () => model.code !== null,
      execute: () => copy(model.code, trans.__('Code copied to the clipboard'))
    });
    commands.addCommand(DataCommands.copyUrl, {
      label: trans.__('DataOps: Copy Data Query URL'),
      isEnabled: previewReady,
      execute: () => {
        const preview = model.preview.state;
        copy(
          preview.kind === 'ready' ? preview.preview.info.url : null,
          trans.__('Query URL copied to the clipboard')
        );
      }
    });
    for (const command of Object.values(DataCommands)) {
      palette?.addItem({ command, category: trans.__('DataOps') });
    }

    if (settingRegistry) {
      void settingRegistry.load(dataPlugin.id).then(settings => {
        const apply = () => {
          model.seriesLimit = settings.get('previewSeriesLimit')
            .composite as number;
          content.previewOptions = {
            chart: settings.get('chartRenderer').composite as
              'vega-lite' | 'svg' | 'none',
            chartSeries: settings.get('chartMaxSeries').composite as number
          };
        };
        settings.changed.connect(apply);
        apply();
      });
    }
    void app.restored.then(() => model.restore());
  }
};
