import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { deployIcon } from '../icons';
import { dashboardApp, isDashboardSource } from './dashboards';
import { DeployModel } from './deployModel';
import { promote } from './promote';

/** Id of the "Publish as dashboard" command. */
export const PUBLISH_DASHBOARD = 'dataops:publish-dashboard';

/** How deep a Shiny app's folder is read for its files (www/, data/ and one more level). */
const MAX_DEPTH = 3;

/** Options of `addPublishDashboardCommand`. */
export interface IPublishDashboardOptions {
  trans: TranslationBundle;
  model: DeployModel;
  docManager: IDocumentManager | null;
  palette: ICommandPalette | null;
  /** The file a command acts on (its argument, the file browser's selection or the current document). */
  target: (args: { path?: unknown; from?: unknown }) => string | null;
}

/**
 * "Publish as dashboard": the Promote dialog for a notebook or a Shiny app (its app.R, ui.R or
 * server.R stands for its folder), every file going under dashboards/<name>/ of the environment's
 * repository, where the pipeline's deploy job publishes it.
 */
export function addPublishDashboardCommand(
  app: JupyterFrontEnd,
  options: IPublishDashboardOptions
): void {
  const { trans, model, docManager, target } = options;
  const contents = app.serviceManager.contents;
  app.commands.addCommand(PUBLISH_DASHBOARD, {
    label: args =>
      args.toolbar
        ? trans.__('Dashboard')
        : trans.__('DataOps: Publish as Dashboard…'),
    caption: trans.__(
      'Promote this notebook or Shiny app under dashboards/: the pipeline publishes it to the environment'
    ),
    icon: args => (args.toolbar ? deployIcon : undefined),
    isEnabled: args => isDashboardSource(target(args)),
    execute: async args => {
      const path = target(args);
      const found = path ? dashboardApp(path) : null;
      if (!path || !found) {
        return;
      }
      const files = path.endsWith('.ipynb')
        ? []
        : await folderFiles(contents, found.folder, 1);
      await promote({
        path,
        trans,
        docManager,
        settings: app.serviceManager.serverSettings,
        onPromoted: promotion => model.promoted(promotion),
        dashboard: { app: found, files }
      });
    }
  });
  options.palette?.addItem({
    command: PUBLISH_DASHBOARD,
    category: trans.__('DataOps')
  });
}

/** The files under `folder` (hidden ones left out), `MAX_DEPTH` levels deep. */
async function folderFiles(
  contents: Contents.IManager,
  folder: string,
  depth: number
): Promise<string[]> {
  const listing = await contents.get(folder, { content: true });
  const out: string[] = [];
  for (const item of (listing.content ?? []) as Contents.IModel[]) {
    if (item.name.startsWith('.')) {
      continue;
    }
    if (item.type === 'directory') {
      if (depth < MAX_DEPTH) {
        out.push(...(await folderFiles(contents, item.path, depth + 1)));
      }
    } else {
      out.push(item.path);
    }
  }
  return out;
}
