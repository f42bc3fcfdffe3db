import { DataOpsApiError } from '../api/client';
import {
  IEnvironment,
  IMergeRequest,
  IPlan,
  IPlannedFile,
  IPlanRequest,
  IPromotion
} from './api';
import { dashboardEdits, IDashboardApp } from './dashboards';

/** The dialog's steps, in order. */
export const STEPS = ['environment', 'files', 'review', 'commit'] as const;
export type Step = (typeof STEPS)[number] | 'done';

/** A failure shown in the dialog: the server's code and sentence. */
export type IStepError = DataOpsApiError;

/** Everything the Promote dialog shows; changed only by `promoteReducer`. */
export interface IPromoteState {
  /** The file being promoted, relative to the server root. */
  path: string;
  step: Step;
  /** What the dialog waits for, if anything. */
  busy: 'environments' | 'plan' | 'submit' | null;
  environments: IEnvironment[] | null;
  user: string;
  envId: string | null;
  /** The environment was chosen for the user (the only one open to them): its review, once
   * ready, moves on to the files; one the user chose waits for them to go on. */
  preselected: boolean;
  plan: IPlan | null;
  /** True when edits or extra files changed since `plan` was made. */
  planStale: boolean;
  extraFiles: string[];
  /** Proposed destination → edited destination. */
  edits: Record<string, string>;
  message: string;
  messageEdited: boolean;
  promotion: IPromotion | null;
  mergeRequest: IMergeRequest | null;
  error: IStepError | null;
  /** Published as a dashboard: every file goes under dashboards/<name>/ (null: an ordinary promotion). */
  dashboard: IDashboardApp | null;
}

/** What can happen to the dialog. */
export type PromoteAction =
  | { type: 'environments-requested' }
  | { type: 'environments-loaded'; user: string; environments: IEnvironment[] }
  | { type: 'select-environment'; envId: string }
  | { type: 'plan-requested' }
  | { type: 'plan-loaded'; plan: IPlan }
  | { type: 'failed'; error: IStepError }
  | { type: 'edit-destination'; proposed: string; destination: string }
  | { type: 'add-file'; path: string }
  | { type: 'remove-file'; path: string }
  | { type: 'go'; step: Step }
  | { type: 'set-message'; message: string }
  | { type: 'submit-requested' }
  | { type: 'submitted'; promotion: IPromotion }
  | { type: 'merge-request-loaded'; mergeRequest: IMergeRequest };

/** The dialog when it opens for `path` (as a dashboard: with the app's other files). */
export function initialState(
  path: string,
  dashboard: IDashboardApp | null = null,
  extraFiles: string[] = []
): IPromoteState {
  return {
    path,
    dashboard,
    step: 'environment',
    busy: null,
    environments: null,
    user: '',
    envId: null,
    preselected: false,
    plan: null,
    planStale: false,
    extraFiles: extraFiles.filter(p => p !== path),
    edits: {},
    message: '',
    messageEdited: false,
    promotion: null,
    mergeRequest: null,
    error: null
  };
}

/** The next state; impossible moves (a disabled environment, skipping a step) leave it unchanged. */
export function promoteReducer(
  state: IPromoteState,
  action: PromoteAction
): IPromoteState {
  switch (action.type) {
    case 'environments-requested':
      return { ...state, busy: 'environments', error: null };
    case 'environments-loaded': {
      const allowed = action.environments.filter(e => e.may_promote);
      return {
        ...state,
        busy: null,
        user: action.user,
        environments: action.environments,
        envId: allowed.length === 1 ? allowed[0].id : state.envId,
        preselected: allowed.length === 1
      };
    }
    case 'select-environment': {
      const env = state.environments?.find(e => e.id === action.envId);
      if (!env || !env.may_promote || state.busy) {
        return state;
      }
      // another branch means another diff and scan: the old review does not apply
      return action.envId === state.envId
        ? state
        : {
            ...state,
            envId: action.envId,
            preselected: false,
            plan: null,
            error: null
          };
    }
    case 'plan-requested':
      return { ...state, busy: 'plan', error: null };
    case 'plan-loaded':
      return withDashboardEdits({
        ...state,
        busy: null,
        plan: action.plan,
        planStale: false,
        message: state.messageEdited
          ? state.message
          : action.plan.default_message,
        // choosing an environment and going on are two actions (a mis-click can be seen)
        step:
          state.step === 'environment' && state.preselected
            ? 'files'
            : state.step
      });
    case 'failed':
      return failed(state, action.error);
    case 'edit-destination': {
      const edits = { ...state.edits };
      if (
        action.destination.trim() === '' ||
        action.destination === action.proposed
      ) {
        delete edits[action.proposed];
      } else {
        edits[action.proposed] = action.destination;
      }
      return { ...state, edits, planStale: true };
    }
    case 'add-file': {
      const path = action.path.trim().replace(/^\/+/, '');
      if (!path || path === state.path || state.extraFiles.includes(path)) {
        return state;
      }
      return {
        ...state,
        extraFiles: [...state.extraFiles, path],
        planStale: true
      };
    }
    case 'remove-file':
      return {
        ...state,
        extraFiles: state.extraFiles.filter(p => p !== action.path),
        planStale: true
      };
    case 'go':
      return canGo(state, action.step)
        ? { ...state, step: action.step, error: null }
        : state;
    case 'set-message':
      return { ...state, message: action.message, messageEdited: true };
    case 'submit-requested':
      return canGo(state, 'done')
        ? { ...state, busy: 'submit', error: null }
        : state;
    case 'submitted':
      return {
        ...state,
        busy: null,
        step: 'done',
        promotion: action.promotion,
        mergeRequest: action.promotion.merge_request
      };
    case 'merge-request-loaded':
      return { ...state, mergeRequest: action.mergeRequest };
  }
}

/** A dashboard's review whose files are not all under dashboards/<name>/ yet: the edits that move
 * them there, and the review marked stale (the model reviews again). */
function withDashboardEdits(state: IPromoteState): IPromoteState {
  if (!state.dashboard || !state.plan) {
    return state;
  }
  const wanted = dashboardEdits(state.dashboard, state.plan.files);
  const edits = { ...state.edits };
  let moved = false;
  for (const file of state.plan.files) {
    const proposed = proposedDestination(state, file);
    const target = wanted[file.destination];
    if (target && target !== file.destination && !(proposed in state.edits)) {
      edits[proposed] = target;
      moved = true;
    }
  }
  return moved ? { ...state, edits, planStale: true } : state;
}

function failed(state: IPromoteState, error: IStepError): IPromoteState {
  const next = { ...state, busy: null, error };
  if (
    state.busy === 'submit' &&
    (error.code === 'conflict' || error.code === 'not_found')
  ) {
    // the branch moved (or the review expired): that review cannot land, the user reviews again
    return { ...next, step: 'review', planStale: true };
  }
  return next;
}

/** The selected environment, if any. */
export function selectedEnvironment(state: IPromoteState): IEnvironment | null {
  return state.environments?.find(e => e.id === state.envId) ?? null;
}

/** Whether the dialog may move to `step` now (backwards always, forwards only when ready). */
export function canGo(state: IPromoteState, step: Step): boolean {
  if (state.busy || state.step === 'done') {
    return false;
  }
  const from = STEPS.indexOf(state.step as (typeof STEPS)[number]);
  const to = step === 'done' ? STEPS.length : STEPS.indexOf(step);
  if (to <= from) {
    return true;
  }
  for (let i = from; i < to; i++) {
    if (blocker(state, STEPS[i]) !== null) {
      return false;
    }
  }
  return true;
}

/** Why the dialog cannot leave `step` forwards, or null. */
export function blocker(state: IPromoteState, step: Step): string | null {
  const plan = state.plan;
  switch (step) {
    case 'environment':
      if (!selectedEnvironment(state)) {
        return 'Choose an environment you may promote to.';
      }
      return plan ? null : 'The review of this environment is not ready yet.';
    case 'files':
      return plan && !state.planStale
        ? null
        : 'Review the changed files and destinations first.';
    case 'review':
      if (!plan || state.planStale) {
        return 'Review again: the files changed since this review.';
      }
      if (!plan.scan.clean) {
        return 'Remove the possible secrets listed above, save, and review again.';
      }
      return plan.changed || plan.mode === 'merge_request'
        ? null
        : `Nothing to promote: ${plan.branch} already has exactly these files.`;
    case 'commit':
      return state.message.trim() ? null : 'Write a commit message.';
    default:
      return null;
  }
}

/** The proposed destination (what the server chose without edits) of a planned file. */
export function proposedDestination(
  state: IPromoteState,
  file: IPlannedFile
): string {
  const entry = Object.entries(state.edits).find(
    ([, edited]) => edited === file.destination
  );
  return entry ? entry[0] : file.destination;
}

/** The body of the next `POST promotion/plans`. */
export function planRequest(state: IPromoteState): IPlanRequest {
  return {
    path: state.path,
    environment: state.envId ?? '',
    extra_files: state.extraFiles,
    destinations: state.edits
  };
}
