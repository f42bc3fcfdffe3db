import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import { fetchDefinitionXml, IProcessDefinition } from './api';

/** One process definition's diagram as its tab shows it: the BPMN XML, or why it is missing. */
export class DefinitionModel {
  constructor(
    readonly definition: IProcessDefinition,
    private readonly settings?: ServerConnection.ISettings
  ) {}

  /** The definition's BPMN XML, once read. */
  get xml(): string | null {
    return this._xml;
  }

  /** Why the XML could not be read. */
  get error(): DataOpsApiError | null {
    return this._error;
  }

  /** Emitted when `xml` or `error` changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Read the XML from the server. */
  async load(): Promise<void> {
    try {
      this._xml = await fetchDefinitionXml(this.definition.id, this.settings);
      this._error = null;
    } catch (error) {
      this._error = asApiError(error);
    }
    this._changed.emit();
  }

  private _xml: string | null = null;
  private _error: DataOpsApiError | null = null;
  private _changed = new Signal<this, void>(this);
}
