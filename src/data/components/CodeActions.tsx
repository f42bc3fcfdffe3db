import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { DataCommands } from '../commands';

/** Props of `CodeActions`. */
export interface ICodeActionsProps {
  code: string;
  commands: CommandRegistry;
  /** Name of the notebook the code would go into, or null when none is open. */
  notebook: string | null;
  /** The provider's query URL, once a preview ran. */
  url: string | null;
  trans: TranslationBundle;
}

/** The `dataops.read(...)` call and the buttons that insert or copy it. */
export function CodeActions(props: ICodeActionsProps): JSX.Element {
  const { code, commands, notebook, url, trans } = props;
  const noNotebook = trans.__(
    'Open a notebook first: the code goes into a new cell below its active cell.'
  );
  const run = (id: string) => () => void commands.execute(id);
  return (
    <div className="jp-DataOps-field jp-DataOps-codeActions">
      <label>{trans.__('Code')}</label>
      <pre
        className="jp-DataOps-codeBlock"
        aria-label={trans.__('Generated code')}
      >
        {code}
      </pre>
      <div className="jp-DataOps-row jp-DataOps-actions">
        <Button
          small
          disabled={notebook === null}
          title={
            notebook === null
              ? noNotebook
              : trans.__('Insert below the active cell of %1', notebook)
          }
          onClick={run(DataCommands.insertCode)}
        >
          {trans.__('Insert code')}
        </Button>
        <Button
          small
          disabled={notebook === null}
          title={
            notebook === null
              ? noNotebook
              : trans.__('Insert into %1 and run it', notebook)
          }
          onClick={run(DataCommands.insertAndRun)}
        >
          {trans.__('Insert and run')}
        </Button>
        <Button small minimal onClick={run(DataCommands.copyCode)}>
          {trans.__('Copy code')}
        </Button>
        <Button
          small
          minimal
          disabled={url === null}
          title={
            url ??
            trans.__(
              'Preview first: the URL is the one the provider was asked.'
            )
          }
          onClick={run(DataCommands.copyUrl)}
        >
          {trans.__('Copy URL')}
        </Button>
      </div>
      <div className="jp-DataOps-hint" role="status">
        {notebook === null
          ? noNotebook
          : trans.__('Target notebook: %1', notebook)}
      </div>
    </div>
  );
}
