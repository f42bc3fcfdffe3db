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
 * when `run` is set. Resolves once the cell ran (or once inserted without `run`).
 */
export async function insertCode(
  panel: NotebookPanel,
  code: string,
  run: boolean
): Promise<void> {
  await panel.context.ready;
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) {
    return;
  }
  // Create the cell with its source in one step, so no editor state can lose the code.
  const index = Math.min(notebook.activeCellIndex + 1, model.cells.length);
  model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  if (run) {
    await NotebookActions.run(notebook, panel.sessionContext);
  }
}
