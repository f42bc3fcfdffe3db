import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { StatusModel } from '../../common/statusModel';

/** Props of `WorkflowsPanel`. */
export interface IWorkflowsPanelProps {
  status: StatusModel;
  trans: TranslationBundle;
}

/** Content of the Workflows sidebar panel. */
export function WorkflowsPanel(props: IWorkflowsPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="workflows" trans={trans}>
      {() => (
        <p className="jp-DataOps-intro">
          {trans.__(
            'Start production workflows, follow their runs, incidents and live logs, retry or cancel them.'
          )}
        </p>
      )}
    </CapabilityPanel>
  );
}
