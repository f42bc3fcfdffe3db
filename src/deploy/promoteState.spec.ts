import { DataOpsApiError } from '../api/client';
import { IEnvironment, IPlan, IPromotion } from './api';
import {
  blocker,
  canGo,
  initialState,
  IPromoteState,
  PromoteAction,
  planRequest,
  promoteReducer,
  proposedDestination
} from './promoteState';

function env(id: string, may = true, reason = ''): IEnvironment {
  return {
    id,
    label: id,
    branch: `deploy/${id}`,
    target: 'gitlab',
    gitlab_project: 'stats/deployment',
    protected: id === 'prod',
    folders: {},
    may_promote: may,
    reason,
    may_see_history: may,
    history_reason: may ? '' : reason
  };
}

function plan(overrides: Partial<IPlan> = {}): IPlan {
  return {
    plan_id: 'a'.repeat(32),
    environment: 'dev',
    branch: 'deploy/dev',
    base_commit: 'abc',
    mode: 'commit',
    review_branch: '',
    source: 'nowcast.ipynb',
    files: [
      {
        source: 'nowcast.ipynb',
        destination: 'notebooks/nowcast.ipynb',
        kind: 'notebook',
        size: 10,
        status: 'new',
        diff: { status: 'new', lines: [], cells: [] }
      }
    ],
    scan: { clean: true, scanned: ['nowcast.ipynb'], findings: [] },
    changed: true,
    can_submit: true,
    default_message: 'Promote nowcast.ipynb to dev',
    user: 'ana',
    created_at: '2026-11-26T10:00:00+00:00',
    ...overrides
  };
}

const ENVS = [
  env('dev'),
  env('test'),
  env('prod', false, 'Only rita may promote to prod.')
];

function run(
  actions: PromoteAction[],
  start = initialState('nowcast.ipynb')
): IPromoteState {
  return actions.reduce(promoteReducer, start);
}

const loaded: PromoteAction = {
  type: 'environments-loaded',
  user: 'ana',
  environments: ENVS
};

describe('the Promote dialog state machine', () => {
  it('refuses an environment the user may not promote to', () => {
    const state = run([loaded, { type: 'select-environment', envId: 'prod' }]);
    expect(state.envId).toBeNull();
    expect(canGo(state, 'files')).toBe(false);
    expect(blocker(state, 'environment')).toMatch(/Choose an environment/);
  });

  it('preselects the only environment the user may promote to', () => {
    const state = run([
      {
        type: 'environments-loaded',
        user: 'ana',
        environments: [env('dev'), ENVS[2]]
      }
    ]);
    expect(state.envId).toBe('dev');
    // nothing to choose: its review, once ready, shows the files
    const reviewed = promoteReducer(state, {
      type: 'plan-loaded',
      plan: plan()
    });
    expect(reviewed.step).toBe('files');
  });

  it('waits on the chosen environment for the user to go on once the review arrived, and prefills the message', () => {
    const chosen = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-requested' },
      { type: 'plan-loaded', plan: plan() }
    ]);
    // a mis-click on another environment is seen before anything goes on
    expect(chosen.step).toBe('environment');
    expect(canGo(chosen, 'files')).toBe(true);
    const state = promoteReducer(chosen, { type: 'go', step: 'files' });
    expect(state.step).toBe('files');
    expect(state.message).toBe('Promote nowcast.ipynb to dev');
    expect(canGo(state, 'review')).toBe(true);
    expect(canGo(state, 'commit')).toBe(true);
  });

  it('needs a new review after a destination was edited', () => {
    const base = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-loaded', plan: plan() }
    ]);
    const file = base.plan!.files[0];
    const edited = promoteReducer(base, {
      type: 'edit-destination',
      proposed: proposedDestination(base, file),
      destination: 'nowcasting/nowcast.ipynb'
    });
    expect(edited.planStale).toBe(true);
    expect(canGo(edited, 'review')).toBe(false);
    expect(planRequest(edited).destinations).toEqual({
      'notebooks/nowcast.ipynb': 'nowcasting/nowcast.ipynb'
    });
    // the server answers with the edited destination; its proposed one is still known
    const replanned = promoteReducer(edited, {
      type: 'plan-loaded',
      plan: plan({
        files: [{ ...file, destination: 'nowcasting/nowcast.ipynb' }]
      })
    });
    expect(replanned.planStale).toBe(false);
    expect(proposedDestination(replanned, replanned.plan!.files[0])).toBe(
      'notebooks/nowcast.ipynb'
    );
    // editing back to the proposed destination drops the edit
    const back = promoteReducer(replanned, {
      type: 'edit-destination',
      proposed: 'notebooks/nowcast.ipynb',
      destination: 'notebooks/nowcast.ipynb'
    });
    expect(back.edits).toEqual({});
  });

  it('blocks the commit while the scan has findings', () => {
    const finding = {
      file: 'nowcast.ipynb',
      kind: 'AWS Access Key',
      line: 2,
      cell: 3,
      part: 'source',
      secret_hash: 'h',
      preview: 'AK…(20)',
      message: 'nowcast.ipynb, cell 3 (source), line 2: AWS Access Key'
    };
    const state = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      {
        type: 'plan-loaded',
        plan: plan({
          scan: { clean: false, scanned: [], findings: [finding] },
          can_submit: false
        })
      },
      { type: 'go', step: 'review' },
      { type: 'go', step: 'commit' }
    ]);
    expect(state.step).toBe('review');
    expect(blocker(state, 'review')).toMatch(/secrets/);
    expect(promoteReducer(state, { type: 'submit-requested' })).toBe(state);
  });

  it('keeps a message the user wrote when the review is made again', () => {
    const state = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-loaded', plan: plan() },
      { type: 'set-message', message: 'Revised weights' },
      { type: 'plan-loaded', plan: plan({ plan_id: 'b'.repeat(32) }) }
    ]);
    expect(state.message).toBe('Revised weights');
  });

  it('sends the user back to the review when the branch moved', () => {
    const state = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-loaded', plan: plan() },
      { type: 'go', step: 'review' },
      { type: 'go', step: 'commit' },
      { type: 'submit-requested' },
      {
        type: 'failed',
        error: new DataOpsApiError(
          'conflict',
          'deploy/dev moved since your review.',
          409
        )
      }
    ]);
    expect(state.step).toBe('review');
    expect(state.planStale).toBe(true);
    expect(state.error?.message).toMatch(/moved/);
    expect(canGo(state, 'commit')).toBe(false);
  });

  it('ends with the promotion and its merge request', () => {
    const promotion: IPromotion = {
      plan_id: 'a'.repeat(32),
      environment: 'prod',
      branch: 'promote/prod/nowcast',
      commit_sha: 'f'.repeat(40),
      commit_url: 'https://gitlab/x/-/commit/f',
      files: ['notebooks/nowcast.ipynb'],
      user: 'ana',
      merge_request: {
        iid: 4,
        title: 't',
        state: 'opened',
        web_url: 'https://gitlab/x/-/merge_requests/4',
        source_branch: 'promote/prod/nowcast',
        target_branch: 'deploy/prod',
        mergeable: true,
        merge_status: 'can_be_merged',
        has_conflicts: false,
        sha: 'f',
        approvals: { required: 1, approved_by: [], approved: false }
      }
    };
    const state = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-loaded', plan: plan() },
      { type: 'go', step: 'commit' },
      { type: 'submit-requested' },
      { type: 'submitted', promotion }
    ]);
    expect(state.step).toBe('done');
    expect(state.mergeRequest?.state).toBe('opened');
    const merged = promoteReducer(state, {
      type: 'merge-request-loaded',
      mergeRequest: { ...promotion.merge_request!, state: 'merged' }
    });
    expect(merged.mergeRequest?.state).toBe('merged');
    expect(canGo(merged, 'environment')).toBe(false);
  });

  it('adds an extra file once and never the promoted file itself', () => {
    const state = run([
      { type: 'add-file', path: '/helpers/weights.csv' },
      { type: 'add-file', path: 'helpers/weights.csv' },
      { type: 'add-file', path: 'nowcast.ipynb' }
    ]);
    expect(state.extraFiles).toEqual(['helpers/weights.csv']);
    const removed = promoteReducer(state, {
      type: 'remove-file',
      path: 'helpers/weights.csv'
    });
    expect(removed.extraFiles).toEqual([]);
  });
});

describe('the Promote dialog publishing a dashboard', () => {
  it('moves the reviewed files under dashboards/<name>/ and asks for a new review', () => {
    const app = {
      name: 'rates',
      folder: 'work/rates',
      main: 'work/rates/app.R'
    };
    const start = initialState('work/rates/app.R', app, [
      'work/rates/app.R',
      'work/rates/www/style.css'
    ]);
    expect(start.extraFiles).toEqual(['work/rates/www/style.css']);
    const first = plan({
      source: 'work/rates/app.R',
      files: [
        {
          ...plan().files[0],
          source: 'work/rates/app.R',
          destination: 'steps/app.R'
        },
        {
          ...plan().files[0],
          source: 'work/rates/www/style.css',
          destination: 'steps/style.css'
        }
      ]
    });
    const state = run(
      [
        loaded,
        { type: 'select-environment', envId: 'dev' },
        { type: 'plan-loaded', plan: first }
      ],
      start
    );
    expect(state.planStale).toBe(true);
    expect(planRequest(state).destinations).toEqual({
      'steps/app.R': 'dashboards/rates/app.R',
      'steps/style.css': 'dashboards/rates/www/style.css'
    });
    const moved = plan({
      files: first.files.map(f => ({
        ...f,
        destination: planRequest(state).destinations![f.destination]
      }))
    });
    const again = promoteReducer(state, { type: 'plan-loaded', plan: moved });
    expect(again.planStale).toBe(false);
    expect(again.edits).toEqual(state.edits);
  });

  it('leaves an ordinary promotion where the review proposes', () => {
    const state = run([
      loaded,
      { type: 'select-environment', envId: 'dev' },
      { type: 'plan-loaded', plan: plan() }
    ]);
    expect(state.planStale).toBe(false);
    expect(state.edits).toEqual({});
  });
});
