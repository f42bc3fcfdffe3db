import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorMessage } from '../../common/components/ErrorMessage';
import { PromoteModel } from '../promoteModel';
import { blocker, canGo, IPromoteState, Step, STEPS } from '../promoteState';
import { CommitStep, DoneStep } from './CommitSteps';
import { EnvironmentStep, FilesStep, ReviewStep } from './PromoteSteps';

/** Props of `PromoteDialogBody`. */
export interface IPromoteDialogProps {
  model: PromoteModel;
  trans: TranslationBundle;
  /** Submit with progress reported through `Notification`. */
  onSubmit: () => void;
  onClose: () => void;
}

/** The Promote dialog: environment → what goes → review → commit → result. */
export function PromoteDialogBody(props: IPromoteDialogProps): JSX.Element {
  const { model, trans, onSubmit, onClose } = props;
  const state = useModelState(model);
  const titles: Record<Step, string> = {
    environment: trans.__('Environment'),
    files: trans.__('What goes'),
    review: trans.__('Review'),
    commit: trans.__('Commit'),
    done: trans.__('Done')
  };
  const index = STEPS.indexOf(state.step as (typeof STEPS)[number]);
  const next = index >= 0 && index < STEPS.length - 1 ? STEPS[index + 1] : null;
  const why = state.step === 'done' ? null : blocker(state, state.step);
  const stepProps = { model, state, trans };
  return (
    <div className="jp-DataOps-promote" data-step={state.step}>
      <ol className="jp-DataOps-steps">
        {STEPS.map((step, i) => (
          <li
            key={step}
            aria-current={state.step === step ? 'step' : undefined}
            data-done={index > i || state.step === 'done'}
          >
            <button
              className="jp-DataOps-stepButton"
              disabled={!canGo(state, step) || state.step === step}
              onClick={() => void model.go(step)}
            >
              {i + 1}. {titles[step]}
            </button>
          </li>
        ))}
      </ol>
      {state.error && <ErrorMessage error={state.error} trans={trans} />}
      <div className="jp-DataOps-stepBody">
        {state.step === 'environment' && <EnvironmentStep {...stepProps} />}
        {state.step === 'files' && <FilesStep {...stepProps} />}
        {state.step === 'review' && <ReviewStep {...stepProps} />}
        {state.step === 'commit' && <CommitStep {...stepProps} />}
        {state.step === 'done' && <DoneStep {...stepProps} />}
      </div>
      <div className="jp-DataOps-stepNav">
        <span className="jp-DataOps-muted jp-DataOps-blocker">
          {busyText(state, trans) ?? (why && index > 0 ? trans.__(why) : '')}
        </span>
        {index > 0 && state.step !== 'done' && (
          <Button
            small
            minimal
            disabled={state.busy !== null}
            onClick={() => void model.go(STEPS[index - 1])}
          >
            {trans.__('Back')}
          </Button>
        )}
        {state.step === 'done' ? null : next ? (
          <Button
            small
            className="jp-mod-styled jp-mod-accept jp-DataOps-next"
            disabled={
              why !== null && !(state.step === 'files' && state.planStale)
            }
            onClick={() => void model.go(next)}
          >
            {trans.__('Next: %1', titles[next])}
          </Button>
        ) : (
          <Button
            small
            className="jp-mod-styled jp-mod-accept jp-DataOps-submit"
            disabled={!canGo(state, 'done')}
            onClick={onSubmit}
          >
            {state.plan?.mode === 'merge_request'
              ? trans.__('Open merge request')
              : trans.__('Promote')}
          </Button>
        )}
        <Button
          small
          className={
            state.step === 'done'
              ? 'jp-mod-styled jp-mod-accept'
              : 'jp-mod-styled jp-mod-reject'
          }
          onClick={onClose}
        >
          {state.step === 'done' ? trans.__('Close') : trans.__('Cancel')}
        </Button>
      </div>
    </div>
  );
}

function busyText(
  state: IPromoteState,
  trans: TranslationBundle
): string | null {
  switch (state.busy) {
    case 'environments':
      return trans.__('Loading environments…');
    case 'plan':
      return trans.__('Reviewing: diff against the branch and secret scan…');
    case 'submit':
      return trans.__('Promoting…');
    default:
      return null;
  }
}

/** The model's state, re-rendering on change. */
export function useModelState(model: PromoteModel): IPromoteState {
  const [state, setState] = React.useState(model.state);
  React.useEffect(() => {
    const update = (_: PromoteModel, next: IPromoteState) => setState(next);
    model.changed.connect(update);
    setState(model.state);
    return () => {
      model.changed.disconnect(update);
    };
  }, [model]);
  return state;
}
