import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { createSidePanel } from '../common/sidePanel';
import { IDataOpsStatus } from '../common/tokens';
import { StatusModel } from '../common/statusModel';
import { workflowsIcon } from '../icons';
import {
  fetchDefinitions,
  fetchEnvironments,
  fetchRuns,
  setWorkflowEnvironment
} from './api';
import {
  addCommands,
  announce,
  ICommandContext,
  WorkflowsCommands
} from './commands';
import { RunsModel } from './runsModel';
import { RunWidget, WorkflowsPanelWidget } from './widget';

export { WorkflowsCommands } from './commands';

/** Id of the Workflows side panel (used by the shell, the restorer and the UI tests). */
export const WORKFLOWS_PANEL_ID = 'jp-dataops-workflows';

const PLUGIN_ID = 'jupyterlab-dataops:workflows';

/** The Workflows panel in the left sidebar, run views in the main area, BPMN publishing. */
export const workflowsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'BPMN workflows: the Workflows sidebar panel, run views and publishing.',
  autoStart: true,
  requires: [IDataOpsStatus],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    ISettingRegistry,
    IStateDB,
    IDefaultFileBrowser
  ],
  activate: (
    app: JupyterFrontEnd,
    status: StatusModel,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    browser: IDefaultFileBrowser | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_dataops');
    const model = new RunsModel({
      definitions: () => fetchDefinitions(),
      runs: query => fetchRuns(query)
    });
    const runs = new WidgetTracker<RunWidget>({
      namespace: 'dataops-workflow-run'
    });
    const options = { openRunOnStart: true, notifyRunEnd: true };
    const ctx: ICommandContext = {
      app,
      model,
      runs,
      trans,
      state,
      browser,
      options
    };

    const content = new WorkflowsPanelWidget(
      status,
      model,
      {
        openDefinition: d =>
          void app.commands.execute(WorkflowsCommands.openDefinition, {
            key: d.key
          }),
        start: d =>
          void app.commands.execute(WorkflowsCommands.start, { key: d.key }),
        openRun: r =>
          void app.commands.execute(WorkflowsCommands.openRun, { runId: r.id })
      },
      trans
    );
    const panel = createSidePanel({
      id: WORKFLOWS_PANEL_ID,
      title: trans.__('Workflows'),
      caption: trans.__('BPMN workflows'),
      section: trans.__('Processes and runs'),
      icon: workflowsIcon,
      content,
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 610 });
    restorer?.add(panel, WORKFLOWS_PANEL_ID);

    // Poll only once the server says an engine is configured.
    const startWhenConfigured = () => {
      const s = status.state;
      if (s.kind === 'ready' && s.reply.capabilities.workflows.configured) {
        status.changed.disconnect(startWhenConfigured);
        // Under JupyterHub the panel works in the service's first environment (with the user's
        // rights there); standalone mode lists none.
        void fetchEnvironments()
          .then(envs => setWorkflowEnvironment(envs[0] ?? null))
          .catch(() => setWorkflowEnvironment(null))
          .finally(() => model.start());
      }
    };
    status.changed.connect(startWhenConfigured);
    startWhenConfigured();
    model.finished.connect(
      (_, run) => options.notifyRunEnd && announce(ctx, run)
    );

    app.commands.addCommand(WorkflowsCommands.open, {
      label: trans.__('DataOps: Open Workflows Panel'),
      icon: workflowsIcon,
      execute: () => app.shell.activateById(WORKFLOWS_PANEL_ID)
    });
    addCommands(ctx);
    for (const command of [
      WorkflowsCommands.open,
      WorkflowsCommands.start,
      WorkflowsCommands.refresh,
      WorkflowsCommands.publish
    ]) {
      palette?.addItem({ command, category: trans.__('DataOps') });
    }
    restorer?.restore(runs, {
      command: WorkflowsCommands.openRun,
      args: w => ({ runId: w.model.runId }),
      name: w => w.model.runId
    });

    settingRegistry
      ?.load(PLUGIN_ID)
      .then(settings => {
        const apply = () => {
          const seconds = settings.get('refreshInterval').composite as number;
          model.setFrequency({
            interval: seconds * 1000,
            max: seconds * 10000
          });
          options.notifyRunEnd = settings.get('notifyRunEnd')
            .composite as boolean;
          options.openRunOnStart = settings.get('openRunOnStart')
            .composite as boolean;
        };
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason =>
        console.warn(
          'jupyterlab-dataops: workflows settings not loaded',
          reason
        )
      );
  }
};
