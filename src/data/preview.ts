import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import { fetchData, IPeriod } from './api';
import { decodePreview, IPreview } from './arrow';

/** Where a preview stands. */
export type PreviewState =
  | { kind: 'idle' }
  | { kind: 'loading'; bytes: number; started: number }
  | { kind: 'ready'; preview: IPreview; elapsedMs: number }
  | { kind: 'error'; error: DataOpsApiError }
  | { kind: 'cancelled' };

/** What to preview. */
export interface IPreviewRequest extends IPeriod {
  source: string;
  flow: string;
  key: string;
  limit: number;
  /** A store source's vintage; empty or absent: the latest. */
  asOf?: string;
}

/** Runs one preview at a time; a new one or `cancel` aborts the request on its way. */
export class PreviewRunner {
  constructor(private readonly settings?: ServerConnection.ISettings) {}

  /** Emitted on every state change (and as bytes arrive). */
  get changed(): ISignal<this, PreviewState> {
    return this._changed;
  }

  /** The current state. */
  get state(): PreviewState {
    return this._state;
  }

  /** The request of the current or last preview. */
  get request(): IPreviewRequest | null {
    return this._request;
  }

  /** Fetch and decode the preview of `request`. */
  async run(request: IPreviewRequest): Promise<void> {
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    this._request = request;
    const started = Date.now();
    this.set({ kind: 'loading', bytes: 0, started });
    try {
      const bytes = await fetchData(
        request.source,
        request.flow,
        request.key,
        {
          ...request,
          signal: controller.signal,
          onProgress: received => {
            if (this._controller === controller) {
              this.set({ kind: 'loading', bytes: received, started });
            }
          }
        },
        this.settings
      );
      if (this._controller !== controller) {
        return;
      }
      const preview = decodePreview(bytes);
      this.set({ kind: 'ready', preview, elapsedMs: Date.now() - started });
    } catch (error) {
      if (this._controller !== controller) {
        return;
      }
      // An aborted fetch surfaces as a network failure; it was the user's choice.
      this.set(
        controller.signal.aborted
          ? { kind: 'cancelled' }
          : { kind: 'error', error: asApiError(error) }
      );
    } finally {
      if (this._controller === controller) {
        this._controller = null;
      }
    }
  }

  /** Abort the preview on its way, if any. */
  cancel(): void {
    const controller = this._controller;
    if (controller) {
      this._controller = null;
      controller.abort();
      this.set({ kind: 'cancelled' });
    }
  }

  /** Forget the last preview (the selection changed to another flow). */
  reset(): void {
    this._controller?.abort();
    this._controller = null;
    this._request = null;
    this.set({ kind: 'idle' });
  }

  private set(state: PreviewState): void {
    this._state = state;
    this._changed.emit(state);
  }

  private _controller: AbortController | null = null;
  private _request: IPreviewRequest | null = null;
  private _state: PreviewState = { kind: 'idle' };
  private _changed = new Signal<this, PreviewState>(this);
}
