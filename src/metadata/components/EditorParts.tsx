import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IArtefactSummary, IPreview, ISaved } from '../api';
import { AffectedList, ChangeList } from './ChangeList';

/** What a metadata editor's artefact picker shows. */
export interface IArtefactPickerProps {
  /** The label before the list, also its accessible name. */
  label: string;
  artefacts: IArtefactSummary[];
  /** How the editor refers to an artefact: the option's value and the start of its text. */
  refOf: (artefact: IArtefactSummary) => string;
  /** The chosen artefact's reference. */
  value: string;
  onChange: (ref: string) => void;
}

/** A labelled drop-down picking the artefact a metadata editor works on. */
export function ArtefactPicker(props: IArtefactPickerProps): JSX.Element {
  const { refOf } = props;
  return (
    <label>
      {props.label}{' '}
      <select
        aria-label={props.label}
        value={props.value}
        onChange={e => props.onChange(e.currentTarget.value)}
      >
        {props.artefacts.map(a => (
          <option key={a.file} value={refOf(a)}>
            {refOf(a)} {a.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The error a metadata editor shows inline, as an alert; nothing when there is none. */
export function ErrorMessage(props: { message: string }): JSX.Element | null {
  return props.message ? (
    <div className="jp-DataOps-message" data-kind="error" role="alert">
      {props.message}
    </div>
  ) : null;
}

/**
 * The proposed version of an edit: the heading given, the changes, the stored series affected,
 * then anything the editor adds below.
 */
export function PreviewSection(props: {
  preview: IPreview;
  heading: React.ReactNode;
  children?: React.ReactNode;
}): JSX.Element {
  return (
    <section className="jp-DataOps-metaPreview" aria-label="Proposed version">
      <p>{props.heading}</p>
      <ChangeList changes={props.preview.changes} />
      <AffectedList affected={props.preview.affected} />
      {props.children}
    </section>
  );
}

/** The status line after saving a new version, offering to promote the file saved. */
export function SavedNotice(props: {
  saved: ISaved;
  onPromote: (path: string) => void;
}): JSX.Element {
  const { saved } = props;
  return (
    <div className="jp-DataOps-message" role="status">
      Saved {saved.file} (version {saved.version}).{' '}
      <Button small onClick={() => props.onPromote(saved.file)}>
        Promote…
      </Button>
    </div>
  );
}
