import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { StatusModel } from '../common/statusModel';
import { WorkflowsPanel } from './components/WorkflowsPanel';

/** The React host of the Workflows panel's content. */
export class WorkflowsPanelWidget extends ReactWidget {
  constructor(
    private readonly status: StatusModel,
    private readonly trans: TranslationBundle
  ) {
    super();
  }

  protected render(): JSX.Element {
    return <WorkflowsPanel status={this.status} trans={this.trans} />;
  }
}
