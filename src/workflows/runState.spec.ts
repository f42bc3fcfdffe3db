import { DataOpsApiError } from '../api/client';
import { IActivity, IIncident, ILogRecord, IRun } from './api';
import { diagramState, INITIAL_RUN_STATE, reduceRun } from './runState';

const run = (status: IRun['status']): IRun => ({
  id: 'r1',
  definition_id: 'p:1:x',
  definition_key: 'p',
  status,
  business_key: null,
  definition_name: 'P',
  definition_version: 1,
  started_at: '2026-11-26T10:00:00Z',
  ended_at: null,
  duration: null,
  end_activity_id: null
});

const act = (id: string, ended: boolean, cancelled = false): IActivity => ({
  id: `${id}-i`,
  activity_id: id,
  name: id,
  type: 'serviceTask',
  run_id: 'r1',
  started_at: '2026-11-26T10:00:00Z',
  ended_at: ended ? '2026-11-26T10:00:02Z' : null,
  duration: ended ? 2 : null,
  cancelled
});

const incident = (activity: string, state: IIncident['state']): IIncident => ({
  id: `inc-${activity}`,
  run_id: 'r1',
  activity_id: activity,
  type: 'failedExternalTask',
  message: 'boom',
  created_at: null,
  state,
  ended_at: null,
  definition_id: 'p:1:x',
  task_id: null,
  details: 'Traceback…'
});

const event = (seq: number): ILogRecord => ({
  seq,
  run_id: 'r1',
  timestamp: '',
  level: 'INFO',
  message: '',
  kind: 'event',
  source: 'engine',
  event: 'activity_started'
});

describe('reduceRun', () => {
  it('takes a status and clears the last engine error', () => {
    let s = reduceRun(INITIAL_RUN_STATE, {
      type: 'error',
      error: new DataOpsApiError(
        'engine_unreachable',
        'The engine is unreachable.',
        503
      )
    });
    expect(s.error?.message).toBe('The engine is unreachable.');
    expect(s.error?.code).toBe('engine_unreachable');
    s = reduceRun(s, { type: 'run', run: run('running') });
    expect(s.run?.status).toBe('running');
    expect(s.error).toBeNull();
  });

  it('notes the last engine event and ignores plain log lines', () => {
    const log = { ...event(7), kind: 'log' as const };
    const same = reduceRun(INITIAL_RUN_STATE, {
      type: 'records',
      records: [log]
    });
    expect(same).toBe(INITIAL_RUN_STATE);
    const s = reduceRun(INITIAL_RUN_STATE, {
      type: 'records',
      records: [event(3), log]
    });
    expect(s.lastEventSeq).toBe(3);
  });

  it('keeps the same object when the connection state does not change', () => {
    const s = reduceRun(INITIAL_RUN_STATE, {
      type: 'connection',
      state: 'connecting'
    });
    expect(s).toBe(INITIAL_RUN_STATE);
    expect(reduceRun(s, { type: 'connection', state: 'open' }).connection).toBe(
      'open'
    );
  });
});

describe('diagramState', () => {
  it('marks finished activities completed and open ones running', () => {
    let s = reduceRun(INITIAL_RUN_STATE, { type: 'run', run: run('running') });
    s = reduceRun(s, {
      type: 'details',
      activities: [
        act('start', true),
        act('fetch', true),
        act('validate', false)
      ],
      incidents: []
    });
    expect(diagramState(s).markers).toEqual({
      start: 'completed',
      fetch: 'completed',
      validate: 'running'
    });
  });

  it('marks a step with an open incident failed and counts its incidents', () => {
    let s = reduceRun(INITIAL_RUN_STATE, { type: 'run', run: run('incident') });
    s = reduceRun(s, {
      type: 'details',
      activities: [act('fetch', true), act('check', false)],
      incidents: [incident('check', 'open'), incident('fetch', 'resolved')]
    });
    const d = diagramState(s);
    expect(d.markers.check).toBe('failed');
    expect(d.markers.fetch).toBe('completed');
    expect(d.incidents).toEqual({ check: 1 });
  });

  it('shows the steps a cancelled run was in as cancelled, not running', () => {
    let s = reduceRun(INITIAL_RUN_STATE, {
      type: 'run',
      run: run('cancelled')
    });
    s = reduceRun(s, {
      type: 'details',
      activities: [
        act('fetch', true),
        act('long', false),
        act('other', true, true)
      ],
      incidents: []
    });
    expect(diagramState(s).markers).toEqual({
      fetch: 'completed',
      long: 'cancelled',
      other: 'cancelled'
    });
  });

  it('keeps an activity running while one of its instances is open (loops)', () => {
    let s = reduceRun(INITIAL_RUN_STATE, { type: 'run', run: run('running') });
    s = reduceRun(s, {
      type: 'details',
      activities: [act('loop', true), act('loop', false), act('loop', true)],
      incidents: []
    });
    expect(diagramState(s).markers.loop).toBe('running');
  });
});
