import { ServerConnection } from '@jupyterlab/services';
import { IStateDB } from '@jupyterlab/statedb';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import { AvailabilityRunner, CascadeState } from './availability';
import {
  fetchStructure,
  IPeriod,
  ISource,
  ISourceStatus,
  IStructure,
  listSources,
  sourceStatus
} from './api';
import { IReadCall, readCode } from './codegen';
import { DataflowList } from './flows';
import { HistoryModel } from './history';
import { formatKey, KeyError, parseKey, Selections, toggleCode } from './key';
import { PreviewRunner } from './preview';
import { EMPTY_STATE, IDataState, loadState, saveState } from './state';
import { instantProblem, namedVintage } from './vintages';

/** Whether a source answers: being checked, its status, or why the check itself failed. */
export type Reachability = 'checking' | ISourceStatus | DataOpsApiError;

/** Something loaded from the server: not yet, on its way, there, or why not. */
export type Loadable<T> =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; value: T }
  | { kind: 'error'; error: DataOpsApiError };

/** Options of `DataModel`. */
export interface IDataModelOptions {
  settings?: ServerConnection.ISettings;
  state?: IStateDB | null;
  /** Wait this long after a change before asking for availability (ms). */
  availabilityDelay?: number;
}

/** The Data panel's state: source → dataflow → codes → period → preview. No DOM. */
export class DataModel {
  constructor(options: IDataModelOptions = {}) {
    this._settings = options.settings;
    this._db = options.state ?? null;
    this.preview = new PreviewRunner(this._settings);
    this.preview.changed.connect(() => this._changed.emit());
    this.availability = new AvailabilityRunner(
      this._settings,
      options.availabilityDelay
    );
    this.availability.changed.connect(() => this._changed.emit());
    this.history = new HistoryModel(this._settings);
    this.history.changed.connect(() => this._changed.emit());
  }

  /** A store source's vintages and revisions of the current flow. */
  readonly history: HistoryModel;

  /** Which codes have data under the other dimensions' choices. */
  readonly availability: AvailabilityRunner;

  /** The preview of the current selection. */
  readonly preview: PreviewRunner;

  /** Preview at most this many series (from the settings). */
  seriesLimit = 50;

  /** Emitted on every change of state. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get sources(): Loadable<ISource[]> {
    return this._sources;
  }
  get state(): IDataState {
    return this._state;
  }
  get source(): ISource | null {
    const all = this._sources.kind === 'ready' ? this._sources.value : [];
    return all.find(s => s.id === this._state.source) ?? null;
  }
  /** Whether the current source keeps vintages (a store source). */
  get isStore(): boolean {
    return this.source?.api === 'store';
  }
  get flows(): DataflowList | null {
    return this._flows;
  }
  get structure(): Loadable<IStructure> {
    return this._structure;
  }
  get cascade(): CascadeState {
    return this.availability.state;
  }
  /** Reachability per source id (absent: not checked yet). */
  get reachability(): Record<string, Reachability> {
    return this._reachability;
  }

  /** The series key of the selections, in DSD order. */
  get key(): string {
    const structure = this.readyStructure;
    return structure
      ? formatKey(structure.dimensions, this._state.selections)
      : '';
  }

  /** The `dataops.read` call of the current selection, or null before a flow is chosen. */
  get readCall(): IReadCall | null {
    const { source, flow, start, end, last, asOf } = this._state;
    const structure = this.readyStructure;
    if (!source || !flow || !structure) {
      return null;
    }
    const flowName = structure.dataflow.name;
    const call = { source, flow, flowName, key: this.key, start, end, last };
    // Only a store keeps vintages; a saved as_of must not leak into another source's code.
    return this.isStore && asOf ? { ...call, asOf } : call;
  }

  /** The code of `readCall`, or null. */
  get code(): string | null {
    const call = this.readCall;
    return call ? readCode(call) : null;
  }

  /** Load the sources and bring back the saved source, flow and choices. */
  async restore(): Promise<void> {
    const saved = await loadState(this._db).catch(() => ({ ...EMPTY_STATE }));
    await this.loadSources();
    const known = this.source === null && saved.source ? saved.source : null;
    if (known && this._sources.kind === 'ready') {
      if (this._sources.value.some(s => s.id === known)) {
        await this.selectSource(known, saved);
      }
    }
  }

  /** (Re)load the list of sources and check their reachability. */
  async loadSources(): Promise<void> {
    this._sources = { kind: 'loading' };
    this._changed.emit();
    try {
      const value = await listSources(this._settings);
      this._sources = { kind: 'ready', value };
      this._reachability = {};
      for (const source of value) {
        void this.checkReachability(source.id);
      }
    } catch (error) {
      this._sources = { kind: 'error', error: asApiError(error) };
    }
    this._changed.emit();
  }

  /** Ask whether one source answers right now. */
  async checkReachability(id: string): Promise<void> {
    this._reachability = { ...this._reachability, [id]: 'checking' };
    this._changed.emit();
    let status: Reachability;
    try {
      status = await sourceStatus(id, this._settings);
    } catch (error) {
      status = asApiError(error);
    }
    this._reachability = { ...this._reachability, [id]: status };
    this._changed.emit();
  }

  /** Choose a source; `restoring` carries a saved flow and choices to bring back. */
  async selectSource(id: string, restoring?: IDataState): Promise<void> {
    this._flows?.dispose();
    this._flows = DataflowList.forSource(id, this._settings);
    this._flows.changed.connect(() => this._changed.emit());
    this._structure = { kind: 'idle' };
    this.availability.reset();
    this.preview.reset();
    this.history.reset();
    this.update({ ...EMPTY_STATE, source: id });
    void this._flows.setSearch('');
    if (restoring?.flow) {
      await this.selectFlow(restoring.flow, restoring);
    }
  }

  /**
   * Show `flow` of `source` with the series `key` selected, read at the vintage `asOf` ('' the
   * latest), and preview it: where a run's vintage link leads.
   */
  async openAt(target: {
    source: string;
    flow: string;
    key?: string;
    asOf?: string;
  }): Promise<void> {
    if (this._sources.kind !== 'ready') {
      await this.loadSources();
    }
    await this.selectSource(target.source, {
      ...EMPTY_STATE,
      source: target.source,
      flow: target.flow,
      asOf: target.asOf ?? ''
    });
    if (target.key) {
      this.setKey(target.key);
    }
    await this._vintagesLoaded;
    this._openProblem = this.unknownVintage(target.asOf ?? '');
    this._changed.emit();
    await this.runPreview();
  }

  /**
   * Why the vintage the last `openAt` asked for is not shown, or null: a link to a vintage the
   * flow does not have must say so rather than look like the latest.
   */
  get openProblem(): string | null {
    return this._openProblem;
  }

  /** The sentence for an `asOf` naming no vintage of the current flow, or null when it names one. */
  private unknownVintage(asOf: string): string | null {
    const vintages = this.history.vintages;
    if (!asOf || !this.isStore || vintages.kind !== 'ready') {
      return null;
    }
    if (namedVintage(vintages.value, asOf) || !instantProblem(asOf)) {
      return null;
    }
    const { source, flow } = this._state;
    return `${flow} in ${source} has no vintage named '${asOf}' (${vintages.value.length} vintages listed): nothing is shown at it.`;
  }

  /** Choose a dataflow of the current source and load its structure. */
  async selectFlow(flow: string, restoring?: IDataState): Promise<void> {
    const source = this._state.source;
    if (!source) {
      return;
    }
    const ticket = ++this._flowTicket;
    this.preview.reset();
    this.availability.reset();
    this._structure = { kind: 'loading' };
    this.update({
      ...EMPTY_STATE,
      source,
      flow,
      ...(restoring
        ? {
            selections: restoring.selections,
            start: restoring.start,
            end: restoring.end,
            last: restoring.last,
            asOf: restoring.asOf
          }
        : {})
    });
    this._openProblem = null;
    if (this.isStore) {
      this._vintagesLoaded = this.history.loadVintages(source, flow);
    } else {
      this.history.reset();
      this._vintagesLoaded = Promise.resolve();
    }
    try {
      const value = await fetchStructure(source, flow, this._settings);
      if (ticket !== this._flowTicket) {
        return;
      }
      this._structure = { kind: 'ready', value };
      const ids = new Set(value.dimensions.map(d => d.id));
      const kept = Object.fromEntries(
        Object.entries(this._state.selections).filter(([d]) => ids.has(d))
      );
      this.update({ selections: kept });
      this.scheduleAvailability();
    } catch (error) {
      if (ticket === this._flowTicket) {
        this._structure = { kind: 'error', error: asApiError(error) };
        this._changed.emit();
      }
    }
  }

  /** Retry loading the structure of the current flow. */
  retryStructure(): Promise<void> {
    const { flow } = this._state;
    return flow ? this.selectFlow(flow, this._state) : Promise.resolve();
  }

  /** Replace all selections. */
  setSelections(selections: Selections): void {
    this.update({ selections });
    this.scheduleAvailability();
  }

  /** Switch one code of one dimension on or off. */
  toggle(dimension: string, code: string): void {
    this.setSelections(toggleCode(this._state.selections, dimension, code));
  }

  /** Apply a typed series key; returns the reason when it cannot be applied. */
  setKey(text: string): string | null {
    const structure = this.readyStructure;
    if (!structure) {
      return 'Choose a dataflow first.';
    }
    try {
      this.setSelections(parseKey(text, structure.dimensions));
      return null;
    } catch (error) {
      if (error instanceof KeyError) {
        return error.message;
      }
      throw error;
    }
  }

  /** Change the period bounds or "last N observations". */
  setPeriod(period: Partial<IPeriod>): void {
    this.update(period);
  }

  /** Read the vintage `asOf` (a name, snapshot id, date or time; '' the latest). */
  setAsOf(asOf: string): void {
    this._openProblem = null;
    this.update({ asOf });
  }

  /** Trace the revisions of the current selection's series (store sources). */
  showRevisions(): Promise<void> {
    const { source, flow, start, end } = this._state;
    if (!source || !flow || !this.readyStructure) {
      return Promise.resolve();
    }
    return this.history.loadRevisions({
      source,
      flow,
      key: this.key,
      start,
      end
    });
  }

  /** Preview the current selection (at most `seriesLimit` series). */
  runPreview(): Promise<void> {
    const call = this.readCall;
    if (!call) {
      return Promise.resolve();
    }
    return this.preview.run({ ...call, limit: this.seriesLimit });
  }

  /** Ask for availability again (after an error). */
  refreshAvailability(): void {
    this.scheduleAvailability(0);
  }

  /** Stop timers and requests. */
  dispose(): void {
    this._flows?.dispose();
    this.availability.reset();
    this.preview.reset();
    this.history.reset();
  }

  private get readyStructure(): IStructure | null {
    return this._structure.kind === 'ready' ? this._structure.value : null;
  }

  private update(patch: Partial<IDataState>): void {
    this._state = { ...this._state, ...patch };
    this._changed.emit();
    void saveState(this._db, this._state).catch(() => undefined);
  }

  private scheduleAvailability(delay?: number): void {
    this.availability.schedule(
      this.source,
      this.readyStructure,
      this._state.selections,
      delay
    );
  }

  private _settings?: ServerConnection.ISettings;
  private _db: IStateDB | null;
  private _state: IDataState = { ...EMPTY_STATE };
  private _sources: Loadable<ISource[]> = { kind: 'idle' };
  private _reachability: Record<string, Reachability> = {};
  private _flows: DataflowList | null = null;
  private _structure: Loadable<IStructure> = { kind: 'idle' };
  private _flowTicket = 0;
  private _vintagesLoaded: Promise<void> = Promise.resolve();
  private _openProblem: string | null = null;
  private _changed = new Signal<this, void>(this);
}
