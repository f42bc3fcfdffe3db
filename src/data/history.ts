import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError } from '../api/client';
import type { Loadable } from './model';
import {
  fetchRevisions,
  fetchVintages,
  IRevisions,
  IVintage
} from './vintages';

/** What the Revisions view traces: the series `key` of `flow` in `source`, within the bounds. */
export interface IRevisionsRequest {
  source: string;
  flow: string;
  key: string;
  start: string;
  end: string;
}

/**
 * A store source's history for the Data panel: the chosen dataflow's vintages (for the picker)
 * and the revision triangle of the previewed series. Answers to an earlier flow or series that
 * arrive late are dropped.
 */
export class HistoryModel {
  constructor(private readonly settings?: ServerConnection.ISettings) {}

  /** Emitted on every change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The vintages of the current flow (idle for sources that keep none). */
  get vintages(): Loadable<IVintage[]> {
    return this._vintages;
  }

  /** The revision triangle last asked for. */
  get revisions(): Loadable<IRevisions> {
    return this._revisions;
  }

  /** The request of the triangle shown (or on its way). */
  get revisionsRequest(): IRevisionsRequest | null {
    return this._request;
  }

  /** Load the vintages of `flow` in the store `source`. */
  async loadVintages(source: string, flow: string): Promise<void> {
    this.reset();
    const ticket = ++this._vintagesTicket;
    this._vintages = { kind: 'loading' };
    this._changed.emit();
    try {
      const reply = await fetchVintages(source, flow, this.settings);
      if (ticket === this._vintagesTicket) {
        this._vintages = { kind: 'ready', value: reply.vintages };
      }
    } catch (error) {
      if (ticket === this._vintagesTicket) {
        this._vintages = { kind: 'error', error: asApiError(error) };
      }
    }
    this._changed.emit();
  }

  /** Load the revision triangle of `request`. */
  async loadRevisions(request: IRevisionsRequest): Promise<void> {
    const ticket = ++this._revisionsTicket;
    this._request = request;
    this._revisions = { kind: 'loading' };
    this._changed.emit();
    try {
      const value = await fetchRevisions(
        request.source,
        request.flow,
        request.key,
        request,
        this.settings
      );
      if (ticket === this._revisionsTicket) {
        this._revisions = { kind: 'ready', value };
      }
    } catch (error) {
      if (ticket === this._revisionsTicket) {
        this._revisions = { kind: 'error', error: asApiError(error) };
      }
    }
    this._changed.emit();
  }

  /** Close the Revisions view. */
  closeRevisions(): void {
    ++this._revisionsTicket;
    this._request = null;
    this._revisions = { kind: 'idle' };
    this._changed.emit();
  }

  /** Forget everything (another source or flow was chosen). */
  reset(): void {
    ++this._vintagesTicket;
    ++this._revisionsTicket;
    this._vintages = { kind: 'idle' };
    this._revisions = { kind: 'idle' };
    this._request = null;
    this._changed.emit();
  }

  private _vintages: Loadable<IVintage[]> = { kind: 'idle' };
  private _revisions: Loadable<IRevisions> = { kind: 'idle' };
  private _request: IRevisionsRequest | null = null;
  private _vintagesTicket = 0;
  private _revisionsTicket = 0;
  private _changed = new Signal<this, void>(this);
}
