import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { DataPanel } from './components/DataPanel';

/** The React host of the Data panel's content. */
export class DataPanelWidget extends ReactWidget {
  constructor(
    private readonly status: StatusModel,
    private readonly trans: TranslationBundle
  ) {
    super();
  }

  protected render(): JSX.Element {
    return <DataPanel status={this.status} trans={this.trans} />;
  }
}
