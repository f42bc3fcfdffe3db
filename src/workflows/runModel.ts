import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { API_NAMESPACE, asApiError, DataOpsApiError } from '../api/client';
import {
  cancelRun,
  currentWorkflowEnvironment,
  fetchDefinitionXml,
  fetchIncidents,
  fetchRun,
  fetchTimeline,
  fetchVariables,
  ILogRecord,
  IRun,
  retryRun
} from './api';
import { LogBuffer } from './logBuffer';
import { INITIAL_RUN_STATE, IRunState, reduceRun, RunAction } from './runState';
import { ISocket, OffsetStream } from './stream';

/** A message of the run stream (see docs/openapi-workflows.yaml). */
export type StreamMessage =
  | { type: 'records'; records: ILogRecord[]; next_offset: number }
  | { type: 'status'; run: IRun }
  | { type: 'error'; error: string; message: string };

/** The WebSocket URL of a run's stream, resuming after `offset`. */
export function streamUrl(
  runId: string,
  offset: number,
  settings: ServerConnection.ISettings
): string {
  const path = URLExt.join(
    settings.wsUrl,
    API_NAMESPACE,
    'workflows/runs',
    encodeURIComponent(runId),
    'stream'
  );
  const query: Record<string, string> = { offset: String(offset) };
  const env = currentWorkflowEnvironment();
  if (env) {
    query.env = env.id;
  }
  if (settings.token) {
    query.token = settings.token;
  }
  return path + URLExt.objectToQueryString(query);
}

/** Options of `RunModel` (tests pass a socket factory). */
export interface IRunModelOptions {
  runId: string;
  settings?: ServerConnection.ISettings;
  createSocket?: (url: string) => ISocket;
}

/** One run's live state and log, fed by its stream; the run view renders it. */
export class RunModel {
  constructor(options: IRunModelOptions) {
    this.runId = options.runId;
    this._settings = options.settings ?? ServerConnection.makeSettings();
    this.log = new LogBuffer();
    this._stream = new OffsetStream<StreamMessage>({
      url: offset => streamUrl(this.runId, offset, this._settings),
      offset: () => this.log.offset,
      onMessage: message => this.handle(message),
      onState: state => this.dispatch({ type: 'connection', state }),
      createSocket: options.createSocket
    });
  }

  readonly runId: string;
  /** The log lines received so far. */
  readonly log: LogBuffer;

  /** Current state. */
  get state(): IRunState {
    return this._state;
  }

  /** Emitted when `state` changes. */
  get changed(): ISignal<this, IRunState> {
    return this._changed;
  }

  /** Connect the stream and read the details. */
  start(): void {
    this._stream.start();
    void this.refreshDetails();
  }

  /** Apply one stream message. */
  handle(message: StreamMessage): void {
    if (message.type === 'records') {
      this.log.append(message.records);
      const before = this._state.lastEventSeq;
      this.dispatch({ type: 'records', records: message.records });
      if (this._state.lastEventSeq !== before) {
        this._scheduleDetails();
      }
    } else if (message.type === 'status') {
      const previous = this._state.run?.status;
      this.dispatch({ type: 'run', run: message.run });
      if (previous !== message.run.status) {
        this._scheduleDetails();
      }
    } else if (message.type === 'error') {
      this.dispatch({
        type: 'error',
        error: new DataOpsApiError(message.error, message.message, 0)
      });
    }
  }

  /** Re-read run, timeline, incidents and variables. */
  async refreshDetails(): Promise<void> {
    const s = this._settings;
    try {
      const [run, activities, incidents, variables] = await Promise.all([
        fetchRun(this.runId, s),
        fetchTimeline(this.runId, s),
        fetchIncidents(this.runId, s),
        fetchVariables(this.runId, s)
      ]);
      if (this._disposed) {
        return;
      }
      this.dispatch({ type: 'run', run });
      this.dispatch({ type: 'details', activities, incidents });
      this.dispatch({ type: 'variables', variables });
    } catch (error) {
      this.dispatch({ type: 'error', error: asApiError(error) });
    }
  }

  /** Retry the failed steps (or one incident's); returns how many were retried. */
  async retry(incidentId?: string): Promise<number> {
    const n = await retryRun(this.runId, incidentId, this._settings);
    await this.refreshDetails();
    return n;
  }

  /** Cancel the run. */
  async cancel(reason: string): Promise<void> {
    await cancelRun(this.runId, reason, this._settings);
    await this.refreshDetails();
  }

  /** Reconnect the stream at once (the "Reconnect" button after a drop). */
  reconnect(): void {
    this._stream.reconnectNow();
  }

  /** Close the stream. */
  dispose(): void {
    this._disposed = true;
    if (this._detailsTimer) {
      clearTimeout(this._detailsTimer);
    }
    this._stream.dispose();
  }

  private dispatch(action: RunAction): void {
    const next = reduceRun(this._state, action);
    if (next !== this._state) {
      this._state = next;
      this._changed.emit(next);
    }
    if (action.type === 'run') {
      this._loadDiagram(action.run.definition_id);
    }
  }

  /** Read the definition's diagram once, when the run first names its definition. */
  private _loadDiagram(definitionId: string | null | undefined): void {
    if (!definitionId || this._diagramFor === definitionId) {
      return;
    }
    this._diagramFor = definitionId;
    fetchDefinitionXml(definitionId, this._settings).then(
      xml => !this._disposed && this.dispatch({ type: 'diagram', xml }),
      error =>
        !this._disposed &&
        this.dispatch({ type: 'diagramError', error: asApiError(error) })
    );
  }

  /** Engine events arrive in bursts: read the details once per burst. */
  private _scheduleDetails(): void {
    if (this._detailsTimer || this._disposed) {
      return;
    }
    this._detailsTimer = setTimeout(() => {
      this._detailsTimer = null;
      void this.refreshDetails();
    }, 300);
  }

  private _settings: ServerConnection.ISettings;
  private _stream: OffsetStream<StreamMessage>;
  private _state: IRunState = INITIAL_RUN_STATE;
  private _changed = new Signal<this, IRunState>(this);
  private _detailsTimer: ReturnType<typeof setTimeout> | null = null;
  private _disposed = false;
  private _diagramFor: string | null = null;
}
