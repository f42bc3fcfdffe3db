import * as React from 'react';

import { IChange } from '../api';

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
