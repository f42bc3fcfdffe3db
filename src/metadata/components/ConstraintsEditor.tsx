import { ServerConnection } from '@jupyterlab/services';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError } from '../../api/client';
import { fetchEnvironments, IEnvironment } from '../../deploy/api';
import {
  diffAgainstBranch,
  fetchConstraintForm,
  fetchListing,
  IArtefactSummary,
  IBranchDiff,
  IConstraint,
  IConstraintForm,
  IPreview,
  ISaved,
  previewEdit,
  saveEdit
} from '../api';
import {
  allowedCodes,
  toggleCode,
  validityProblem,
  withAllowed,
  withValidity
} from '../edits';
import { ChangeList } from './ChangeList';
import {
  ArtefactPicker,
  ErrorMessage,
  PreviewSection,
  SavedNotice
} from './EditorParts';

/** What the Constraints editor needs. */
export interface IConstraintsEditorProps {
  settings?: ServerConnection.ISettings;
  /** Open the Promote dialog for a file of the working copy. */
  onPromote: (path: string) => void;
  /** The environment to diff against first (opened from the Deploy panel), if any. */
  environment?: string;
}

const flowRef = (f: IArtefactSummary): string =>
  `${f.agency}:${f.id}(${f.version})`;

/**
 * Pick a dataflow, choose per dimension the allowed codes and a validity period; shows the
 * changes, the version SDMX versioning calls for, and the diff against a deployment branch.
 */
export function ConstraintsEditor(props: IConstraintsEditorProps): JSX.Element {
  const { settings } = props;
  const [flows, setFlows] = React.useState<IArtefactSummary[]>([]);
  const [flow, setFlow] = React.useState('');
  const [form, setForm] = React.useState<IConstraintForm | null>(null);
  const [edited, setEdited] = React.useState<IConstraint | null>(null);
  const [preview, setPreview] = React.useState<IPreview | null>(null);
  const [envs, setEnvs] = React.useState<IEnvironment[]>([]);
  const [env, setEnv] = React.useState('');
  const [branchDiff, setBranchDiff] = React.useState<IBranchDiff | null>(null);
  const [saved, setSaved] = React.useState<ISaved | null>(null);
  const [error, setError] = React.useState('');

  const fail = (e: unknown) => setError(asApiError(e).message);

  React.useEffect(() => {
    fetchListing(settings)
      .then(l => {
        const found = l.artefacts.filter(a => a.kind === 'dataflow');
        setFlows(found);
        if (found.length) {
          setFlow(flowRef(found[found.length - 1]));
        }
      })
      .catch(fail);
    fetchEnvironments(settings)
      .then(r => {
        const mine = r.environments.filter(e => e.may_promote);
        setEnvs(mine);
        const asked = mine.find(e => e.id === props.environment);
        setEnv(asked?.id ?? mine[0]?.id ?? '');
      })
      .catch(() => setEnvs([]));
  }, []);

  React.useEffect(() => {
    if (!flow) {
      return;
    }
    setError('');
    setSaved(null);
    fetchConstraintForm(flow, settings)
      .then(f => {
        setForm(f);
        setEdited(f.constraint);
      })
      .catch(fail);
  }, [flow]);

  React.useEffect(() => {
    if (!edited) {
      return;
    }
    setBranchDiff(null);
    const problem = validityProblem(edited.valid_from, edited.valid_to);
    if (problem) {
      setError(problem);
      return;
    }
    let stale = false;
    previewEdit(edited, settings)
      .then(p => {
        if (!stale) {
          setPreview(p);
          setError('');
        }
      })
      .catch(fail);
    return () => {
      stale = true;
    };
  }, [edited]);

  const save = async () => {
    if (!edited) {
      return;
    }
    try {
      const done = await saveEdit(edited, settings);
      setSaved(done);
      const f = await fetchConstraintForm(flow, settings);
      setForm(f);
      setEdited(f.constraint);
    } catch (e) {
      fail(e);
    }
  };

  const compare = () => {
    if (edited && env) {
      diffAgainstBranch(edited, env, settings).then(setBranchDiff).catch(fail);
    }
  };

  return (
    <div className="jp-DataOps-metaEditor jp-DataOps-constraints">
      <ArtefactPicker
        label="Dataflow"
        artefacts={flows}
        refOf={flowRef}
        value={flow}
        onChange={setFlow}
      />
      {!flows.length && (
        <p className="jp-DataOps-muted">
          No dataflow in metadata/dataflows/ of the folder you work in.
        </p>
      )}
      <ErrorMessage message={error} />
      {form && edited && (
        <>
          <p className="jp-DataOps-muted">
            {edited.file
              ? `${edited.agency}:${edited.id}(${edited.version}), ${edited.file}`
              : `New constraint ${edited.agency}:${edited.id}`}
          </p>
          <div className="jp-DataOps-metaValidity">
            <label>
              Valid from{' '}
              <input
                type="date"
                aria-label="Valid from"
                value={edited.valid_from.slice(0, 10)}
                onChange={e =>
                  setEdited(
                    withValidity(edited, e.currentTarget.value, edited.valid_to)
                  )
                }
              />
            </label>
            <label>
              to{' '}
              <input
                type="date"
                aria-label="Valid to"
                value={edited.valid_to.slice(0, 10)}
                onChange={e =>
                  setEdited(
                    withValidity(
                      edited,
                      edited.valid_from,
                      e.currentTarget.value
                    )
                  )
                }
              />
            </label>
          </div>
          {form.dimensions.map(d => {
            const all = d.codes.map(c => c.id);
            const allowed = allowedCodes(edited, d.id);
            return (
              <details
                key={d.id}
                className="jp-DataOps-metaDimension"
                data-dimension={d.id}
              >
                <summary>
                  {d.id} {d.name}:{' '}
                  {allowed === null
                    ? 'every code'
                    : `${allowed.length} of ${all.length} codes`}
                </summary>
                <Button
                  small
                  onClick={() => setEdited(withAllowed(edited, d.id, null))}
                >
                  Allow every code
                </Button>
                <ul>
                  {d.codes.map(c => (
                    <li key={c.id}>
                      <label>
                        <input
                          type="checkbox"
                          aria-label={`${d.id} ${c.id}`}
                          checked={allowed === null || allowed.includes(c.id)}
                          onChange={() =>
                            setEdited(toggleCode(edited, d.id, all, c.id))
                          }
                        />{' '}
                        {c.id} {c.name}
                      </label>
                    </li>
                  ))}
                </ul>
              </details>
            );
          })}
          {preview && (
            <PreviewSection
              preview={preview}
              heading={
                <>
                  {preview.base_version
                    ? `Version ${preview.base_version} → ${preview.proposed_version}`
                    : `New, version ${preview.proposed_version}`}
                  {preview.required ? ` (a ${preview.required} change)` : ''}
                </>
              }
            />
          )}
          <div className="jp-DataOps-metaActions">
            <Button
              onClick={() => void save()}
              disabled={!!preview?.base_version && !preview.changes.length}
            >
              Save as new version
            </Button>
            {envs.length > 0 && (
              <>
                <select
                  aria-label="Environment"
                  value={env}
                  onChange={e => setEnv(e.currentTarget.value)}
                >
                  {envs.map(e => (
                    <option key={e.id} value={e.id}>
                      {e.label || e.id}
                    </option>
                  ))}
                </select>
                <Button small onClick={compare}>
                  Diff against branch
                </Button>
              </>
            )}
          </div>
          {branchDiff && (
            <section
              className="jp-DataOps-metaBranchDiff"
              aria-label="Diff against branch"
            >
              <p>
                {branchDiff.branch_version
                  ? `Against ${branchDiff.branch_version} in ${branchDiff.branch}:`
                  : `${branchDiff.branch} has no version of this constraint yet.`}
              </p>
              <ChangeList changes={branchDiff.changes} />
              {branchDiff.problem && (
                <p className="jp-DataOps-muted">{branchDiff.problem}</p>
              )}
            </section>
          )}
          {saved && <SavedNotice saved={saved} onPromote={props.onPromote} />}
        </>
      )}
    </div>
  );
}
