import { ServerConnection } from '@jupyterlab/services';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import {
  fetchEnvironments,
  fetchHistory,
  fetchPipelineEnvironments,
  fetchPipelines,
  IEnvironment,
  IPipeline,
  IPipelineEnvironment,
  IPromotion,
  runPipeline
} from './api';
import { fetchDashboards, IPublishedDashboard } from './dashboardsApi';
import {
  HISTORY_LIMIT,
  historyFailed,
  historyLoaded,
  historyNotAsked,
  IEnvHistory,
  NO_HISTORY
} from './history';
import {
  EMPTY,
  IPipelineListState,
  LIMIT,
  PipelineListAction,
  pipelineListReducer
} from './pipelineList';

/** An environment of the Deploy panel: its pipelines side and the user's rights. */
export interface IDeployEnvironment {
  pipelines: IPipelineEnvironment;
  /** The promotion side (rights to promote and to run pipelines), when known. */
  promotion: IEnvironment | null;
}

/** An environment's published dashboards, or why they could not be read. */
export interface IEnvDashboards {
  list: IPublishedDashboard[];
  error: DataOpsApiError | null;
}

/** A pipeline the user was waiting for ended. */
export interface IFinishedPipeline {
  env: string;
  pipeline: IPipeline;
}

/** State of the Deploy panel: environments, their pipelines, and the pipelines the user waits for. */
export class DeployModel {
  constructor(private readonly settings?: ServerConnection.ISettings) {
    this._poll = new Poll({
      factory: () => this.refresh(),
      frequency: { interval: 4000, backoff: true, max: 20000 },
      // keep polling while the user waits for a pipeline, even with the panel closed
      standby: () =>
        document.hidden ||
        (!this._visible && Object.keys(this._list.watched).length === 0),
      name: 'dataops:deploy-pipelines'
    });
  }

  /** Environments, in configuration order (null until loaded). */
  get environments(): IDeployEnvironment[] | null {
    return this._environments;
  }

  /** Why the environments could not be loaded, if they could not. */
  get error(): DataOpsApiError | null {
    return this._error;
  }

  /** Pipelines per environment, promotions made here, watched pipelines. */
  get list(): IPipelineListState {
    return this._list;
  }

  /** The last promotions per environment (from the audit log), loaded on open and after a promotion. */
  get history(): Record<string, IEnvHistory> {
    return this._history;
  }

  /** The dashboards each environment serves, loaded with the history and after each pipeline. */
  get dashboards(): Record<string, IEnvDashboards> {
    return this._dashboards;
  }

  /** Emitted after any change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when a pipeline the user started (or whose commit they promoted) finished. */
  get pipelineFinished(): ISignal<this, IFinishedPipeline> {
    return this._finished;
  }

  /** The panel is shown (poll) or hidden (poll only for watched pipelines). */
  setVisible(visible: boolean): void {
    this._visible = visible;
    if (visible) {
      this._historyStale = true;
      void this._poll.refresh();
    }
  }

  /** Load the environments, then every environment's pipelines. */
  async refresh(): Promise<void> {
    if (!this._environments || this._error) {
      await this.loadEnvironments();
    }
    const all = this._environments ?? [];
    const envs = all.filter(e => e.pipelines.pipelines);
    const history = this._historyStale && !this._error ? all : [];
    this._historyStale = this._historyStale && !!this._error;
    await Promise.all([
      ...envs.map(e => this.refreshEnvironment(e.pipelines.id)),
      ...history.map(e => this.loadHistory(e)),
      ...history.map(e => this.loadDashboards(e))
    ]);
  }

  /** Fetch one environment's last promotions; where the user may not see them, show the
   * server's reason without asking. */
  async loadHistory(env: IDeployEnvironment): Promise<void> {
    const id = env.pipelines.id;
    const hidden = historyNotAsked(env.promotion);
    if (hidden) {
      this.setHistory(id, hidden);
      return;
    }
    this.setHistory(id, {
      ...(this._history[id] ?? NO_HISTORY),
      loading: true
    });
    try {
      const reply = await fetchHistory(id, HISTORY_LIMIT, this.settings);
      this.setHistory(id, historyLoaded(reply));
    } catch (error) {
      this.setHistory(id, historyFailed(this._history[id], error));
    }
  }

  /** Fetch what one environment's dashboard targets serve (not asked where the user may not see
   * its pipelines: the server would refuse). */
  async loadDashboards(env: IDeployEnvironment): Promise<void> {
    const id = env.pipelines.id;
    if (env.promotion && !env.promotion.may_see_history) {
      return;
    }
    try {
      const reply = await fetchDashboards(id, this.settings);
      this.setDashboards(id, { list: reply.dashboards, error: null });
    } catch (error) {
      this.setDashboards(id, {
        list: this._dashboards[id]?.list ?? [],
        error: asApiError(error)
      });
    }
  }

  /** Fetch one environment's newest pipelines. */
  async refreshEnvironment(env: string): Promise<void> {
    this.dispatch({ type: 'loading', env });
    try {
      const reply = await fetchPipelines(env, LIMIT, this.settings);
      this.dispatch({ type: 'loaded', env, pipelines: reply.pipelines });
    } catch (error) {
      this.dispatch({ type: 'failed', env, error: asApiError(error) });
    }
  }

  /** Start a pipeline on the environment's branch; it is watched until it finishes. */
  async run(
    env: string,
    variables: Record<string, string>
  ): Promise<IPipeline> {
    const pipeline = await runPipeline(env, variables, this.settings);
    this.dispatch({ type: 'upsert', env, pipeline, watch: true });
    void this._poll.refresh();
    return pipeline;
  }

  /** A promotion landed: show it, and watch the pipeline its commit starts. */
  promoted(promotion: IPromotion): void {
    this.dispatch({ type: 'promoted', promotion });
    this._historyStale = true;
    void this._poll.refresh();
  }

  /** Stop polling. */
  dispose(): void {
    this._poll.dispose();
  }

  private async loadEnvironments(): Promise<void> {
    try {
      const [pipelines, promotion] = await Promise.all([
        fetchPipelineEnvironments(this.settings),
        fetchEnvironments(this.settings)
      ]);
      this._environments = pipelines.map(p => ({
        pipelines: p,
        promotion: promotion.environments.find(e => e.id === p.id) ?? null
      }));
      this._error = null;
    } catch (error) {
      this._error = asApiError(error);
    }
    this._changed.emit();
  }

  private setHistory(env: string, history: IEnvHistory): void {
    this._history = { ...this._history, [env]: history };
    this._changed.emit();
  }

  private setDashboards(env: string, dashboards: IEnvDashboards): void {
    this._dashboards = { ...this._dashboards, [env]: dashboards };
    this._changed.emit();
  }

  private dispatch(action: PipelineListAction): void {
    const update = pipelineListReducer(this._list, action);
    this._list = update.state;
    this._changed.emit();
    for (const pipeline of update.finished) {
      // its deploy job may have published dashboards
      const env = this._environments?.find(
        e => e.pipelines.id === (pipeline.environment || envOf(action))
      );
      if (env) {
        void this.loadDashboards(env);
      }
      this._finished.emit({
        env: pipeline.environment || envOf(action),
        pipeline
      });
    }
  }

  private _environments: IDeployEnvironment[] | null = null;
  private _error: DataOpsApiError | null = null;
  private _list: IPipelineListState = EMPTY;
  private _history: Record<string, IEnvHistory> = {};
  private _dashboards: Record<string, IEnvDashboards> = {};
  private _historyStale = true;
  private _visible = false;
  private _poll: Poll;
  private _changed = new Signal<this, void>(this);
  private _finished = new Signal<this, IFinishedPipeline>(this);
}

function envOf(action: PipelineListAction): string {
  return action.type === 'promoted' ? action.promotion.environment : action.env;
}
