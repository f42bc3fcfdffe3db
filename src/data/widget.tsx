import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Title, Widget } from '@lumino/widgets';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { DataPanel } from './components/DataPanel';
import { IPreviewOptions } from './components/PreviewSection';
import { DataModel } from './model';

/** What the Data panel needs from the application. */
export interface IDataPanelWidgetOptions {
  status: StatusModel;
  model: DataModel;
  commands: CommandRegistry;
  tracker: INotebookTracker | null;
  rendermime: IRenderMimeRegistry | null;
  trans: TranslationBundle;
}

/** The React host of the Data panel's content. */
export class DataPanelWidget extends ReactWidget {
  constructor(private readonly options: IDataPanelWidgetOptions) {
    super();
    // The insert buttons name the target notebook, which changes with focus and renames.
    options.tracker?.currentChanged.connect(this.followNotebook, this);
    this.followNotebook();
  }

  /** How previews look; set from the settings. */
  get previewOptions(): IPreviewOptions {
    return this._previewOptions;
  }
  set previewOptions(value: IPreviewOptions) {
    this._previewOptions = value;
    this.update();
  }

  protected render(): JSX.Element {
    const { tracker } = this.options;
    const notebook = tracker?.currentWidget?.title.label ?? null;
    return (
      <DataPanel
        status={this.options.status}
        model={this.options.model}
        commands={this.options.commands}
        rendermime={this.options.rendermime}
        notebook={notebook}
        options={this._previewOptions}
        trans={this.options.trans}
      />
    );
  }

  private followNotebook(): void {
    this._title?.changed.disconnect(this.update, this);
    this._title = this.options.tracker?.currentWidget?.title ?? null;
    this._title?.changed.connect(this.update, this);
    this.update();
  }

  private _title: Title<Widget> | null = null;
  private _previewOptions: IPreviewOptions = {
    chart: 'vega-lite',
    chartSeries: 10
  };
}
