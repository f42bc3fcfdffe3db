import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { DeployPanel } from './components/DeployPanel';

/** The React host of the Deploy panel's content. */
export class DeployPanelWidget extends ReactWidget {
  constructor(
    private readonly status: StatusModel,
    private readonly trans: TranslationBundle
  ) {
    super();
  }

  protected render(): JSX.Element {
    return <DeployPanel status={this.status} trans={this.trans} />;
  }
}
