import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { asApiError, DataOpsApiError } from '../api/client';

import {
  IProcessDefinition,
  IRun,
  IRunPage,
  IRunQuery,
  RunStatus
} from './api';

/** What the panel model needs from the server (the API functions, or test doubles). */
export interface IRunsSource {
  definitions(): Promise<IProcessDefinition[]>;
  runs(query: IRunQuery): Promise<IRunPage>;
}

/** Polling cadence in ms: `interval` normally, backing off up to `max` while calls fail. */
export interface IPollFrequency {
  interval: number;
  max: number;
}

/** Filter of the runs list. */
export interface IRunFilter {
  scope: 'mine' | 'all';
  status: RunStatus | '';
}

const DONE: readonly RunStatus[] = ['completed', 'incident', 'cancelled'];

/**
 * Definitions and runs of the Workflows panel, refreshed by a `Poll` that backs off
 * while the server fails and stands by while the panel is hidden — unless one of my
 * runs is still going, so its completion is still announced (`finished`).
 */
export class RunsModel {
  constructor(
    private readonly source: IRunsSource,
    frequency: IPollFrequency = { interval: 5000, max: 60000 }
  ) {
    this.poll = new Poll({
      factory: () => this.refresh(),
      frequency: {
        interval: frequency.interval,
        backoff: true,
        max: frequency.max
      },
      standby: () => this._standby(),
      auto: false,
      name: 'dataops:workflows-runs'
    });
  }

  /** The poll (its `state.interval` shows the current back-off). */
  readonly poll: Poll;

  /** Latest definitions. */
  definitions: IProcessDefinition[] = [];
  /** Runs matching `filter`, newest first. */
  runs: IRun[] = [];
  /** Total matching runs on the server. */
  total = 0;
  /** The newest run per definition key. */
  lastRun: Record<string, IRun> = {};
  /** The last failure's sentence, cleared by the next success. */
  error: DataOpsApiError | null = null;
  /** True once a refresh has succeeded. */
  loaded = false;

  /** Emitted after each refresh or filter change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when one of my runs completes, fails (incident) or is cancelled. */
  get finished(): ISignal<this, IRun> {
    return this._finished;
  }

  /** The runs list's filter. */
  get filter(): IRunFilter {
    return this._filter;
  }

  /** Change the filter and refresh at once. */
  setFilter(filter: Partial<IRunFilter>): void {
    this._filter = { ...this._filter, ...filter };
    this._changed.emit();
    void this.poll.refresh();
  }

  /** Change the polling cadence (from the settings). */
  setFrequency(frequency: IPollFrequency): void {
    this.poll.frequency = {
      interval: frequency.interval,
      backoff: true,
      max: frequency.max
    };
  }

  /** Start polling. */
  start(): void {
    void this.poll.start();
  }

  /** Tell the model whether its panel shows; hidden panels stop polling when idle. */
  setVisible(visible: boolean): void {
    this._visible = visible;
    if (visible) {
      void this.poll.refresh();
    }
  }

  /** Remember a run I just started, so its end is announced even if it is quick. */
  track(run: IRun): void {
    this._watched.set(run.id, run.status);
    void this.poll.refresh();
  }

  /** Read definitions and runs once; throws (so the poll backs off) on failure. */
  async refresh(): Promise<void> {
    const { scope, status } = this._filter;
    try {
      const [definitions, page, recent, mine] = await Promise.all([
        this.source.definitions(),
        this.source.runs({ scope, status, max_results: 100 }),
        scope === 'all' && !status
          ? null
          : this.source.runs({ scope: 'all', max_results: 100 }),
        scope === 'mine' && !status
          ? null
          : this.source.runs({ scope: 'mine', max_results: 100 })
      ]);
      this.definitions = definitions;
      this.runs = page.items;
      this.total = page.total;
      this.lastRun = {};
      for (const run of (recent ?? page).items) {
        this.lastRun[run.definition_key] ??= run;
      }
      this._announce((mine ?? page).items);
      this.error = null;
      this.loaded = true;
      this._changed.emit();
    } catch (error) {
      this.error = asApiError(error);
      this._changed.emit();
      throw error;
    }
  }

  /** Stop polling. */
  dispose(): void {
    this.poll.dispose();
  }

  /** Announce my runs that reached an end since the last look (not on the first look). */
  private _announce(mine: IRun[]): void {
    for (const run of mine) {
      const before = this._watched.get(run.id);
      const known = this._seenMine || before !== undefined;
      if (known && before !== run.status && DONE.includes(run.status)) {
        this._finished.emit(run);
      }
      this._watched.set(run.id, run.status);
    }
    this._seenMine = true;
  }

  private _standby(): boolean {
    if (typeof document !== 'undefined' && document.hidden) {
      return true;
    }
    if (this._visible) {
      return false;
    }
    for (const status of this._watched.values()) {
      if (status === 'running') {
        return false; // keep an eye on my running run even while the panel is closed
      }
    }
    return true;
  }

  private _filter: IRunFilter = { scope: 'all', status: '' };
  private _visible = false;
  private _seenMine = false;
  private _watched = new Map<string, RunStatus>();
  private _changed = new Signal<this, void>(this);
  private _finished = new Signal<this, IRun>(this);
}
