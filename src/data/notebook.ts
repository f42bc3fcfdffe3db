import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';

/** The notebook code goes into, or null when none is open. */
export function targetNotebook(
  tracker: INotebookTracker | null
): NotebookPanel | null {
  return tracker?.currentWidget ?? null;
}

/**
 * Add a code cell holding `code` below the active cell of `panel`, and run it
 * when `run` is set. Resolves once the cell ran (or right away without `run`).
 */
export async function insertCode(
  panel: NotebookPanel,
  code: string,
  run: boolean
): Promise<void> {
  const notebook = panel.content;
  if (notebook.widgets.length === 0 || notebook.activeCellIndex < 0) {
    notebook.activeCellIndex = 0;
  }
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  const cell = notebook.activeCell;
  if (!cell) {
    return;
  }
  cell.model.sharedModel.setSource(code);
  if (run) {
    await NotebookActions.run(notebook, panel.sessionContext);
  }
}
