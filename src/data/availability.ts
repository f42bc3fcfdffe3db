import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import { fetchAvailability, IAvailability, ISource, IStructure } from './api';
import { availabilityQueries, ICascade, mergeAvailability } from './cascade';
import { Selections } from './key';

/** The availability narrowing: off (provider cannot), on its way, there, or failed. */
export type CascadeState =
  | { kind: 'idle' }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'loading'; previous: ICascade | null }
  | { kind: 'ready'; cascade: ICascade }
  | { kind: 'error'; error: DataOpsApiError };

/**
 * Asks the provider which codes still have data as the choices change: a short
 * delay gathers quick clicks into one round, and a new round aborts the old one.
 */
export class AvailabilityRunner {
  constructor(
    private readonly settings?: ServerConnection.ISettings,
    private readonly delay = 250
  ) {}

  /** Emitted on every state change. */
  get changed(): ISignal<this, CascadeState> {
    return this._changed;
  }

  /** The current narrowing. */
  get state(): CascadeState {
    return this._state;
  }

  /** Ask again for `selections` after `delay` ms (nothing to ask without source or structure). */
  schedule(
    source: ISource | null,
    structure: IStructure | null,
    selections: Selections,
    delay = this.delay
  ): void {
    this.stop();
    if (!source || !structure) {
      return;
    }
    if (!source.availability) {
      const reason = `${source.name} does not tell which codes have data; all codes are listed.`;
      this.set({ kind: 'unsupported', reason });
      return;
    }
    const previous = this._state.kind === 'ready' ? this._state.cascade : null;
    this.set({ kind: 'loading', previous });
    this._timer = setTimeout(
      () => void this.load(source.id, structure, selections),
      delay
    );
  }

  /** Forget the narrowing (another source or flow). */
  reset(): void {
    this.stop();
    this.set({ kind: 'idle' });
  }

  private stop(): void {
    clearTimeout(this._timer);
    this._controller?.abort();
    this._controller = null;
  }

  private async load(
    source: string,
    structure: IStructure,
    selections: Selections
  ): Promise<void> {
    const controller = new AbortController();
    this._controller = controller;
    const queries = availabilityQueries(structure.dimensions, selections);
    const flow = structure.dataflow.id;
    try {
      const answers = await Promise.all(
        queries.map(q =>
          fetchAvailability(
            source,
            flow,
            q.key,
            this.settings,
            controller.signal
          ).catch(error => {
            // No series under this key: none of its codes has data.
            if (asApiError(error).code === 'no_data') {
              return noAvailability(q.key, q.dimensions);
            }
            throw error;
          })
        )
      );
      if (!controller.signal.aborted) {
        const cascade = mergeAvailability(
          structure.dimensions,
          queries,
          answers
        );
        this.set({ kind: 'ready', cascade });
      }
    } catch (error) {
      if (controller.signal.aborted) {
        return;
      }
      const apiError = asApiError(error);
      this.set(
        apiError.code === 'not_implemented'
          ? { kind: 'unsupported', reason: apiError.message }
          : { kind: 'error', error: apiError }
      );
    }
  }

  private set(state: CascadeState): void {
    this._state = state;
    this._changed.emit(state);
  }

  private _state: CascadeState = { kind: 'idle' };
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _controller: AbortController | null = null;
  private _changed = new Signal<this, CascadeState>(this);
}

/** The answer for a key no series matches. */
function noAvailability(key: string, dimensions: string[]): IAvailability {
  return {
    key,
    dimensions: Object.fromEntries(dimensions.map(d => [d, []])),
    series_count: 0,
    obs_count: 0,
    url: ''
  };
}
