import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import { IDataflow, listDataflows } from './api';

/** Dataflows fetched per request. */
export const PAGE_SIZE = 200;

/** Loads one page of dataflows; the server filters by `search`. */
export type PageLoader = (
  search: string,
  offset: number,
  limit: number,
  signal: AbortSignal
) => Promise<{ total: number; dataflows: IDataflow[] }>;

/**
 * The dataflows of one source matching a search, fetched page by page as the
 * list scrolls (Eurostat has thousands), so only what is shown is loaded.
 */
export class DataflowList {
  constructor(private readonly load: PageLoader) {}

  /** A list over the server's `dataflows` endpoint of `source`. */
  static forSource(
    source: string,
    settings?: ServerConnection.ISettings
  ): DataflowList {
    return new DataflowList((search, offset, limit, signal) =>
      listDataflows(source, search, offset, limit, settings, signal)
    );
  }

  /** Emitted when pages arrive, the search changes or loading fails. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The current search text. */
  get search(): string {
    return this._search;
  }

  /** Matching dataflows in total, or null before the first page arrived. */
  get total(): number | null {
    return this._total;
  }

  /** Why the last page could not be loaded, if it could not. */
  get error(): DataOpsApiError | null {
    return this._error;
  }

  /** True while a page is on its way. */
  get loading(): boolean {
    return this._pending.size > 0;
  }

  /** The dataflow at `index`, or undefined while its page is not loaded. */
  at(index: number): IDataflow | undefined {
    return this._pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Start a new search; pages of the previous one are dropped. */
  setSearch(search: string): Promise<void> {
    this._search = search;
    this._generation++;
    this._controller.abort();
    this._controller = new AbortController();
    this._pages.clear();
    this._pending.clear();
    this._total = null;
    this._error = null;
    this._changed.emit();
    return this.ensure(0, 0);
  }

  /** Make sure the rows `first`..`last` are loaded (or on their way). */
  async ensure(first: number, last: number): Promise<void> {
    const wanted: number[] = [];
    const lastPage = Math.floor(Math.max(first, last) / PAGE_SIZE);
    for (let page = Math.floor(first / PAGE_SIZE); page <= lastPage; page++) {
      if (!this._pages.has(page) && !this._pending.has(page)) {
        wanted.push(page);
      }
    }
    await Promise.all(wanted.map(page => this.fetchPage(page)));
  }

  /** Try again after a failure. */
  retry(): Promise<void> {
    return this.setSearch(this._search);
  }

  /** Stop any request on its way. */
  dispose(): void {
    this._controller.abort();
  }

  private async fetchPage(page: number): Promise<void> {
    const generation = this._generation;
    const signal = this._controller.signal;
    this._pending.add(page);
    try {
      const reply = await this.load(
        this._search,
        page * PAGE_SIZE,
        PAGE_SIZE,
        signal
      );
      if (generation !== this._generation) {
        return;
      }
      this._pages.set(page, reply.dataflows);
      this._total = reply.total;
    } catch (error) {
      if (generation !== this._generation || signal.aborted) {
        return;
      }
      this._error = asApiError(error);
    } finally {
      if (generation === this._generation) {
        this._pending.delete(page);
      }
    }
    this._changed.emit();
  }

  private _search = '';
  private _generation = 0;
  private _controller = new AbortController();
  private _pages = new Map<number, IDataflow[]>();
  private _pending = new Set<number>();
  private _total: number | null = null;
  private _error: DataOpsApiError | null = null;
  private _changed = new Signal<this, void>(this);
}
