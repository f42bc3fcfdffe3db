import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import {
  createPlan,
  fetchEnvironments,
  fetchMergeRequest,
  IPromotion,
  submitPlan
} from './api';
import {
  initialState,
  IPromoteState,
  PromoteAction,
  planRequest,
  promoteReducer,
  Step
} from './promoteState';
import { IDashboardApp } from './dashboards';

/** Runs the Promote dialog: holds its state and talks to the server. */
export class PromoteModel {
  constructor(
    path: string,
    private readonly settings?: ServerConnection.ISettings,
    /** Runs before every review (the plugin saves the open document). */
    private readonly beforeReview: () => Promise<void> = async () => undefined,
    /** Publishing as a dashboard: the app and its other files. */
    dashboard: { app: IDashboardApp; files: string[] } | null = null
  ) {
    this._state = initialState(path, dashboard?.app ?? null, dashboard?.files);
  }

  /** Current state. */
  get state(): IPromoteState {
    return this._state;
  }

  /** Emitted after every state change. */
  get changed(): ISignal<this, IPromoteState> {
    return this._changed;
  }

  /** Emitted once a promotion landed. */
  get promoted(): ISignal<this, IPromotion> {
    return this._promoted;
  }

  /** Apply an action (the dialog's inputs call this directly). */
  dispatch(action: PromoteAction): void {
    const next = promoteReducer(this._state, action);
    if (next !== this._state) {
      this._state = next;
      this._changed.emit(next);
    }
  }

  /** Load the environments and the user's rights. */
  async load(): Promise<void> {
    this.dispatch({ type: 'environments-requested' });
    await this.call(async () => {
      const reply = await fetchEnvironments(this.settings);
      this.dispatch({ type: 'environments-loaded', ...reply });
    });
    // the only environment open to the user is chosen for them: review it right away
    if (this._state.envId && !this._state.plan) {
      await this.review();
    }
  }

  /** Choose an environment and review what would go there. */
  async choose(envId: string): Promise<void> {
    this.dispatch({ type: 'select-environment', envId });
    if (this._state.envId === envId && !this._state.plan) {
      await this.review();
    }
  }

  /** (Re)compute the plan: files, destinations, diff and secret scan. */
  async review(): Promise<void> {
    if (!this._state.envId || this._state.busy) {
      return;
    }
    this.dispatch({ type: 'plan-requested' });
    await this.call(async () => {
      await this.beforeReview();
      const plan = await createPlan(planRequest(this._state), this.settings);
      this.dispatch({ type: 'plan-loaded', plan });
      if (this._state.dashboard && this._state.planStale) {
        // the first review proposed where each file goes; a dashboard's files go under dashboards/
        const moved = await createPlan(planRequest(this._state), this.settings);
        this.dispatch({ type: 'plan-loaded', plan: moved });
      }
    });
  }

  /** Move to `step`, reviewing again first when the files changed since the last review. */
  async go(step: Step): Promise<void> {
    if (step === 'review' && this._state.planStale) {
      await this.review();
    }
    this.dispatch({ type: 'go', step });
  }

  /** Land the reviewed plan with the message. */
  async submit(): Promise<IPromotion | null> {
    const plan = this._state.plan;
    this.dispatch({ type: 'submit-requested' });
    if (!plan || this._state.busy !== 'submit') {
      return null;
    }
    let landed: IPromotion | null = null;
    await this.call(async () => {
      landed = await submitPlan(
        plan.plan_id,
        this._state.message,
        this.settings
      );
      this.dispatch({ type: 'submitted', promotion: landed });
      this._promoted.emit(landed);
    });
    return landed;
  }

  /** Ask GitLab again for the merge request's state (open, approvals, mergeable, merged). */
  async refreshMergeRequest(): Promise<void> {
    const promotion = this._state.promotion;
    if (!promotion?.merge_request) {
      return;
    }
    await this.call(async () => {
      const mergeRequest = await fetchMergeRequest(
        promotion.environment,
        promotion.merge_request!.iid,
        this.settings
      );
      this.dispatch({ type: 'merge-request-loaded', mergeRequest });
    });
  }

  /** The last failure as an error to rethrow (for `Notification.promise`), or null. */
  get lastError(): DataOpsApiError | null {
    return this._state.error;
  }

  private async call(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.dispatch({ type: 'failed', error: asApiError(error) });
    }
  }

  private _state: IPromoteState;
  private _changed = new Signal<this, IPromoteState>(this);
  private _promoted = new Signal<this, IPromotion>(this);
}
