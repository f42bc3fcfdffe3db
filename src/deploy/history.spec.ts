import { IEnvironment, IHistoryEntry, IPromotion } from './api';
import { DataOpsApiError } from '../api/client';
import {
  historyFailed,
  historyLoaded,
  historyNotAsked,
  promotionRows
} from './history';
import { pipeline } from '../testing/fixtures';

function entry(n: number, extra: Partial<IHistoryEntry> = {}): IHistoryEntry {
  return {
    id: `e${n}`,
    time: `2026-11-26T10:0${n}:00+00:00`,
    environment: 'dev',
    branch: 'deploy/dev',
    author: 'ana',
    outcome: 'landed',
    commit_sha: `sha${n}`,
    commit_url: `http://gitlab/p/-/commit/sha${n}`,
    message: `Promotion ${n}\n\nPromoted by ana.`,
    reason: '',
    path: `nb${n}.ipynb`,
    files: [],
    merge_request: null,
    plan_id: `plan${n}`,
    pipeline_id: null,
    pipeline: null,
    ...extra
  };
}

function promoted(
  sha: string,
  at?: string,
  planId = `plan-${sha}`
): IPromotion {
  return {
    plan_id: planId,
    environment: 'dev',
    branch: 'deploy/dev',
    commit_sha: sha,
    commit_url: `http://gitlab/p/-/commit/${sha}`,
    files: [],
    user: 'ana',
    merge_request: null,
    audit: at
      ? { at, commit_message: 'Just now\nbody', source: 'x.ipynb' }
      : undefined
  };
}

describe('last promotions', () => {
  it('lists the history newest first with the first line of each message', () => {
    const rows = promotionRows([], [entry(3), entry(2), entry(1)], []);
    expect(rows.map(r => r.message)).toEqual([
      'Promotion 3',
      'Promotion 2',
      'Promotion 1'
    ]);
    expect(rows[0]).toMatchObject({
      author: 'ana',
      outcome: 'landed',
      commitSha: 'sha3',
      commitUrl: 'http://gitlab/p/-/commit/sha3',
      path: 'nb3.ipynb',
      recent: false
    });
  });

  it('shows a promotion made here before the history holds it, then only once', () => {
    const mine = promoted('sha9', '2026-11-26T10:09:00+00:00');
    const before = promotionRows([mine], [entry(2), entry(1)], []);
    expect(before.map(r => r.commitSha)).toEqual(['sha9', 'sha2', 'sha1']);
    expect(before[0]).toMatchObject({
      recent: true,
      message: 'Just now',
      path: 'x.ipynb'
    });

    const reloaded = [entry(9), entry(2), entry(1)];
    const after = promotionRows([mine], reloaded, []);
    expect(after.map(r => r.commitSha)).toEqual(['sha9', 'sha2', 'sha1']);
    expect(after[0].recent).toBe(false);
  });

  it('matches a session promotion to its record by plan id too', () => {
    const mine = promoted('other-sha', undefined, 'plan4');
    const rows = promotionRows([mine], [entry(4)], []);
    expect(rows).toHaveLength(1);
  });

  it('puts a promotion without a recorded time first', () => {
    const rows = promotionRows([promoted('shaX')], [entry(5)], []);
    expect(rows.map(r => r.commitSha)).toEqual(['shaX', 'sha5']);
  });

  it('takes the freshest pipeline of each commit', () => {
    const withOld = entry(1, {
      pipeline: pipeline(7, { sha: 'sha1', status: 'running' })
    });
    // the polled list has the same pipeline, finished since the history was loaded
    let rows = promotionRows(
      [],
      [withOld],
      [pipeline(7, { sha: 'sha1', status: 'success' })]
    );
    expect(rows[0].pipeline?.status).toBe('success');
    // a pipeline no longer among the polled ones keeps the history's status
    rows = promotionRows([], [withOld], [pipeline(8, { sha: 'other' })]);
    expect(rows[0].pipeline?.status).toBe('running');
    // a retried pipeline of the same commit (newer id) wins
    rows = promotionRows(
      [],
      [withOld],
      [pipeline(9, { sha: 'sha1', status: 'pending' })]
    );
    expect(rows[0].pipeline?.id).toBe(9);
    // a session promotion gets its pipeline from the polled list
    rows = promotionRows(
      [promoted('sha2')],
      [],
      [pipeline(10, { sha: 'sha2' })]
    );
    expect(rows[0].pipeline?.id).toBe(10);
  });

  it('keeps failed attempts with their reason and no pipeline', () => {
    const blocked = entry(6, {
      outcome: 'blocked_by_secrets',
      commit_sha: null,
      commit_url: null,
      reason: '1 possible secret(s) found'
    });
    const [row] = promotionRows([], [blocked], [pipeline(1, { sha: 'sha6' })]);
    expect(row).toMatchObject({
      outcome: 'blocked_by_secrets',
      reason: '1 possible secret(s) found',
      pipeline: null
    });
  });

  it('shows at most the limit', () => {
    const many = Array.from({ length: 9 }, (_, i) => entry(9 - i));
    expect(promotionRows([promoted('new')], many, [], 5)).toHaveLength(5);
  });

  it('keeps the notes of the server reply', () => {
    const state = historyLoaded({
      environment: 'dev',
      limit: 10,
      entries: [entry(1)],
      torn_last_line: true,
      pipelines_error: 'GitLab is down',
      hidden_environments: []
    });
    expect(state).toMatchObject({
      loading: false,
      error: null,
      torn: true,
      pipelinesError: 'GitLab is down'
    });
  });

  it('hides a history the server refuses with its reason, keeps entries on other errors', () => {
    const loaded = historyLoaded({
      environment: 'dev',
      limit: 10,
      entries: [entry(1)],
      torn_last_line: false,
      pipelines_error: null,
      hidden_environments: []
    });
    const refused = new DataOpsApiError(
      'forbidden',
      'Only rita may see the promotions to prod; ana may not.',
      403
    );
    expect(historyFailed(loaded, refused)).toMatchObject({
      entries: [],
      hidden: 'Only rita may see the promotions to prod; ana may not.',
      error: null
    });
    const down = new DataOpsApiError('unreachable', 'Server gone', 0);
    expect(historyFailed(loaded, down)).toMatchObject({
      entries: [entry(1)],
      hidden: null,
      error: down,
      loading: false
    });
    expect(historyFailed(loaded, down).error?.message).toBe('Server gone');
  });

  it('does not ask for a history the environments answer says the user may not see', () => {
    const prod: IEnvironment = {
      id: 'prod',
      label: 'Production',
      branch: 'deploy/prod',
      target: 'gitlab',
      gitlab_project: 'stats/deployment',
      protected: true,
      folders: {},
      may_promote: false,
      reason: 'Only rita may promote to prod; ana may not.',
      may_see_history: false,
      history_reason: 'Only rita may see the promotions to prod; ana may not.'
    };
    expect(historyNotAsked(prod)).toEqual({
      entries: [],
      loading: false,
      error: null,
      hidden: 'Only rita may see the promotions to prod; ana may not.',
      torn: false,
      pipelinesError: null
    });
    expect(historyNotAsked({ ...prod, may_see_history: true })).toBeNull();
    // an environment the promotion side does not know is asked (the server says why not)
    expect(historyNotAsked(null)).toBeNull();
  });

  it('links a commit only when its address is a web page', () => {
    const rows = promotionRows(
      [promoted('s9', undefined)].map(p => ({
        ...p,
        commit_url: 'javascript:alert(document.domain)'
      })),
      [
        entry(2, { commit_url: 'JavaScript:alert(1)' }),
        entry(1, { commit_url: 'https://gitlab.example/p/-/commit/sha1' })
      ],
      []
    );
    expect(rows.map(r => r.commitUrl)).toEqual([
      null,
      null,
      'https://gitlab.example/p/-/commit/sha1'
    ]);
  });
});
