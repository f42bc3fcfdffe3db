import { DataOpsApiError } from '../api/client';
import { IJob, IPromotion } from './api';
import {
  EMPTY,
  IPipelineListState,
  LIMIT,
  mergePipelines,
  pipelineListReducer,
  pipelinesOfPromotion
} from './pipelineList';
import { pipeline } from '../testing/fixtures';

function promotion(sha: string): IPromotion {
  return {
    plan_id: 'p',
    environment: 'dev',
    branch: 'deploy/dev',
    commit_sha: sha,
    commit_url: '',
    files: [],
    user: 'ana',
    merge_request: null
  };
}

describe('the pipeline list', () => {
  it('keeps the newest pipelines first, the newest data of each, at most LIMIT', () => {
    const many = Array.from({ length: LIMIT + 3 }, (_, i) => pipeline(i + 1));
    const merged = mergePipelines(many, [pipeline(5, { status: 'success' })]);
    expect(merged).toHaveLength(LIMIT);
    expect(merged[0].id).toBe(LIMIT + 3);
    expect(merged.find(p => p.id === 5)?.status).toBe('success');
  });

  it("lists each pipeline's jobs in the order they run, however GitLab lists them", () => {
    const job = (id: number, name: string): IJob => ({
      id,
      name,
      stage: 'test',
      status: 'success',
      pipeline_id: 1,
      created_at: null,
      started_at: null,
      finished_at: null,
      duration: 3,
      user: 'ana',
      failure_reason: '',
      web_url: ''
    });
    const newestFirst = pipeline(1, {
      jobs: [job(12, 'deploy'), job(11, 'regression'), job(10, 'lint')]
    });
    const update = pipelineListReducer(EMPTY, {
      type: 'loaded',
      env: 'dev',
      pipelines: [newestFirst]
    });
    const jobs = update.state.byEnv.dev.pipelines[0].jobs;
    expect(jobs.map(j => j.name)).toEqual(['lint', 'regression', 'deploy']);
    const upserted = pipelineListReducer(update.state, {
      type: 'upsert',
      env: 'dev',
      pipeline: newestFirst
    });
    expect(upserted.state.byEnv.dev.pipelines[0].jobs.map(j => j.name)).toEqual(
      ['lint', 'regression', 'deploy']
    );
  });

  it('reports a pipeline the user started once, when it finishes', () => {
    let state: IPipelineListState = EMPTY;
    let update = pipelineListReducer(state, {
      type: 'upsert',
      env: 'dev',
      pipeline: pipeline(7),
      watch: true
    });
    state = update.state;
    expect(state.watched).toEqual({ 7: 'dev' });
    update = pipelineListReducer(state, {
      type: 'loaded',
      env: 'dev',
      pipelines: [
        pipeline(7, { status: 'running' }),
        pipeline(6, { status: 'success' })
      ]
    });
    expect(update.finished).toEqual([]); // 6 finished, but the user did not start it
    update = pipelineListReducer(update.state, {
      type: 'loaded',
      env: 'dev',
      pipelines: [
        pipeline(7, { status: 'failed' }),
        pipeline(6, { status: 'success' })
      ]
    });
    expect(update.finished.map(p => [p.id, p.status])).toEqual([[7, 'failed']]);
    expect(update.state.watched).toEqual({});
    const again = pipelineListReducer(update.state, {
      type: 'loaded',
      env: 'dev',
      pipelines: [pipeline(7, { status: 'failed' })]
    });
    expect(again.finished).toEqual([]);
  });

  it('watches the pipeline that a promoted commit started', () => {
    let update = pipelineListReducer(EMPTY, {
      type: 'promoted',
      promotion: promotion('abc')
    });
    update = pipelineListReducer(update.state, {
      type: 'loaded',
      env: 'dev',
      pipelines: [
        pipeline(3, { status: 'running', sha: 'abc' }),
        pipeline(2, { status: 'running' })
      ]
    });
    expect(update.state.watched).toEqual({ 3: 'dev' });
    update = pipelineListReducer(update.state, {
      type: 'loaded',
      env: 'dev',
      pipelines: [
        pipeline(3, { status: 'success', sha: 'abc' }),
        pipeline(2, { status: 'failed' })
      ]
    });
    expect(update.finished.map(p => p.id)).toEqual([3]);
    const { pipelines } = update.state.byEnv.dev;
    expect(
      pipelinesOfPromotion(update.state.promotions.dev[0], pipelines)
    ).toHaveLength(1);
  });

  it('keeps the last pipelines shown when a refresh fails, with the reason', () => {
    let update = pipelineListReducer(EMPTY, {
      type: 'loaded',
      env: 'dev',
      pipelines: [pipeline(1)]
    });
    update = pipelineListReducer(update.state, { type: 'loading', env: 'dev' });
    const error = new DataOpsApiError(
      'unreachable',
      'GitLab did not answer.',
      502
    );
    update = pipelineListReducer(update.state, {
      type: 'failed',
      env: 'dev',
      error
    });
    expect(update.state.byEnv.dev).toEqual({
      pipelines: [pipeline(1)],
      loading: false,
      error
    });
    expect(update.state.byEnv.dev.error?.message).toBe(
      'GitLab did not answer.'
    );
  });
});
