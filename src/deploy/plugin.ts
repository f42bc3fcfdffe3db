import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IToolbarWidgetRegistry,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';

import { asApiError } from '../api/client';
import { createSidePanel } from '../common/sidePanel';
import { StatusModel } from '../common/statusModel';
import { IDataOpsStatus } from '../common/tokens';
import { deployIcon } from '../icons';
import { statusText } from './components/PipelineRow';
import {
  addPublishDashboardCommand,
  PUBLISH_DASHBOARD
} from './dashboardCommand';
import { DeployModel } from './deployModel';
import { IJobRef, JobModel } from './jobModel';
import { isPromotable, promote } from './promote';
import { DeployPanelWidget, JobWidget } from './widget';

/** Id of the Deploy side panel (used by the shell, the restorer and the UI tests). */
export const DEPLOY_PANEL_ID = 'jp-dataops-deploy';

/** Command ids of the Deploy capability. */
export const DeployCommands = {
  open: 'dataops:open-deploy',
  promote: 'dataops:promote',
  openJob: 'dataops:open-job'
};

/** The Deploy panel, the Promote command (toolbar, file browser, palette) and job logs. */
export const deployPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:deploy',
  description:
    'Promotion and pipelines: Promote, the Deploy panel and job logs.',
  autoStart: true,
  requires: [IDataOpsStatus],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    IToolbarWidgetRegistry,
    IDefaultFileBrowser,
    IDocumentManager,
    ISettingRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    status: StatusModel,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    fileBrowser: IDefaultFileBrowser | null,
    docManager: IDocumentManager | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_dataops');
    const serverSettings = app.serviceManager.serverSettings;
    const model = new DeployModel(serverSettings);
    let notify = true;
    void settingRegistry?.load(deployPlugin.id).then(settings => {
      const apply = () => {
        notify = settings.get('notifyPipelineEnd').composite as boolean;
      };
      settings.changed.connect(apply);
      apply();
    });

    const jobs = new WidgetTracker<JobWidget>({ namespace: 'dataops-job' });
    const openJob = (ref: IJobRef) => {
      const existing = jobs.find(
        w => w.model.ref.jobId === ref.jobId && w.model.ref.env === ref.env
      );
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const widget = new JobWidget(new JobModel(ref, serverSettings), trans);
      void jobs.add(widget);
      app.shell.add(widget, 'main');
      return widget;
    };

    const panel = createSidePanel({
      id: DEPLOY_PANEL_ID,
      title: trans.__('Deploy'),
      caption: trans.__('Promotion and pipelines'),
      section: trans.__('Environments'),
      icon: deployIcon,
      content: new DeployPanelWidget({
        status,
        model,
        trans,
        onOpenJob: (pipeline, job) =>
          openJob({
            env: pipeline.environment,
            jobId: job.id,
            pipelineId: pipeline.id,
            name: job.name
          }),
        onOpenMetadata: (command, env) =>
          void app.commands.execute(command, { environment: env }),
        onRun: async (env, variables) => {
          const started = model.run(env, variables);
          Notification.promise(
            started.then(p => ({ id: p.id, ref: p.ref })),
            {
              pending: {
                message: trans.__('Starting a pipeline on %1…', env),
                options: { autoClose: false }
              },
              success: {
                message: (result: unknown) => {
                  const p = result as { id: number; ref: string };
                  return trans.__('Pipeline #%1 started on %2.', p.id, p.ref);
                },
                options: { autoClose: 5000 }
              },
              error: {
                message: (e: unknown) =>
                  trans.__(
                    'The pipeline did not start: %1',
                    asApiError(e).message
                  )
              }
            }
          );
          await started;
        },
        onPublishDashboard: () =>
          void app.commands.execute(PUBLISH_DASHBOARD, {})
      }),
      translator: translator ?? undefined
    });
    app.shell.add(panel, 'left', { rank: 620 });
    restorer?.add(panel, DEPLOY_PANEL_ID);

    model.pipelineFinished.connect((_, { env, pipeline }) => {
      if (!notify) {
        return;
      }
      const message = trans.__(
        'Pipeline #%1 on %2 %3.',
        pipeline.id,
        pipeline.ref || env,
        statusText(pipeline.status, trans)
      );
      const actions = [
        {
          label: trans.__('Show'),
          callback: () => app.shell.activateById(DEPLOY_PANEL_ID)
        }
      ];
      if (pipeline.status === 'success') {
        Notification.success(message, { autoClose: 10000, actions });
      } else {
        Notification.error(message, { autoClose: false, actions });
      }
    });

    /** The file the command acts on: its argument, the file browser's selection, or the current document. */
    const target = (args: {
      path?: unknown;
      from?: unknown;
    }): string | null => {
      if (typeof args.path === 'string') {
        return args.path;
      }
      if (args.from === 'filebrowser') {
        const item = fileBrowser?.selectedItems().next();
        return item && !item.done ? item.value.path : null;
      }
      const current = app.shell.currentWidget;
      return current
        ? (docManager?.contextForWidget(current)?.path ?? null)
        : null;
    };

    app.commands.addCommand(DeployCommands.promote, {
      label: args =>
        args.from === 'filebrowser'
          ? trans.__('Promote…')
          : trans.__('DataOps: Promote…'),
      caption: trans.__(
        'Promote this file to a deployment environment (review, secret scan, commit)'
      ),
      icon: args => (args.from === 'filebrowser' ? deployIcon : undefined),
      isVisible: args =>
        args.from !== 'filebrowser' || isPromotable(target(args)),
      isEnabled: args => isPromotable(target(args)),
      execute: async args => {
        const path = target(args);
        if (!isPromotable(path)) {
          return;
        }
        await promote({
          path: path!,
          trans,
          docManager,
          settings: serverSettings,
          onPromoted: promotion => model.promoted(promotion)
        });
      }
    });
    palette?.addItem({
      command: DeployCommands.promote,
      category: trans.__('DataOps')
    });

    toolbarRegistry?.addFactory<NotebookPanel>(
      'Notebook',
      'dataops-promote',
      notebook => {
        const button = new ToolbarButton({
          icon: deployIcon,
          label: trans.__('Promote'),
          tooltip: trans.__(
            'Promote this notebook to a deployment environment'
          ),
          className: 'jp-DataOps-promoteButton',
          onClick: () => {
            void app.commands.execute(DeployCommands.promote, {
              path: notebook.context.path
            });
          }
        });
        button.addClass('jp-DataOps-promoteToolbarItem');
        return button;
      }
    );

    addPublishDashboardCommand(app, {
      trans,
      model,
      docManager,
      palette,
      target
    });

    app.commands.addCommand(DeployCommands.openJob, {
      label: args => trans.__('Job %1', String(args.name ?? args.jobId)),
      execute: args => openJob(args as unknown as IJobRef)
    });
    restorer?.restore(jobs, {
      command: DeployCommands.openJob,
      args: widget => ({ ...widget.model.ref }),
      name: widget => `${widget.model.ref.env}:${widget.model.ref.jobId}`
    });

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
