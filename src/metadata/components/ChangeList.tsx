import * as React from 'react';

import { IAffected, IChange } from '../api';
import { affectedLine } from '../edits';

/** The changes of an edit, each with the bump SDMX versioning asks for it. */
export function ChangeList(props: { changes: IChange[] }): JSX.Element {
  if (!props.changes.length) {
    return <p className="jp-DataOps-muted">No change.</p>;
  }
  return (
    <ul className="jp-DataOps-metaChanges">
      {props.changes.map((c, i) => (
        <li key={i} data-bump={c.bump}>
          <span className="jp-DataOps-metaBump">{c.bump}</span> {c.what}
        </li>
      ))}
    </ul>
  );
}

/** The stored series the codes an edit takes away are used by (nothing when none are). */
export function AffectedList(props: {
  affected: IAffected[] | undefined;
}): JSX.Element | null {
  const affected = props.affected ?? [];
  if (!affected.length) {
    return null;
  }
  return (
    <ul className="jp-DataOps-metaAffected" aria-label="Stored series affected">
      {affected.map(a => (
        <li key={`${a.flow}/${a.dimension}/${a.code}`}>{affectedLine(a)}</li>
      ))}
    </ul>
  );
}
