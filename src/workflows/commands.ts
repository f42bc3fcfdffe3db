import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, Notification, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IStateDB } from '@jupyterlab/statedb';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, runIcon } from '@jupyterlab/ui-components';

import { asApiError } from '../api/client';
import { DataCommands } from '../data/commands';
import { workflowsIcon } from '../icons';
import {
  fetchDefinitions,
  fetchStartForm,
  IProcessDefinition,
  currentWorkflowEnvironment,
  deniedReason,
  IRun,
  startRun
} from './api';
import { showStartDialog } from './components/StartDialog';
import { statusLabel } from './components/StatusChip';
import { publishFile } from './publish';
import { RunModel } from './runModel';
import { RunsModel } from './runsModel';
import { dataPanelTarget } from './vintage';
import { DefinitionWidget, RunWidget } from './widget';

/** Command ids of the Workflows capability. */
export const WorkflowsCommands = {
  open: 'dataops:open-workflows',
  refresh: 'dataops:workflows-refresh',
  start: 'dataops:workflows-start',
  openRun: 'dataops:workflows-open-run',
  openDefinition: 'dataops:workflows-open-definition',
  publish: 'dataops:workflows-publish'
};

/** The Data panel's state entry, read (never written) to prefill start dialogs. */
export const DATA_STATE_KEY = 'jupyterlab-dataops:data';

/** What the commands work with. */
export interface ICommandContext {
  app: JupyterFrontEnd;
  model: RunsModel;
  runs: WidgetTracker<RunWidget>;
  trans: TranslationBundle;
  state: IStateDB | null;
  browser: IDefaultFileBrowser | null;
  options: { openRunOnStart: boolean };
}

/** Variables the Data panel's current selection gives (source, flow, key, period), if any. */
export async function dataSelection(
  state: IStateDB | null
): Promise<Record<string, string>> {
  const raw = (await state?.fetch(DATA_STATE_KEY).catch(() => null)) as Record<
    string,
    unknown
  > | null;
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') {
    return out;
  }
  for (const [from, to] of [
    ['source', 'source'],
    ['flow', 'flow'],
    ['key', 'key'],
    ['start', 'period']
  ]) {
    if (typeof raw[from] === 'string' && raw[from]) {
      out[to] = raw[from] as string;
    }
  }
  return out;
}

async function findDefinition(
  ctx: ICommandContext,
  key?: string
): Promise<IProcessDefinition | null> {
  const { trans } = ctx;
  const definitions = ctx.model.definitions.length
    ? ctx.model.definitions
    : await fetchDefinitions();
  if (key) {
    const found = definitions.find(d => d.key === key);
    if (!found) {
      throw new Error(
        trans.__('No process with the key %1 is published.', key)
      );
    }
    return found;
  }
  const labels = definitions.map(d => `${d.name || d.key} (${d.key})`);
  const choice = await InputDialog.getItem({
    title: trans.__('Start which process?'),
    items: labels
  });
  return choice.button.accept && choice.value
    ? definitions[labels.indexOf(choice.value)]
    : null;
}

/** Start dialog → start → open the run; failures become an error notification. */
async function start(ctx: ICommandContext, key?: string): Promise<IRun | null> {
  const { trans } = ctx;
  try {
    const definition = await findDefinition(ctx, key);
    if (!definition) {
      return null;
    }
    const [fields, prefill] = await Promise.all([
      fetchStartForm(definition.key),
      dataSelection(ctx.state)
    ]);
    const input = await showStartDialog(definition, fields, prefill, trans);
    if (!input) {
      return null;
    }
    const run = await startRun(
      definition.key,
      input.variables,
      input.businessKey
    );
    ctx.model.track(run);
    Notification.info(
      trans.__('%1 started.', definition.name || definition.key),
      {
        autoClose: 4000,
        actions: [
          { label: trans.__('Open'), callback: () => void openRun(ctx, run.id) }
        ]
      }
    );
    if (ctx.options.openRunOnStart) {
      await openRun(ctx, run.id);
    }
    return run;
  } catch (error) {
    Notification.error(
      trans.__('The run could not be started: %1', asApiError(error).message),
      {
        autoClose: false
      }
    );
    return null;
  }
}

/** Show the run's tab, creating it on first use. */
async function openRun(
  ctx: ICommandContext,
  runId: string
): Promise<RunWidget> {
  const existing = ctx.runs.find(w => w.model.runId === runId);
  if (existing) {
    ctx.app.shell.activateById(existing.id);
    return existing;
  }
  const widget = new RunWidget(
    new RunModel({ runId }),
    ctx.trans,
    vintage =>
      void ctx.app.commands.execute(DataCommands.open, {
        ...dataPanelTarget(vintage)
      })
  );
  await ctx.runs.add(widget);
  ctx.app.shell.add(widget, 'main');
  ctx.app.shell.activateById(widget.id);
  return widget;
}

function selectedBpmn(ctx: ICommandContext): string | null {
  const item = ctx.browser?.selectedItems().next();
  const path = item && !item.done ? item.value.path : null;
  return path && /\.bpmn$/i.test(path) ? path : null;
}

/** Add the Workflows commands. */
export function addCommands(ctx: ICommandContext): void {
  const { app, trans } = ctx;
  app.commands.addCommand(WorkflowsCommands.refresh, {
    label: trans.__('DataOps: Refresh Workflows'),
    icon: refreshIcon,
    execute: () => ctx.model.poll.refresh()
  });
  app.commands.addCommand(WorkflowsCommands.start, {
    label: args =>
      args.key
        ? trans.__('Start %1…', String(args.key))
        : trans.__('DataOps: Start a Workflow…'),
    icon: runIcon,
    execute: args => start(ctx, args.key as string | undefined)
  });
  app.commands.addCommand(WorkflowsCommands.openRun, {
    label: trans.__('Open Workflow Run'),
    icon: workflowsIcon,
    execute: args => openRun(ctx, String(args.runId))
  });
  app.commands.addCommand(WorkflowsCommands.openDefinition, {
    label: trans.__('Show Process Diagram'),
    icon: workflowsIcon,
    execute: async args => {
      const definition = await findDefinition(
        ctx,
        args.key as string | undefined
      );
      if (definition) {
        const widget = new DefinitionWidget(
          definition,
          () => void start(ctx, definition.key),
          trans
        );
        const existing = Array.from(app.shell.widgets('main')).find(
          w => w.id === widget.id
        );
        if (existing) {
          widget.dispose();
          app.shell.activateById(existing.id);
        } else {
          app.shell.add(widget, 'main');
          app.shell.activateById(widget.id);
        }
      }
    }
  });
  app.commands.addCommand(WorkflowsCommands.publish, {
    label: trans.__('Publish to workflow engine'),
    // Under JupyterHub the menu item says why the service refuses a direct publish here.
    caption: () =>
      deniedReason(currentWorkflowEnvironment()?.may.publish) ??
      trans.__(
        'Publish the selected .bpmn file as a new version of its process'
      ),
    icon: workflowsIcon,
    isVisible: args => !!args.path || selectedBpmn(ctx) !== null,
    isEnabled: args =>
      (!!args.path || selectedBpmn(ctx) !== null) &&
      !deniedReason(currentWorkflowEnvironment()?.may.publish),
    execute: async args => {
      const path = (args.path as string | undefined) ?? selectedBpmn(ctx);
      if (path) {
        await publishFile(
          path,
          app.serviceManager.contents,
          trans,
          () => void ctx.model.poll.refresh()
        );
      }
    }
  });
}

/** Announce the end of one of my runs with a button to open it. */
export function announce(ctx: ICommandContext, run: IRun): void {
  const { trans } = ctx;
  const name = run.business_key || run.definition_name || run.definition_key;
  const message = trans.__(
    'Run %1 of %2: %3.',
    name,
    run.definition_key,
    statusLabel(run.status, trans)
  );
  const options = {
    autoClose: run.status === 'completed' ? 8000 : (false as const),
    actions: [
      { label: trans.__('Open'), callback: () => void openRun(ctx, run.id) }
    ]
  };
  if (run.status === 'completed') {
    Notification.success(message, options);
  } else if (run.status === 'incident') {
    Notification.error(message, options);
  } else {
    Notification.warning(message, options);
  }
}
