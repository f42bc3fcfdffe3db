import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICellChange, IPlannedFile } from '../api';

/** Unified diff lines, coloured by what they do. */
export function DiffLines(props: { lines: string[] }): JSX.Element {
  return (
    <pre className="jp-DataOps-diff">
      {props.lines.map((line, i) => (
        <div key={i} data-op={lineOp(line)}>
          {line || ' '}
        </div>
      ))}
    </pre>
  );
}

function lineOp(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) {
    return 'header';
  }
  if (line.startsWith('@@')) {
    return 'hunk';
  }
  return line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
}

/** A notebook's diff, cell by cell (unchanged cells collapsed to a count). */
export function CellDiff(props: {
  cells: ICellChange[];
  trans: TranslationBundle;
}): JSX.Element {
  const { cells, trans } = props;
  const unchanged = cells.filter(c => c.status === 'unchanged').length;
  const changed = cells.filter(c => c.status !== 'unchanged');
  return (
    <div className="jp-DataOps-cellDiff">
      {changed.map((cell, i) => (
        <div
          key={i}
          className="jp-DataOps-cellChange"
          data-status={cell.status}
        >
          <div className="jp-DataOps-cellChangeHead">
            {cellTitle(cell, trans)}
          </div>
          <DiffLines lines={cell.diff} />
        </div>
      ))}
      {unchanged > 0 && (
        <p className="jp-DataOps-muted">
          {trans._n('%1 cell unchanged', '%1 cells unchanged', unchanged)}
        </p>
      )}
    </div>
  );
}

function cellTitle(cell: ICellChange, trans: TranslationBundle): string {
  const n = (cell.new_index ?? cell.old_index ?? 0) + 1;
  switch (cell.status) {
    case 'added':
      return trans.__('Cell %1 (%2) added', n, cell.cell_type);
    case 'removed':
      return trans.__('Cell %1 (%2) removed', n, cell.cell_type);
    default:
      return trans.__('Cell %1 (%2) changed', n, cell.cell_type);
  }
}

/** One file of the review: its status and its diff, open by default when it changed. */
export function FileDiffView(props: {
  file: IPlannedFile;
  trans: TranslationBundle;
}): JSX.Element {
  const { file, trans } = props;
  const label = {
    new: trans.__('new'),
    modified: trans.__('modified'),
    unchanged: trans.__('unchanged')
  }[file.status];
  const cells = file.diff.cells;
  const empty = cells ? cells.length === 0 : file.diff.lines.length === 0;
  return (
    <details
      className="jp-DataOps-fileDiff"
      open={file.status !== 'unchanged'}
      data-destination={file.destination}
    >
      <summary>
        <code>{file.destination}</code>{' '}
        <span className="jp-DataOps-badge" data-status={file.status}>
          {label}
        </span>
      </summary>
      {empty ? (
        <p className="jp-DataOps-muted">{trans.__('Same as on the branch.')}</p>
      ) : cells ? (
        <CellDiff cells={cells} trans={trans} />
      ) : (
        <DiffLines lines={file.diff.lines} />
      )}
    </details>
  );
}
