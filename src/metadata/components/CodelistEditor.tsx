import { ServerConnection } from '@jupyterlab/services';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError } from '../../api/client';
import {
  fetchArtefact,
  fetchListing,
  IArtefactSummary,
  ICodelist,
  IPreview,
  ISaved,
  previewEdit,
  saveEdit
} from '../api';
import {
  addCode,
  deprecateCode,
  removalRefusal,
  removeCode,
  renameCode
} from '../edits';
import {
  ArtefactPicker,
  ErrorMessage,
  PreviewSection,
  SavedNotice
} from './EditorParts';

/** What the Codelist editor needs. */
export interface ICodelistEditorProps {
  settings?: ServerConnection.ISettings;
  onPromote: (path: string) => void;
}

const key = (a: IArtefactSummary): string => `${a.agency}:${a.id}`;
const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Pick a codelist (its latest version), add, rename, deprecate or remove codes; shows the changes,
 * the version SDMX versioning calls for (a code removed is a major change, one added or deprecated
 * a minor one) and the stored series using each code removed (then saving is refused).
 */
export function CodelistEditor(props: ICodelistEditorProps): JSX.Element {
  const { settings } = props;
  const [lists, setLists] = React.useState<IArtefactSummary[]>([]);
  const [chosen, setChosen] = React.useState('');
  const [edited, setEdited] = React.useState<ICodelist | null>(null);
  const [preview, setPreview] = React.useState<IPreview | null>(null);
  const [saved, setSaved] = React.useState<ISaved | null>(null);
  const [newId, setNewId] = React.useState('');
  const [newName, setNewName] = React.useState('');
  const [error, setError] = React.useState('');
  const fail = (e: unknown) => setError(asApiError(e).message);
  const refusal = removalRefusal(preview?.affected);

  React.useEffect(() => {
    fetchListing(settings)
      .then(l => {
        const latest = new Map<string, IArtefactSummary>();
        l.artefacts
          .filter(a => a.kind === 'codelist')
          .forEach(a => latest.set(key(a), a));
        const found = [...latest.values()];
        setLists(found);
        setChosen(found.length ? key(found[0]) : '');
      })
      .catch(fail);
  }, []);

  const load = () => {
    const [agency, id] = chosen.split(':');
    fetchArtefact({ kind: 'codelist', agency, id, version: 'latest' }, settings)
      .then(a => setEdited(a as ICodelist))
      .catch(fail);
  };

  React.useEffect(() => {
    if (chosen) {
      setSaved(null);
      load();
    }
  }, [chosen]);

  React.useEffect(() => {
    if (edited) {
      previewEdit(edited, settings)
        .then(p => {
          setPreview(p);
          setError('');
        })
        .catch(fail);
    }
  }, [edited]);

  const add = () => {
    if (!edited) {
      return;
    }
    const next = addCode(edited, newId, newName);
    if (typeof next === 'string') {
      setError(next);
      return;
    }
    setEdited(next);
    setNewId('');
    setNewName('');
  };

  const save = async () => {
    if (edited) {
      try {
        setSaved(await saveEdit(edited, settings));
        load();
      } catch (e) {
        fail(e);
      }
    }
  };

  return (
    <div className="jp-DataOps-metaEditor jp-DataOps-codelist">
      <ArtefactPicker
        label="Codelist"
        artefacts={lists}
        refOf={key}
        value={chosen}
        onChange={setChosen}
      />
      <ErrorMessage message={error} />
      {edited && (
        <>
          <p className="jp-DataOps-muted">
            {edited.agency}:{edited.id}({edited.version}), {edited.file}
          </p>
          <table className="jp-DataOps-metaCodes">
            <tbody>
              {edited.codes.map(c => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>
                    <input
                      aria-label={`Name of ${c.id}`}
                      value={c.name}
                      onChange={e =>
                        setEdited(
                          renameCode(edited, c.id, e.currentTarget.value)
                        )
                      }
                    />
                  </td>
                  <td>
                    {c.deprecated ? (
                      <span className="jp-DataOps-metaDeprecated">
                        deprecated from{' '}
                        <input
                          type="date"
                          aria-label={`Deprecated from (${c.id})`}
                          value={c.deprecated}
                          onChange={e =>
                            e.currentTarget.value &&
                            setEdited(
                              deprecateCode(edited, c.id, e.currentTarget.value)
                            )
                          }
                        />{' '}
                        <Button
                          small
                          onClick={() =>
                            setEdited(deprecateCode(edited, c.id, ''))
                          }
                        >
                          Undeprecate
                        </Button>
                      </span>
                    ) : (
                      <Button
                        small
                        onClick={() =>
                          setEdited(deprecateCode(edited, c.id, today()))
                        }
                      >
                        Deprecate
                      </Button>
                    )}
                  </td>
                  <td>
                    <Button
                      small
                      onClick={() => setEdited(removeCode(edited, c.id))}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="jp-DataOps-metaActions">
            <input
              aria-label="New code id"
              placeholder="id"
              value={newId}
              onChange={e => setNewId(e.currentTarget.value)}
            />
            <input
              aria-label="New code name"
              placeholder="name"
              value={newName}
              onChange={e => setNewName(e.currentTarget.value)}
            />
            <Button small onClick={add} disabled={!newId.trim()}>
              Add code
            </Button>
          </div>
          {preview && (
            <PreviewSection
              preview={preview}
              heading={
                <>
                  Version {preview.base_version} → {preview.proposed_version}
                </>
              }
            >
              <ErrorMessage message={refusal} />
            </PreviewSection>
          )}
          <Button
            onClick={() => void save()}
            disabled={!preview?.changes.length || !!refusal}
          >
            Save as new version
          </Button>
          {saved && <SavedNotice saved={saved} onPromote={props.onPromote} />}
        </>
      )}
    </div>
  );
}
