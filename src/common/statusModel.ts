import { ServerConnection } from '@jupyterlab/services';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataOpsApiError } from '../api/client';
import { fetchStatus, IStatusReply } from '../api/status';

/** The status the panels show: loading, loaded, or the reason it failed. */
export type StatusState =
  | { kind: 'loading' }
  | { kind: 'ready'; reply: IStatusReply }
  | { kind: 'failed'; error: DataOpsApiError };

/** Holds the server extension's status; panels re-render on `changed`. */
export class StatusModel {
  constructor(private readonly settings?: ServerConnection.ISettings) {}

  /** Current state. */
  get state(): StatusState {
    return this._state;
  }

  /** Emitted whenever `state` changes. */
  get changed(): ISignal<this, StatusState> {
    return this._changed;
  }

  /** Ask the server again; failures become a `failed` state, never a throw. */
  async refresh(): Promise<void> {
    if (this._state.kind !== 'ready') {
      this.set({ kind: 'loading' });
    }
    try {
      this.set({ kind: 'ready', reply: await fetchStatus(this.settings) });
    } catch (error) {
      const apiError =
        error instanceof DataOpsApiError
          ? error
          : new DataOpsApiError('internal_error', String(error), 0);
      this.set({ kind: 'failed', error: apiError });
    }
  }

  /** Refresh every `seconds` (0 stops), pausing while the page is hidden. */
  setRefreshInterval(seconds: number): void {
    this._poll?.dispose();
    this._poll = null;
    if (seconds > 0) {
      this._poll = new Poll({
        factory: () => this.refresh(),
        frequency: {
          interval: seconds * 1000,
          backoff: true,
          max: seconds * 10000
        },
        standby: 'when-hidden',
        name: 'dataops:status'
      });
    }
  }

  /** Stop refreshing. */
  dispose(): void {
    this._poll?.dispose();
    this._poll = null;
  }

  private set(state: StatusState): void {
    this._state = state;
    this._changed.emit(state);
  }

  private _poll: Poll | null = null;
  private _state: StatusState = { kind: 'loading' };
  private _changed = new Signal<this, StatusState>(this);
}
