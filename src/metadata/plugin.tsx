import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DeployCommands } from '../deploy/plugin';
import { LAUNCHER_CATEGORY } from '../guide/plugin';
import { deployIcon } from '../icons';
import { CodelistEditor } from './components/CodelistEditor';
import { ConfigForm } from './components/ConfigForm';
import { ConstraintsEditor } from './components/ConstraintsEditor';

import { MetadataCommands } from './commands';

export { MetadataCommands };

const EDITORS: {
  command: string;
  label: string;
  caption: string;
  id: string;
  render: (
    onPromote: (path: string) => void,
    environment: string
  ) => JSX.Element;
}[] = [
  {
    command: MetadataCommands.constraints,
    label: 'Constraints Editor',
    caption:
      'Allowed codes of a dataflow per dimension, with the version SDMX versioning calls for',
    id: 'jp-dataops-meta-constraints',
    render: (onPromote, environment) => (
      <ConstraintsEditor onPromote={onPromote} environment={environment} />
    )
  },
  {
    command: MetadataCommands.codelist,
    label: 'Codelist Editor',
    caption: 'Add, rename or remove the codes of a codelist',
    id: 'jp-dataops-meta-codelist',
    render: onPromote => <CodelistEditor onPromote={onPromote} />
  },
  {
    command: MetadataCommands.config,
    label: 'Process Configuration',
    caption: "A process's configuration, as a form from its JSON Schema",
    id: 'jp-dataops-meta-config',
    render: onPromote => <ConfigForm onPromote={onPromote} />
  }
];

/**
 * The metadata editors of the working copy (docs/metadata.md): constraints, codelists and process
 * configurations, each in a main-area tab opened from the command palette or the Launcher's
 * DataOps section ("Metadata" opens the Constraints editor). Saved files are promoted with the
 * Promote dialog.
 */
export const metadataPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dataops:metadata',
  description: 'Editors for constraints, codelists and process configurations.',
  autoStart: true,
  optional: [ICommandPalette, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null
  ) => {
    const onPromote = (path: string) =>
      void app.commands.execute(DeployCommands.promote, { path });
    const open = new Map<string, MainAreaWidget>();
    for (const editor of EDITORS) {
      app.commands.addCommand(editor.command, {
        label: args =>
          args.launcher ? 'Metadata' : `DataOps: ${editor.label}`,
        caption: editor.caption,
        icon: args => (args.launcher ? deployIcon : undefined),
        execute: args => {
          // From the Deploy panel: the editor works against that environment's branch.
          const environment =
            typeof args.environment === 'string' ? args.environment : '';
          let widget = open.get(editor.id);
          if (
            widget &&
            environment &&
            widget.dataset.environment !== environment
          ) {
            widget.dispose();
          }
          if (!widget || widget.isDisposed) {
            const content = ReactWidget.create(
              editor.render(onPromote, environment)
            );
            content.addClass('jp-DataOps-metaHost');
            widget = new MainAreaWidget({ content });
            widget.id = editor.id;
            widget.dataset.environment = environment;
            widget.title.label = environment
              ? `${editor.label} · ${environment}`
              : editor.label;
            widget.title.icon = deployIcon;
            widget.title.closable = true;
            open.set(editor.id, widget);
            app.shell.add(widget, 'main');
          }
          app.shell.activateById(widget.id);
        }
      });
      palette?.addItem({ command: editor.command, category: 'DataOps' });
    }
    launcher?.add({
      command: MetadataCommands.constraints,
      args: { launcher: true },
      category: LAUNCHER_CATEGORY,
      rank: 100
    });
  }
};
