import { DataOpsApiError } from '../api/client';
import {
  IActivity,
  IIncident,
  ILogRecord,
  IRun,
  IVariable,
  RunStatus
} from './api';
import { StreamState } from './stream';

/** Everything the run view shows except the log lines. */
export interface IRunState {
  run: IRun | null;
  activities: IActivity[];
  incidents: IIncident[];
  variables: IVariable[];
  connection: StreamState;
  /** The engine's or server's last complaint, shown above the view until things work again. */
  error: DataOpsApiError | null;
  /** The BPMN XML of the run's definition, once read. */
  diagramXml: string | null;
  /** Why the definition's diagram could not be read. */
  diagramError: DataOpsApiError | null;
  /** `seq` of the last engine event seen: details are re-read when it moves. */
  lastEventSeq: number;
}

/** What can happen to a run view. */
export type RunAction =
  | { type: 'run'; run: IRun }
  | { type: 'details'; activities: IActivity[]; incidents: IIncident[] }
  | { type: 'variables'; variables: IVariable[] }
  | { type: 'records'; records: readonly ILogRecord[] }
  | { type: 'connection'; state: StreamState }
  | { type: 'error'; error: DataOpsApiError }
  | { type: 'diagram'; xml: string }
  | { type: 'diagramError'; error: DataOpsApiError };

/** The state of a view that knows nothing yet. */
export const INITIAL_RUN_STATE: IRunState = {
  run: null,
  activities: [],
  incidents: [],
  variables: [],
  connection: 'connecting',
  error: null,
  diagramXml: null,
  diagramError: null,
  lastEventSeq: 0
};

/** Statuses after which nothing happens by itself any more. */
export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'cancelled'];

/** True when the run needs nobody and will not change by itself. */
export function isFinal(status: RunStatus | undefined): boolean {
  return status !== undefined && FINAL_STATUSES.includes(status);
}

/** Apply one action; returns the same object when nothing changed. */
export function reduceRun(state: IRunState, action: RunAction): IRunState {
  switch (action.type) {
    case 'run':
      // A fresh status proves the engine answers: its last error is gone.
      return { ...state, run: action.run, error: null };
    case 'details':
      return {
        ...state,
        activities: action.activities,
        incidents: action.incidents
      };
    case 'variables':
      return { ...state, variables: action.variables };
    case 'records': {
      let last = state.lastEventSeq;
      for (const r of action.records) {
        if (r.kind === 'event' && r.seq > last) {
          last = r.seq;
        }
      }
      return last === state.lastEventSeq
        ? state
        : { ...state, lastEventSeq: last };
    }
    case 'connection':
      return action.state === state.connection
        ? state
        : { ...state, connection: action.state };
    case 'error':
      return { ...state, error: action.error };
    case 'diagram':
      return { ...state, diagramXml: action.xml, diagramError: null };
    case 'diagramError':
      return { ...state, diagramError: action.error };
  }
}

/** How an activity looks on the diagram. */
export type Marker = 'completed' | 'running' | 'failed' | 'cancelled';

/** Diagram state per BPMN element id, plus open incidents per element. */
export interface IDiagramState {
  markers: Record<string, Marker>;
  incidents: Record<string, number>;
}

/**
 * Where the run stands on its diagram: an element is running while one of its
 * instances is open, failed while it has an open incident, else completed (or
 * cancelled when its only instances were cancelled).
 */
export function diagramState(state: IRunState): IDiagramState {
  const markers: Record<string, Marker> = {};
  const runOver = isFinal(state.run?.status);
  for (const a of state.activities) {
    const current = markers[a.activity_id];
    let marker: Marker;
    if (!a.ended_at) {
      marker = runOver ? 'cancelled' : 'running';
    } else {
      marker = a.cancelled ? 'cancelled' : 'completed';
    }
    if (
      current === 'running' ||
      (current === 'completed' && marker === 'cancelled')
    ) {
      continue;
    }
    markers[a.activity_id] = marker;
  }
  const incidents: Record<string, number> = {};
  for (const i of state.incidents) {
    if (i.state === 'open') {
      incidents[i.activity_id] = (incidents[i.activity_id] ?? 0) + 1;
      markers[i.activity_id] = 'failed';
    }
  }
  return { markers, incidents };
}
