import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { FileKind, IEnvironment, IFinding } from '../api';
import { PromoteModel } from '../promoteModel';
import { IPromoteState, proposedDestination } from '../promoteState';
import { FileDiffView } from './DiffView';

/** Props shared by the steps. */
export interface IStepProps {
  model: PromoteModel;
  state: IPromoteState;
  trans: TranslationBundle;
}

/** Step 1: the target environment; those the user may not promote to are disabled with the reason. */
export function EnvironmentStep(props: IStepProps): JSX.Element {
  const { model, state, trans } = props;
  if (!state.environments) {
    return (
      <p className="jp-DataOps-muted">{trans.__('Loading environments…')}</p>
    );
  }
  if (state.environments.length === 0) {
    return (
      <p>
        {trans.__(
          'No deployment environments are configured. Add [[promotion.environments]] to the dataops configuration.'
        )}
      </p>
    );
  }
  return (
    <fieldset className="jp-DataOps-envChoice">
      <legend>{trans.__('Promote %1 to', state.path)}</legend>
      {state.environments.map(env => (
        <label
          key={env.id}
          className="jp-DataOps-envOption"
          data-env={env.id}
          aria-disabled={!env.may_promote}
        >
          <input
            type="radio"
            name="dataops-promote-env"
            value={env.id}
            checked={state.envId === env.id}
            disabled={!env.may_promote || state.busy !== null}
            onChange={() => void model.choose(env.id)}
          />
          <span className="jp-DataOps-envName">{env.label || env.id}</span>
          <span className="jp-DataOps-muted">
            <code>{env.branch}</code> {targetText(env, trans)}
          </span>
          {env.protected && (
            <span className="jp-DataOps-badge" data-status="protected">
              {trans.__('merge request')}
            </span>
          )}
          {!env.may_promote && (
            <span className="jp-DataOps-reason">{env.reason}</span>
          )}
        </label>
      ))}
    </fieldset>
  );
}

function targetText(env: IEnvironment, trans: TranslationBundle): string {
  if (env.target === 'gitlab') {
    return trans.__('in GitLab project %1', env.gitlab_project);
  }
  return env.target === 'git' ? trans.__('on a git remote') : '';
}

/** Step 2: what goes, with editable destinations and files the user adds. */
export function FilesStep(props: IStepProps): JSX.Element {
  const { model, state, trans } = props;
  const [extra, setExtra] = React.useState('');
  const plan = state.plan;
  if (!plan) {
    return <p className="jp-DataOps-muted">{trans.__('Reviewing…')}</p>;
  }
  const add = () => {
    model.dispatch({ type: 'add-file', path: extra });
    setExtra('');
  };
  return (
    <div>
      <table className="jp-DataOps-files">
        <thead>
          <tr>
            <th>{trans.__('File')}</th>
            <th>{trans.__('Kind')}</th>
            <th>{trans.__('Destination in the repository')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {plan.files.map(file => {
            const proposed = proposedDestination(state, file);
            const shown = state.edits[proposed] ?? file.destination;
            return (
              <tr key={`${file.kind}:${file.source}`}>
                <td>
                  {file.source || (
                    <em>
                      {trans.__('%1 (generated)', baseName(file.destination))}
                    </em>
                  )}
                </td>
                <td>{kindText(file.kind, trans)}</td>
                <td>
                  <input
                    className="jp-mod-styled jp-DataOps-destination"
                    aria-label={trans.__(
                      'Destination of %1',
                      file.source || file.destination
                    )}
                    value={shown}
                    onChange={e =>
                      model.dispatch({
                        type: 'edit-destination',
                        proposed,
                        destination: e.target.value
                      })
                    }
                  />
                </td>
                <td>
                  {state.extraFiles.includes(file.source) && (
                    <Button
                      minimal
                      small
                      title={trans.__('Do not promote %1', file.source)}
                      onClick={() =>
                        model.dispatch({
                          type: 'remove-file',
                          path: file.source
                        })
                      }
                    >
                      {trans.__('Remove')}
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="jp-DataOps-addFile">
        <input
          className="jp-mod-styled"
          placeholder={trans.__('Add a file (path from the file browser root)')}
          aria-label={trans.__('Add a file to promote')}
          value={extra}
          onChange={e => setExtra(e.target.value)}
          onKeyDown={e => e.key === 'Enter' && add()}
        />
        <Button small onClick={add} disabled={!extra.trim()}>
          {trans.__('Add')}
        </Button>
      </div>
      {state.planStale && (
        <p className="jp-DataOps-muted">
          {trans.__('Changes are reviewed again when you go on.')}
        </p>
      )}
    </div>
  );
}

function kindText(kind: FileKind, trans: TranslationBundle): string {
  return {
    notebook: trans.__('notebook, outputs stripped'),
    script: trans.__('paired .py (percent format)'),
    module: trans.__('imported module'),
    step: trans.__('step module'),
    metadata: trans.__('metadata, checked by dataops metadata check'),
    process: trans.__('BPMN process'),
    file: trans.__('added file')
  }[kind];
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Step 3: the diff against the branch and the secret scan; findings block the way on. */
export function ReviewStep(props: IStepProps): JSX.Element {
  const { model, state, trans } = props;
  const plan = state.plan;
  if (!plan || state.busy === 'plan') {
    return <p className="jp-DataOps-muted">{trans.__('Reviewing…')}</p>;
  }
  const findings = plan.scan.findings;
  const broken = plan.metadata_problems ?? [];
  return (
    <div>
      {broken.length > 0 && (
        <div
          className="jp-DataOps-message jp-DataOps-metadataProblems"
          data-kind="error"
          role="alert"
        >
          <p>
            {trans.__(
              'Promotion refused: it breaks the metadata rules (dataops metadata check).'
            )}
          </p>
          <ul className="jp-DataOps-findings">
            {broken.map((sentence, i) => (
              <li key={i}>{sentence}</li>
            ))}
          </ul>
        </div>
      )}
      {findings.length > 0 ? (
        <div className="jp-DataOps-message" data-kind="error" role="alert">
          <p>
            {trans._n(
              'Promotion blocked: %1 possible secret found. Remove it (and clear the output that shows it), save, then review again.',
              'Promotion blocked: %1 possible secrets found. Remove them (and clear the outputs that show them), save, then review again.',
              findings.length
            )}
          </p>
          <ul className="jp-DataOps-findings">
            {findings.map((f, i) => (
              <li key={i}>{findingText(f, trans)}</li>
            ))}
          </ul>
          <Button small onClick={() => void model.review()}>
            {trans.__('Review again')}
          </Button>
        </div>
      ) : (
        <p className="jp-DataOps-scanClean" role="status">
          {trans._n(
            'Secret scan: %1 file scanned, nothing found.',
            'Secret scan: %1 files scanned, nothing found.',
            plan.scan.scanned.length
          )}
        </p>
      )}
      {state.planStale && findings.length === 0 && (
        <Button small onClick={() => void model.review()}>
          {trans.__('Review again')}
        </Button>
      )}
      <p className="jp-DataOps-muted">
        {plan.base_commit
          ? trans.__(
              'Compared with %1 at %2.',
              plan.branch,
              plan.base_commit.slice(0, 8)
            )
          : trans.__('%1 does not exist yet: everything is new.', plan.branch)}
      </p>
      {plan.files.map(file => (
        <FileDiffView key={file.destination} file={file} trans={trans} />
      ))}
    </div>
  );
}

/** A finding as a sentence that points at cell and line. */
export function findingText(f: IFinding, trans: TranslationBundle): string {
  const where = f.cell
    ? trans.__('cell %1 (%2), line %3', f.cell, f.part, f.line)
    : trans.__('line %1', f.line);
  return trans.__('%1: %2 in %3', f.file, f.kind, where);
}
