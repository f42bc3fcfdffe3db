import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { StatusModel } from '../../common/statusModel';

/** Props of `DeployPanel`. */
export interface IDeployPanelProps {
  status: StatusModel;
  trans: TranslationBundle;
}

/** Content of the Deploy sidebar panel. */
export function DeployPanel(props: IDeployPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="promotion" trans={trans}>
      {() => (
        <p className="jp-DataOps-intro">
          {trans.__(
            'Promote notebooks, steps and workflow definitions to deployment environments and follow their pipelines.'
          )}
        </p>
      )}
    </CapabilityPanel>
  );
}
