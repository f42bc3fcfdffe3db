import { DataOpsApiError } from '../api/client';
import { IPipeline, IPromotion } from './api';

/** GitLab statuses after which a pipeline or job does not change any more. */
export const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);

/** True when the pipeline (or job) status will not change any more. */
export function isFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** One environment's pipelines as the panel shows them. */
export interface IEnvPipelines {
  pipelines: IPipeline[];
  loading: boolean;
  error: DataOpsApiError | null;
}

/** The Deploy panel's pipelines, per environment, plus what the user waits for. */
export interface IPipelineListState {
  byEnv: Record<string, IEnvPipelines>;
  /** Pipelines the user started (or whose commit they promoted): id → environment. */
  watched: Record<number, string>;
  /** Commits the user promoted, per environment, newest first. */
  promotions: Record<string, IPromotion[]>;
  /** Pipelines already reported finished (never twice). */
  notified: number[];
}

/** What can happen to the list. */
export type PipelineListAction =
  | { type: 'loading'; env: string }
  | { type: 'loaded'; env: string; pipelines: IPipeline[] }
  | { type: 'failed'; env: string; error: DataOpsApiError }
  | { type: 'upsert'; env: string; pipeline: IPipeline; watch?: boolean }
  | { type: 'promoted'; promotion: IPromotion };

/** The new state, and the watched pipelines that finished with this action. */
export interface IPipelineListUpdate {
  state: IPipelineListState;
  finished: IPipeline[];
}

/** How many pipelines an environment keeps. */
export const LIMIT = 10;

export const EMPTY: IPipelineListState = {
  byEnv: {},
  watched: {},
  promotions: {},
  notified: []
};

const NO_PIPELINES: IEnvPipelines = {
  pipelines: [],
  loading: false,
  error: null
};

/** Apply an action; a watched pipeline seen finished is reported once and no longer watched. */
export function pipelineListReducer(
  state: IPipelineListState,
  action: PipelineListAction
): IPipelineListUpdate {
  switch (action.type) {
    case 'loading':
      return same(withEnv(state, action.env, { loading: true }));
    case 'failed':
      return same(
        withEnv(state, action.env, { loading: false, error: action.error })
      );
    case 'loaded': {
      let next = withEnv(state, action.env, {
        loading: false,
        error: null,
        pipelines: mergePipelines([], action.pipelines)
      });
      next = watchPromoted(next, action.env, action.pipelines);
      return settle(next, action.pipelines);
    }
    case 'upsert': {
      const current = state.byEnv[action.env] ?? NO_PIPELINES;
      let next = withEnv(state, action.env, {
        pipelines: mergePipelines(current.pipelines, [action.pipeline])
      });
      if (action.watch && !state.notified.includes(action.pipeline.id)) {
        next = {
          ...next,
          watched: { ...next.watched, [action.pipeline.id]: action.env }
        };
      }
      return settle(next, [action.pipeline]);
    }
    case 'promoted': {
      const env = action.promotion.environment;
      const old = state.promotions[env] ?? [];
      const promotions = {
        ...state.promotions,
        [env]: [action.promotion, ...old].slice(0, LIMIT)
      };
      return same({ ...state, promotions });
    }
  }
}

/**
 * `incoming` merged into `current` by id (newer data wins), newest first, at most `LIMIT`;
 * each pipeline's jobs in the order they run (GitLab lists them newest first).
 */
export function mergePipelines(
  current: IPipeline[],
  incoming: IPipeline[]
): IPipeline[] {
  const byId = new Map<number, IPipeline>();
  for (const p of current) {
    byId.set(p.id, p);
  }
  for (const p of incoming) {
    byId.set(p.id, { ...p, jobs: [...p.jobs].sort((a, b) => a.id - b.id) });
  }
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, LIMIT);
}

/** The pipelines that ran the commit of a promotion (joined on the commit sha). */
export function pipelinesOfPromotion(
  promotion: IPromotion,
  pipelines: IPipeline[]
): IPipeline[] {
  return pipelines.filter(p => p.sha === promotion.commit_sha);
}

function same(state: IPipelineListState): IPipelineListUpdate {
  return { state, finished: [] };
}

function withEnv(
  state: IPipelineListState,
  env: string,
  patch: Partial<IEnvPipelines>
): IPipelineListState {
  const current = state.byEnv[env] ?? NO_PIPELINES;
  return {
    ...state,
    byEnv: { ...state.byEnv, [env]: { ...current, ...patch } }
  };
}

/** Pipelines started by a push of a commit the user promoted are the user's too. */
function watchPromoted(
  state: IPipelineListState,
  env: string,
  pipelines: IPipeline[]
): IPipelineListState {
  const shas = new Set((state.promotions[env] ?? []).map(p => p.commit_sha));
  const mine = pipelines.filter(
    p =>
      shas.has(p.sha) &&
      !(p.id in state.watched) &&
      !state.notified.includes(p.id)
  );
  if (mine.length === 0) {
    return state;
  }
  const watched = { ...state.watched };
  for (const p of mine) {
    watched[p.id] = env;
  }
  return { ...state, watched };
}

function settle(
  state: IPipelineListState,
  seen: IPipeline[]
): IPipelineListUpdate {
  const finished = seen.filter(
    p => p.id in state.watched && isFinished(p.status)
  );
  if (finished.length === 0) {
    return { state, finished };
  }
  const watched = { ...state.watched };
  for (const p of finished) {
    delete watched[p.id];
  }
  const notified = [...state.notified, ...finished.map(p => p.id)].slice(-200);
  return { state: { ...state, watched, notified }, finished };
}
