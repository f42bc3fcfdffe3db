import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { Contents } from '@jupyterlab/services';

import { asApiError } from '../api/client';
import { dataIcon, deployIcon, workflowsIcon } from '../icons';
import {
  fetchCatalogue,
  fetchExample,
  fetchTemplate,
  ICatalogue,
  IGuideFile
} from './api';
import { freePath } from './paths';
import { startTour } from './tour';

/** Commands of the Launcher's DataOps section and of File → New. */
export namespace GuideCommands {
  export const tour = 'dataops:tour';
  export const openExample = 'dataops:open-example';
  export const newFromTemplate = 'dataops:new-from-template';
}

/** The Launcher's category for the examples and templates. */
export const LAUNCHER_CATEGORY = 'DataOps';

const PLUGIN_ID = 'jupyterlab-dataops:guide';

/**
 * Examples and templates: a "DataOps" section of the Launcher, File → New entries and palette
 * commands that create the files in the file browser's folder (never over an existing file) and
 * open them.
 */
export const guidePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Example notebooks and templates in the Launcher and File → New.',
  autoStart: true,
  optional: [ILauncher, IMainMenu, ICommandPalette, IDefaultFileBrowser],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    mainMenu: IMainMenu | null,
    palette: ICommandPalette | null,
    browser: IDefaultFileBrowser | null
  ) => {
    let catalogue: ICatalogue = { examples: [], templates: [] };
    const contents = app.serviceManager.contents;
    const titleOf = (kind: 'examples' | 'templates', name: string): string =>
      catalogue[kind].find(entry => entry.name === name)?.title ?? name;

    const create = async (files: IGuideFile[]): Promise<string[]> => {
      const folder = browser?.model.path ?? '';
      const created: string[] = [];
      for (const file of files) {
        const wanted = PathExt.join(folder, file.path);
        await ensureFolder(contents, PathExt.dirname(wanted));
        const path = await freePath(wanted, p => exists(contents, p));
        await contents.save(path, {
          type: file.type,
          format: file.format,
          content: file.content
        });
        created.push(path);
      }
      return created;
    };

    app.commands.addCommand(GuideCommands.tour, {
      label: args =>
        args.isLauncher ? 'Take the DataOps tour' : 'DataOps Tour',
      caption: 'The Data, Workflows and Deploy panels, step by step',
      icon: dataIcon,
      execute: () => {
        startTour(app);
      }
    });
    launcher?.add({
      command: GuideCommands.tour,
      args: { isLauncher: true },
      category: LAUNCHER_CATEGORY,
      rank: -1
    });
    mainMenu?.helpMenu.addGroup([{ command: GuideCommands.tour }], 5);
    palette?.addItem({ command: GuideCommands.tour, category: 'DataOps' });

    app.commands.addCommand(GuideCommands.openExample, {
      label: args => titleOf('examples', String(args.name ?? '')),
      caption: args =>
        catalogue.examples.find(e => e.name === args.name)?.description ?? '',
      icon: dataIcon,
      execute: async args => {
        try {
          const [path] = await create(await fetchExample(String(args.name)));
          await app.commands.execute('docmanager:open', { path });
        } catch (error) {
          await showErrorMessage(
            'Could not open the example',
            asApiError(error).message
          );
        }
      }
    });

    app.commands.addCommand(GuideCommands.newFromTemplate, {
      label: args =>
        args.isLauncher || args.isPalette
          ? titleOf('templates', String(args.name ?? ''))
          : `${titleOf('templates', String(args.name ?? ''))}…`,
      caption: args =>
        catalogue.templates.find(t => t.name === args.name)?.description ?? '',
      icon: args => (args.name === 'process' ? workflowsIcon : deployIcon),
      execute: async args => {
        const name = String(args.name);
        const template = catalogue.templates.find(t => t.name === name);
        let key = '';
        if (template?.needs_key) {
          const answer = await InputDialog.getText({
            title: 'New production process',
            label: 'Process name (lower-case letters, digits and _)',
            placeholder: 'monthly_bop'
          });
          if (!answer.button.accept || !answer.value) {
            return;
          }
          key = answer.value;
        }
        try {
          const created = await create(await fetchTemplate(name, key));
          for (const path of created) {
            await app.commands.execute('docmanager:open', { path });
          }
        } catch (error) {
          await showErrorMessage(
            'Could not create the files',
            asApiError(error).message
          );
        }
      }
    });

    void fetchCatalogue()
      .then(found => {
        catalogue = found;
        found.examples.forEach((example, rank) => {
          launcher?.add({
            command: GuideCommands.openExample,
            args: { name: example.name },
            category: LAUNCHER_CATEGORY,
            rank
          });
          palette?.addItem({
            command: GuideCommands.openExample,
            args: { name: example.name, isPalette: true },
            category: 'DataOps examples'
          });
        });
        found.templates.forEach((template, rank) => {
          launcher?.add({
            command: GuideCommands.newFromTemplate,
            args: { name: template.name, isLauncher: true },
            category: LAUNCHER_CATEGORY,
            rank: found.examples.length + rank
          });
          palette?.addItem({
            command: GuideCommands.newFromTemplate,
            args: { name: template.name, isPalette: true },
            category: 'DataOps'
          });
        });
        mainMenu?.fileMenu.newMenu.addGroup(
          found.templates.map(template => ({
            command: GuideCommands.newFromTemplate,
            args: { name: template.name }
          })),
          40
        );
      })
      .catch(error => {
        console.warn(
          'DataOps: the examples and templates could not be listed',
          asApiError(error).message
        );
      });
  }
};

async function exists(
  contents: Contents.IManager,
  path: string
): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch {
    return false;
  }
}

async function ensureFolder(
  contents: Contents.IManager,
  folder: string
): Promise<void> {
  if (!folder || folder === '.' || (await exists(contents, folder))) {
    return;
  }
  await ensureFolder(contents, PathExt.dirname(folder));
  await contents.save(folder, { type: 'directory' });
}
